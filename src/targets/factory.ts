import { ConfigError } from '../core/errors.js';
import { createKubernetesTarget } from './kubernetes.js';
import { kubernetesTargetOptions } from './kubernetes-options.js';
import { createLocalTarget } from './local.js';
import type { TargetContext } from './context.js';
import type { DeployTarget } from './types.js';

export type { TargetContext } from './context.js';

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
