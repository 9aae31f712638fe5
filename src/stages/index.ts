import { UsageError } from '../core/errors.js';
import { buildStage } from './build.js';
import { deployStage } from './deploy.js';
import { gateStage } from './gate.js';
import { lintStage } from './lint.js';
import { notifyStage } from './notify.js';
import { promoteStage } from './promote.js';
import { rollbackStage } from './rollback.js';
import { stopCommand } from './stop.js';
import { trainStage } from './train.js';
import type { StageDefinition } from './types.js';

/** Every stage, in pipeline order. `run` runs them in this order. */
export const STAGES: readonly StageDefinition[] = [
  lintStage,
  trainStage,
  buildStage,
  deployStage,
  gateStage,
  promoteStage,
  rollbackStage,
  notifyStage,
];

/** Commands that are not pipeline stages (`run` never runs them). */
export const COMMANDS: readonly StageDefinition[] = [stopCommand];

/** Stages `auto` runs when the event does not release: pull requests, other branches, schedules. */
export const PULL_REQUEST_STAGES = ['lint', 'train'] as const;

export const STAGE_ORDER = STAGES.map((s) => s.name);

export function findStage(name: string): StageDefinition {
  const stage = STAGES.find((s) => s.name === name) ?? COMMANDS.find((s) => s.name === name);
  if (!stage)
    throw new UsageError(`unknown stage "${name}"; stages: ${STAGE_ORDER.join(', ')}, run, plan`);
  return stage;
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
  for (const n of names) findStage(n);
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
