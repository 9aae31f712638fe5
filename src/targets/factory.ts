import { ConfigError, EnvironmentError } from '../core/errors.js';
import type { StageContext } from '../stages/types.js';
import { createLocalTarget } from './local.js';
import type { DeployTarget } from './types.js';

/** What a target may read: the stage context, never the process. */
export type TargetContext = Pick<StageContext, 'config' | 'root' | 'env' | 'log' | 'secrets' | 'flags' | 'github'>;

/** Picks the implementation named by `deploy.target`; an unknown name is an error, never a fallback. */
export async function createDeployTarget(ctx: TargetContext): Promise<DeployTarget> {
  const target: string = ctx.config.deploy.target;
  switch (target) {
    case 'local':
      return createLocalTarget(ctx);
    case 'kubernetes':
      // Replaced by the kubernetes target's own branch (createKubernetesTarget from ./kubernetes.js).
      throw new EnvironmentError('deploy.target kubernetes: the kubernetes target is not built in this version; use deploy.target: local', 'target_unavailable');
    default:
      throw new ConfigError([`deploy.target: unknown target "${target}"; expected one of: local, kubernetes`]);
  }
}
