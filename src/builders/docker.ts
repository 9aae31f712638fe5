import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DOCKER_PROBE_ARGS,
  dockerBuildArgs,
  dockerLoginArgs,
  dockerSizeArgs,
  parseBuildxMetadata,
} from './args.js';
import { createToolExec, type ToolExec } from './exec.js';
import {
  BuilderCommandError,
  type BuildRequest,
  type BuilderOptions,
  type BuiltImage,
  type ImageBuilder,
  type LoginRequest,
  type ProbeResult,
} from './types.js';

/**
 * docker with buildx: one command builds and pushes, and its metadata file gives the
 * pushed digest. Plain-HTTP registries follow the daemon's `insecure-registries`
 * (loopback is insecure by default), so `tlsVerify` is not used here.
 */
export class DockerBuilder implements ImageBuilder {
  readonly kind = 'docker' as const;
  readonly pushesWhileBuilding = true;
  readonly #exec: ToolExec;
  #configDir: string | undefined;

  constructor(private readonly options: BuilderOptions) {
    this.#exec = createToolExec({
      binary: 'docker',
      log: options.log,
      cwd: options.cwd,
      env: options.env,
      timeoutMs: options.timeoutMs,
    });
  }

  async probe(): Promise<ProbeResult> {
    const result = await this.#exec(DOCKER_PROBE_ARGS);
    return result.exitCode === 0
      ? { usable: true, version: result.stdout.trim() }
      : { usable: false, why: result.tail.at(-1) ?? `exit code ${result.exitCode}` };
  }

  async login(request: LoginRequest): Promise<void> {
    // A private config directory: the credentials do not outlive the stage.
    const configDir = join(this.options.workDir, 'docker-config');
    const result = await this.#exec(
      dockerLoginArgs({ registry: request.registry, username: request.username, configDir }),
      {
        input: request.password,
      },
    );
    if (result.exitCode !== 0)
      throw new BuilderCommandError('login', result.command, result.exitCode, result.tail);
    this.#configDir = configDir;
  }

  async build(request: BuildRequest): Promise<BuiltImage> {
    const metadataFile = join(this.options.workDir, 'buildx-metadata.json');
    const args = dockerBuildArgs({ ...request, metadataFile, configDir: this.#configDir });
    const result = await this.#exec(args, { stream: true });
    if (result.exitCode !== 0)
      throw new BuilderCommandError('build', result.command, result.exitCode, result.tail);
    if (!existsSync(metadataFile))
      throw new BuilderCommandError('build', result.command, 0, [
        'docker buildx wrote no metadata file',
      ]);
    const metadata = parseBuildxMetadata(readFileSync(metadataFile, 'utf8'));
    if (!metadata.imageId)
      throw new BuilderCommandError('build', result.command, 0, [
        'docker buildx reported no image digest',
      ]);
    if (request.push && !metadata.digest)
      throw new BuilderCommandError('push', result.command, 0, [
        'docker buildx pushed but reported no digest',
      ]);
    return { imageId: metadata.imageId, digest: request.push ? metadata.digest : undefined };
  }

  /** buildx already pushed while building; there is nothing left to push. */
  push(): Promise<string> {
    return Promise.reject(new Error('docker pushes while building: call build with push set'));
  }

  async size(imageId: string): Promise<number | undefined> {
    const result = await this.#exec(dockerSizeArgs(imageId));
    const size = Number(result.stdout.trim());
    return result.exitCode === 0 && Number.isFinite(size) ? size : undefined;
  }
}
