// The pipeline's vocabulary, a leaf every layer may import: config validates against it,
// the stage registry is keyed by it, renderers order by it.

/** The stages in pipeline order; `run` runs them in this order (stages/index.ts is keyed by it). */
export const PIPELINE_STAGES = [
  'lint',
  'train',
  'build',
  'deploy',
  'gate',
  'promote',
  'rollback',
  'notify',
] as const;
export type StageName = (typeof PIPELINE_STAGES)[number];

/**
 * The outcomes `notify.slack.on` filters on. `success`: a release became stable (promoted,
 * or a first release); `canary`: deploy started a canary that no gate has judged yet (the
 * first job of a two-job delivery); `checked`: only checks ran (lint, train, build) and
 * passed, nothing was deployed.
 */
export const DELIVERY_OUTCOMES = [
  'success',
  'canary',
  'checked',
  'failure',
  'rollback',
  'inconclusive',
] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];
