import { UsageError } from '../core/errors.js';
import { PIPELINE_STAGES, type StageName } from '../core/pipeline.js';
import type { StageDefinition } from './types.js';

/**
 * Every stage, keyed by its name in pipeline order (core/pipeline.ts), so the list of names
 * and the registry cannot drift apart. Each stage's code loads only when that stage runs:
 * every step of the action is a new process, and `plan` or `--version` should not pay for
 * the PromQL parser, the Kubernetes target and Octokit.
 */
const STAGE_LOADERS: Record<StageName, () => Promise<StageDefinition>> = {
  lint: async () => (await import('./lint.js')).lintStage,
  train: async () => (await import('./train.js')).trainStage,
  build: async () => (await import('./build.js')).buildStage,
  deploy: async () => (await import('./deploy.js')).deployStage,
  gate: async () => (await import('./gate.js')).gateStage,
  promote: async () => (await import('./promote.js')).promoteStage,
  rollback: async () => (await import('./rollback.js')).rollbackStage,
  notify: async () => (await import('./notify.js')).notifyStage,
};

/** Commands that are not pipeline stages (`run` never runs them). */
const COMMAND_LOADERS: Record<string, () => Promise<StageDefinition>> = {
  stop: async () => (await import('./stop.js')).stopCommand,
};

/** Every stage, in pipeline order. `run` runs them in this order. */
export const STAGE_ORDER: readonly StageName[] = PIPELINE_STAGES;

/** Stages that run on pull requests when `stages` is `auto`. */
export const PULL_REQUEST_STAGES = ['lint', 'train'] as const satisfies readonly StageName[];

export function isStageName(name: string): name is StageName {
  return (STAGE_ORDER as readonly string[]).includes(name);
}

function loaderOf(name: string): (() => Promise<StageDefinition>) | undefined {
  return isStageName(name)
    ? STAGE_LOADERS[name]
    : Object.hasOwn(COMMAND_LOADERS, name)
      ? COMMAND_LOADERS[name]
      : undefined;
}

/** Throws a usage error naming the stages when `name` is none of them. */
export function checkStageName(name: string): void {
  if (!loaderOf(name))
    throw new UsageError(`unknown stage "${name}"; stages: ${STAGE_ORDER.join(', ')}, run, plan`);
}

/** Loads the stage (or command) called `name`. */
export async function findStage(name: string): Promise<StageDefinition> {
  checkStageName(name);
  return (loaderOf(name) as () => Promise<StageDefinition>)();
}

/** Every stage and command, loaded (for --help). */
export async function allStages(): Promise<StageDefinition[]> {
  return Promise.all([...STAGE_ORDER, ...Object.keys(COMMAND_LOADERS)].map(findStage));
}

/**
 * Which stages the action runs. `auto`: lint and train on pull requests, every stage
 * otherwise; or an explicit comma-separated list, validated.
 */
export function planStages(requested: string | undefined, eventName: string | undefined): string[] {
  const value = (requested ?? 'auto').trim();
  if (value === 'auto')
    return eventName?.startsWith('pull_request') ? [...PULL_REQUEST_STAGES] : [...STAGE_ORDER];
  if (value === 'all') return [...STAGE_ORDER];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) checkStageName(n);
  return STAGE_ORDER.filter((s) => names.includes(s));
}
