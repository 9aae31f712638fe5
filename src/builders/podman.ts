import { podmanSizeArgs } from './args.js';
import { ContainersToolBuilder } from './containers-tool.js';
import type { BuilderOptions } from './types.js';

/** podman: the same engine as buildah behind a docker-like command line. */
export class PodmanBuilder extends ContainersToolBuilder {
  readonly kind = 'podman' as const;

  constructor(options: BuilderOptions) {
    super('podman', options);
  }

  async size(imageId: string): Promise<number | undefined> {
    const result = await this.exec(podmanSizeArgs(imageId));
    const size = Number(result.stdout.trim());
    return result.exitCode === 0 && Number.isFinite(size) ? size : undefined;
  }
}
