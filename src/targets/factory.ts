import { ConfigError } from '../core/errors.js';
import type { StageContext } from '../stages/types.js';
import { createKubernetesTarget } from './kubernetes.js';
import { kubernetesTargetOptions } from './kubernetes-options.js';
import { createLocalTarget } from './local.js';
import type { DeployTarget } from './types.js';

/** What a target may read: the stage context, never the process. */
export type TargetContext = Pick<
  StageContext,
  'config' | 'root' | 'env' | 'log' | 'secrets' | 'flags' | 'github'
>;

/** Picks the implementation named by `deploy.target`; an unknown name is an error, never a fallback. */
export async function createDeployTarget(ctx: TargetContext): Promise<DeployTarget> {
  const target: string = ctx.config.deploy.target;
  switch (target) {
    case 'local':
      return createLocalTarget(ctx);
    case 'kubernetes':
      return createKubernetesTarget(kubernetesTargetOptions(ctx));
    default:
      throw new ConfigError([
        `deploy.target: unknown target "${target}"; expected one of: local, kubernetes`,
      ]);
  }
}
