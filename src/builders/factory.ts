import { ConfigError, DeliveryError, EnvironmentError } from '../core/errors.js';
import { BUILDER_KINDS } from '../config/sections/build.js';
import { BuildahBuilder } from './buildah.js';
import { DockerBuilder } from './docker.js';
import { PodmanBuilder } from './podman.js';
import type { BuilderKind, BuilderOptions, ImageBuilder, ProbeResult } from './types.js';

/** The order `auto` tries: docker when its daemon answers, else buildah, else podman. */
export const AUTO_ORDER: readonly BuilderKind[] = ['docker', 'buildah', 'podman'];

const INSTALL_HINT =
  'install buildah (apt-get install buildah) or podman, or start the Docker daemon';

/** One builder by name; an unknown name is a config error that lists the allowed ones. */
export function createImageBuilder(kind: string, options: BuilderOptions): ImageBuilder {
  switch (kind) {
    case 'docker':
      return new DockerBuilder(options);
    case 'buildah':
      return new BuildahBuilder(options);
    case 'podman':
      return new PodmanBuilder(options);
    default:
      throw new ConfigError([
        `build.builder: unknown builder "${kind}"; allowed: ${BUILDER_KINDS.join(', ')}`,
      ]);
  }
}

/** A missing binary is "not usable", not an error: `auto` goes on to the next one. */
async function safeProbe(builder: ImageBuilder): Promise<ProbeResult> {
  try {
    return await builder.probe();
  } catch (e) {
    if (e instanceof DeliveryError && e.reason === 'command_not_found')
      return { usable: false, why: 'not installed' };
    throw e;
  }
}

export interface ResolvedBuilder {
  builder: ImageBuilder;
  version: string;
  /** Why the builders tried before this one were passed over (auto). */
  skipped: string[];
}

/** The configured builder, checked to be usable; for `auto`, the first usable one. */
export async function resolveImageBuilder(
  kind: string,
  options: BuilderOptions,
  create: (kind: string, options: BuilderOptions) => ImageBuilder = createImageBuilder,
): Promise<ResolvedBuilder> {
  const candidates = kind === 'auto' ? AUTO_ORDER : [create(kind, options).kind];
  const skipped: string[] = [];
  for (const candidate of candidates) {
    const builder = create(candidate, options);
    const probe = await safeProbe(builder);
    if (probe.usable) return { builder, version: probe.version, skipped };
    skipped.push(`${candidate}: ${probe.why}`);
  }
  const message =
    kind === 'auto'
      ? `no image builder is usable (${skipped.join('; ')}); ${INSTALL_HINT}`
      : `build.builder is ${kind}, but it is not usable (${skipped.join('; ')}); install or start it, or set build.builder: auto`;
  throw new EnvironmentError(message, 'no_builder', { tried: skipped });
}
