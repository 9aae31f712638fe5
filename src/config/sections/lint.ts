import { z } from 'zod';
import { command, duration } from '../types.js';

export const lintCommand = z.union(
  [
    command,
    z.strictObject({
      name: z.string().optional().describe('Shown in logs and the summary.'),
      run: command.describe('The command.'),
    }),
  ],
  { error: 'expected a command, or { name, run }' },
);

export const lintSection = z
  .strictObject({
    commands: z
      .array(lintCommand)
      .default([])
      .describe('Commands run from the repository root; any non-zero exit fails the stage.'),
    timeout: duration('10m').describe('Time limit for each lint command.'),
    promql: z
      .record(z.string(), z.string())
      .default({})
      .describe(
        'Named PromQL queries to syntax-check, besides those found elsewhere in the config.',
      ),
    manifests: z
      .array(z.string())
      .default([])
      .describe(
        'Kubernetes manifest files or globs (relative to the repository root) to validate.',
      ),
  })
  .prefault({})
  .describe('The lint stage.');
