import { UsageError } from '../core/errors.js';
import { PIPELINE_STAGES, type StageName } from '../core/pipeline.js';
import type { AnyStageDefinition, StageDefinition } from './types.js';

/**
 * Every stage, keyed by its name in pipeline order (core/pipeline.ts), so the list of names
 * and the registry cannot drift apart. Each stage's code loads only when that stage runs:
 * every step of the action is a new process, and `plan` or `--version` should not pay for
 * the PromQL parser, the Kubernetes target and Octokit.
 */
const STAGE_LOADERS: { [S in StageName]: () => Promise<StageDefinition<S>> } = {
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
const COMMAND_LOADERS: Record<string, () => Promise<AnyStageDefinition>> = {
  stop: async () => (await import('./stop.js')).stopCommand,
};

/** Every stage, in pipeline order. `run` runs them in this order. */
export const STAGE_ORDER: readonly StageName[] = PIPELINE_STAGES;

/** Stages `auto` runs when the event does not release: pull requests, other branches, schedules. */
export const PULL_REQUEST_STAGES = ['lint', 'train'] as const satisfies readonly StageName[];

export function isStageName(name: string): name is StageName {
  return (STAGE_ORDER as readonly string[]).includes(name);
}

function loaderOf(name: string): (() => Promise<AnyStageDefinition>) | undefined {
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
export async function findStage(name: string): Promise<AnyStageDefinition> {
  checkStageName(name);
  const load = loaderOf(name);
  if (!load) throw new UsageError(`unknown stage "${name}"`);
  return load();
}

/** Every stage and command, loaded (for --help). */
export async function allStages(): Promise<AnyStageDefinition[]> {
  return Promise.all([...STAGE_ORDER, ...Object.keys(COMMAND_LOADERS)].map(findStage));
}

/** Where a run comes from: the event, the pushed ref, and which branches release. */
export interface PlanEvent {
  eventName?: string;
  ref?: string;
  defaultBranch?: string;
  /** Empty: the repository's default branch. */
  releaseBranches?: readonly string[];
}

/**
 * Which stages the action runs. `auto`: every stage on a push to a release branch (the
 * default branch unless configured), lint and train on anything else (pull requests,
 * other branches, schedules, manual runs); or an explicit comma-separated list, validated.
 */
export function planStages(requested: string | undefined, event: PlanEvent): string[] {
  const value = (requested ?? 'auto').trim();
  if (value === 'auto') return releases(event) ? [...STAGE_ORDER] : [...PULL_REQUEST_STAGES];
  if (value === 'all') return [...STAGE_ORDER];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) checkStageName(n);
  return STAGE_ORDER.filter((s) => names.includes(s));
}

function releases(event: PlanEvent): boolean {
  if (event.eventName !== 'push' || !event.ref?.startsWith('refs/heads/')) return false;
  const branches = event.releaseBranches?.length
    ? event.releaseBranches
    : event.defaultBranch
      ? [event.defaultBranch]
      : [];
  return branches.includes(event.ref.slice('refs/heads/'.length));
}
