import { buildahSizeArgs, manifestSize } from './args.js';
import { ContainersToolBuilder } from './containers-tool.js';
import type { BuilderOptions } from './types.js';

/** buildah: daemonless; works rootless and in containers (`BUILDAH_ISOLATION=chroot`, `STORAGE_DRIVER=vfs`). */
export class BuildahBuilder extends ContainersToolBuilder {
  readonly kind = 'buildah' as const;

  constructor(options: BuilderOptions) {
    super('buildah', options);
  }

  async size(imageId: string): Promise<number | undefined> {
    const result = await this.exec(buildahSizeArgs(imageId));
    return result.exitCode === 0 ? manifestSize(result.stdout) : undefined;
  }
}
