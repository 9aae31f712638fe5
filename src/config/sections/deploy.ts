import { z } from 'zod';
import { formatDuration } from '../../core/duration.js';
import { command, duration, envMap } from '../types.js';
import { kubernetesDeploySection } from './deploy-kubernetes.js';

const localSection = z
  .strictObject({
    command: command
      .optional()
      .describe(
        'The model server, run from the repository root once per track (stable, baseline, canary) with env PORT, TRACK, MODEL_VERSION and HOST=127.0.0.1. Required for the local target.',
      ),
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(8080)
      .describe(
        'Front port on 127.0.0.1 that splits traffic between the tracks, like a Service. 0 picks a free port on the first deploy.',
      ),
    env: envMap.default({}).describe('Extra environment for every model process.'),
    readyPath: z
      .string()
      .regex(/^\//, { error: 'expected a path starting with /' })
      .default('/health')
      .describe('A process is ready when GET on this path answers 2xx.'),
    readyTimeout: duration('30s').describe('How long a process may take to become ready.'),
  })
  .prefault({})
  .describe('The local target: processes on loopback behind a front proxy; no cluster needed.');

export const deploySection = z
  .strictObject({
    target: z
      .enum(['local', 'kubernetes'])
      .default('local')
      .describe(
        'Where the model runs: `local` (processes on this machine) or `kubernetes` (kubectl).',
      ),
    environment: z
      .string()
      .min(1)
      .default('production')
      .describe('GitHub Deployments environment recorded in the ledger.'),
    url: z
      .url()
      .optional()
      .describe(
        'Where users reach the environment; shown on GitHub Deployments as environment_url.',
      ),
    timeout: duration('5m').describe(
      'How long a rollout may take before it is failed and removed.',
    ),
    canary: z
      .strictObject({
        percent: z
          .number()
          .gt(0)
          .max(50)
          .default(10)
          .describe(
            'Share of traffic for the canary, and the same share for the baseline (so at most 50). Kubernetes: replicas = max(1, round(stable × percent / 100)). With deploy.steps, steps[0] is the starting share and this is not used.',
          ),
      })
      .prefault({})
      .describe('The canary and its baseline.'),
    steps: z
      .array(
        z.number().gt(0, { error: 'each step is a share of traffic above 0 (percent)' }).max(50, {
          error:
            'each step is at most 50: canary and baseline each get this share, and stable keeps the rest',
        }),
      )
      .min(1, { error: 'list at least one step, such as [10, 25, 50], or leave steps out' })
      .superRefine((steps, ctx) => {
        steps.forEach((p, i) => {
          const before = steps[i - 1];
          if (i > 0 && before !== undefined && p <= before)
            ctx.addIssue({
              code: 'custom',
              path: [i],
              message: `must be above the step before it (${before}): steps only raise the share, e.g. [10, 25, 50]`,
            });
        });
      })
      .optional()
      .describe(
        'Progressive steps: the share (percent) that canary and baseline each get, raised step by step during one gate, e.g. [10, 25, 50]; strictly increasing, each in (0, 50]. deploy starts at steps[0] (instead of canary.percent); the gate raises the share every stepDuration and keeps its evidence across steps; a pass needs the last step to have run stepDuration.',
      ),
    stepDuration: duration('2m').describe(
      'With deploy.steps: how long each step runs (its bake time) before the gate raises the share to the next; the last step runs at least this long before a pass. Between gate.interval and gate.maxDuration ÷ the number of steps.',
    ),
    local: localSection,
    kubernetes: kubernetesDeploySection,
  })
  .prefault({})
  .describe(
    'The deploy, promote and rollback stages: a canary beside a baseline, then promotion or rollback.',
  );

export type DeployConfig = z.output<typeof deploySection>;

/** The share canary and baseline each start with: the first step, else canary.percent. */
export function initialShare(deploy: Pick<DeployConfig, 'steps' | 'canary'>): number {
  return deploy.steps?.[0] ?? deploy.canary.percent;
}

/**
 * The steps against the gate's clock (a check across sections, so on the whole config):
 * every step needs a look, and the whole ramp must fit in gate.maxDuration, or the gate
 * would end before the last step and could never pass.
 */
export function stepsAgainstGate(
  config: {
    deploy: Pick<DeployConfig, 'steps' | 'stepDuration'>;
    gate: { interval: number; maxDuration: number };
  },
  ctx: z.RefinementCtx,
): void {
  const { steps, stepDuration } = config.deploy;
  if (!steps) return;
  const { interval, maxDuration } = config.gate;
  if (stepDuration < interval)
    ctx.addIssue({
      code: 'custom',
      path: ['deploy', 'stepDuration'],
      message: `shorter than gate.interval (${formatDuration(interval)}): a step must last at least one look; raise stepDuration or lower gate.interval`,
    });
  if (steps.length * stepDuration > maxDuration)
    ctx.addIssue({
      code: 'custom',
      path: ['deploy', 'stepDuration'],
      message: `${steps.length} steps of ${formatDuration(stepDuration)} need ${formatDuration(steps.length * stepDuration)}, longer than gate.maxDuration (${formatDuration(maxDuration)}): the gate would end before the last step; shorten stepDuration, drop a step or raise gate.maxDuration`,
    });
}
