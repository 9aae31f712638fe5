import { z } from 'zod';
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
            'Share of traffic for the canary, and the same share for the baseline (so at most 50). Kubernetes: replicas = max(1, round(stable × percent / 100)).',
          ),
      })
      .prefault({})
      .describe('The canary and its baseline.'),
    local: localSection,
    kubernetes: kubernetesDeploySection,
  })
  .prefault({})
  .describe(
    'The deploy, promote and rollback stages: a canary beside a baseline, then promotion or rollback.',
  );

export type DeployConfig = z.output<typeof deploySection>;
