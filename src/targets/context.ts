import type { StageContext } from '../stages/types.js';

/** What a target may read: the stage context, never the process. */
export type TargetContext = Pick<
  StageContext,
  'config' | 'root' | 'env' | 'inputs' | 'log' | 'secrets' | 'flags' | 'github'
>;
