import { z } from 'zod';
import { amount, command, duration, envMap } from '../types.js';

const threshold = z
  .strictObject({
    min: z.number().optional().describe('Fail when the metric is below this.'),
    max: z.number().optional().describe('Fail when the metric is above this.'),
  })
  .refine((t) => t.min !== undefined || t.max !== undefined, { error: 'set min, max or both' });

export const regression = z.union(
  [
    amount,
    z.strictObject({
      max: amount.describe('Largest allowed regression: absolute, or "N%" of the baseline.'),
      better: z.enum(['higher', 'lower']).describe('Which direction is an improvement.'),
    }),
  ],
  { error: 'expected a number, a percentage such as "2%", or { max, better }' },
);

export const trainSection = z
  .strictObject({
    command: command
      .optional()
      .describe(
        'The smoke-training command, run from the repository root with MODEL_DELIVERY_SMOKE=1.',
      ),
    timeout: duration('10m').describe('Time limit for the training command.'),
    env: envMap.default({}).describe('Extra environment for the training command.'),
    smoke: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .default({})
      .describe('Smoke parameters, appended to the command as `--key value` (e.g. max_steps: 10).'),
    metricsFile: z
      .string()
      .default('metrics.json')
      .describe(
        'JSON file the command writes; nested keys are flattened with dots; values must be numbers.',
      ),
    thresholds: z
      .record(z.string(), threshold)
      .default({})
      .describe('Per-metric bounds, e.g. accuracy: { min: 0.85 }.'),
    baseline: z
      .strictObject({
        file: z
          .string()
          .optional()
          .describe('Metrics JSON of the accepted model, relative to the repository root.'),
        ref: z
          .string()
          .optional()
          .describe(
            'Read the file as committed at this git ref. Default in Actions on pull requests: origin/<base branch>; otherwise the working tree.',
          ),
        maxRegression: z
          .record(z.string(), regression)
          .default({})
          .describe(
            'Per-metric allowed regression against the baseline. Metrics named like loss/error/latency are lower-is-better unless `better` says otherwise.',
          ),
        required: z
          .boolean()
          .default(false)
          .describe('Fail when the baseline cannot be read (default: warn and skip).'),
      })
      .prefault({})
      .describe('Comparison with the default branch’s metrics.'),
  })
  .prefault({})
  .describe('The train stage (smoke training).');
