/**
 * Argument lists of the builders, as pure functions (tested by tables). Secrets never
 * appear here: passwords go on stdin, build-arg values through the environment.
 */

export interface BuildArgsInput {
  file: string;
  context: string;
  refs: string[];
  labels: Record<string, string>;
  buildArgs: string[];
}

function common(input: BuildArgsInput): string[] {
  return [
    '--file',
    input.file,
    ...input.refs.flatMap((r) => ['--tag', r]),
    ...Object.keys(input.labels)
      .sort()
      .flatMap((k) => ['--label', `${k}=${input.labels[k]}`]),
    // `--build-arg NAME` without a value: the builder reads it from its environment.
    ...input.buildArgs.flatMap((name) => ['--build-arg', name]),
  ];
}

// buildah and podman share the containers/image command line.

export function containersBuildArgs(
  input: BuildArgsInput & { iidfile: string; authfile?: string },
): string[] {
  return [
    'build',
    ...common(input),
    '--iidfile',
    input.iidfile,
    ...authfileArgs(input.authfile),
    input.context,
  ];
}

export function containersPushArgs(input: {
  ref: string;
  digestfile: string;
  tlsVerify?: boolean;
  authfile?: string;
}): string[] {
  return [
    'push',
    '--digestfile',
    input.digestfile,
    ...tlsArgs(input.tlsVerify),
    ...authfileArgs(input.authfile),
    input.ref,
  ];
}

export function containersLoginArgs(input: {
  registry: string;
  username: string;
  tlsVerify?: boolean;
  authfile: string;
}): string[] {
  return [
    'login',
    '--username',
    input.username,
    '--password-stdin',
    ...tlsArgs(input.tlsVerify),
    ...authfileArgs(input.authfile),
    input.registry,
  ];
}

/** Unset: the tool's default, which registries.conf may relax for an insecure registry. */
function tlsArgs(tlsVerify: boolean | undefined): string[] {
  return tlsVerify === undefined ? [] : [`--tls-verify=${tlsVerify}`];
}

function authfileArgs(authfile: string | undefined): string[] {
  return authfile ? ['--authfile', authfile] : [];
}

export function buildahSizeArgs(imageId: string): string[] {
  return ['inspect', '--type', 'image', '--format', '{{.Manifest}}', imageId];
}

export function podmanSizeArgs(imageId: string): string[] {
  return ['image', 'inspect', '--format', '{{.Size}}', imageId];
}

// docker: buildx, which builds and pushes in one command and reports through a metadata file.

/** `--config <dir>` only after our own login, so a login done before (docker/login-action) still counts otherwise. */
function dockerConfigArgs(configDir: string | undefined): string[] {
  return configDir ? ['--config', configDir] : [];
}

export function dockerBuildArgs(
  input: BuildArgsInput & {
    platforms: string[];
    push: boolean;
    metadataFile: string;
    configDir?: string;
  },
): string[] {
  // A multi-platform image cannot be loaded into the daemon; it can only be pushed.
  const output = input.push ? ['--push'] : input.platforms.length ? [] : ['--load'];
  return [
    ...dockerConfigArgs(input.configDir),
    'buildx',
    'build',
    ...common(input),
    ...(input.platforms.length ? ['--platform', input.platforms.join(',')] : []),
    '--metadata-file',
    input.metadataFile,
    ...output,
    input.context,
  ];
}

export function dockerLoginArgs(input: {
  registry: string;
  username: string;
  configDir: string;
}): string[] {
  return [
    ...dockerConfigArgs(input.configDir),
    'login',
    '--username',
    input.username,
    '--password-stdin',
    input.registry,
  ];
}

export function dockerSizeArgs(imageId: string): string[] {
  return ['image', 'inspect', '--format', '{{.Size}}', imageId];
}

/** `docker version` talks to the daemon: it fails when no daemon answers. */
export const DOCKER_PROBE_ARGS = ['version', '--format', '{{.Server.Version}}'];
export const CONTAINERS_PROBE_ARGS = ['--version'];

/** Reads buildx's metadata file: the config digest (image id) and, after a push, the manifest digest. */
export function parseBuildxMetadata(text: string): { imageId?: string; digest?: string } {
  const data = JSON.parse(text) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return {
    imageId: str(data['containerimage.config.digest']),
    digest: str(data['containerimage.digest']),
  };
}

/** Size of an image from its stored manifest (config + layers). */
export function manifestSize(text: string): number | undefined {
  const manifest = JSON.parse(text) as {
    config?: { size?: number };
    layers?: Array<{ size?: number }>;
  };
  if (!manifest.config || !Array.isArray(manifest.layers)) return undefined;
  return (manifest.config.size ?? 0) + manifest.layers.reduce((sum, l) => sum + (l.size ?? 0), 0);
}
