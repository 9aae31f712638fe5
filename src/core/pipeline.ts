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

/** The outcomes of a delivery, which `notify.slack.on` filters on. */
export const DELIVERY_OUTCOMES = ['success', 'failure', 'rollback', 'inconclusive'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];
