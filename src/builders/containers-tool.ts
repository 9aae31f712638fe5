import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  containersBuildArgs,
  containersLoginArgs,
  containersPushArgs,
  CONTAINERS_PROBE_ARGS,
} from './args.js';
import { createToolExec, type ToolExec } from './exec.js';
import { parseDigest } from './image-ref.js';
import {
  BuilderCommandError,
  type BuildRequest,
  type BuilderKind,
  type BuilderOptions,
  type BuiltImage,
  type ImageBuilder,
  type LoginRequest,
  type ProbeResult,
} from './types.js';

/**
 * buildah and podman share their command line (containers/image): build with an iid file,
 * push with a digest file, log in with a private auth file. Each file (buildah.ts,
 * podman.ts) adds what differs.
 */
export abstract class ContainersToolBuilder implements ImageBuilder {
  abstract readonly kind: BuilderKind;
  readonly pushesWhileBuilding = false;
  protected readonly exec: ToolExec;
  #authfile: string | undefined;

  constructor(
    binary: string,
    protected readonly options: BuilderOptions,
  ) {
    this.exec = createToolExec({
      binary,
      log: options.log,
      cwd: options.cwd,
      env: options.env,
      timeoutMs: options.timeoutMs,
    });
  }

  async probe(): Promise<ProbeResult> {
    const result = await this.exec(CONTAINERS_PROBE_ARGS);
    return result.exitCode === 0
      ? {
          usable: true,
          version: result.stdout
            .trim()
            .replace(/^\S+ version /, '')
            .replace(/\s*\(.*\)$/, ''),
        }
      : { usable: false, why: result.tail.at(-1) ?? `exit code ${result.exitCode}` };
  }

  async login(request: LoginRequest): Promise<void> {
    // A private auth file: the credentials do not outlive the stage, and other jobs' logins are not touched.
    const authfile = join(this.options.workDir, 'auth.json');
    const args = containersLoginArgs({
      registry: request.registry,
      username: request.username,
      tlsVerify: this.options.tlsVerify,
      authfile,
    });
    const result = await this.exec(args, { input: request.password });
    if (result.exitCode !== 0)
      throw new BuilderCommandError('login', result.command, result.exitCode, result.tail);
    this.#authfile = authfile;
  }

  async build(request: BuildRequest): Promise<BuiltImage> {
    const iidfile = join(this.options.workDir, 'iid');
    const result = await this.exec(
      containersBuildArgs({ ...request, iidfile, authfile: this.#authfile }),
      { stream: true },
    );
    if (result.exitCode !== 0)
      throw new BuilderCommandError('build', result.command, result.exitCode, result.tail);
    return { imageId: readFileSync(iidfile, 'utf8').trim() };
  }

  async push(refs: string[]): Promise<string> {
    const digests = new Set<string>();
    for (const [i, ref] of refs.entries()) {
      const digestfile = join(this.options.workDir, `digest-${i}`);
      const args = containersPushArgs({
        ref,
        digestfile,
        tlsVerify: this.options.tlsVerify,
        authfile: this.#authfile,
      });
      const result = await this.exec(args, { stream: true });
      if (result.exitCode !== 0)
        throw new BuilderCommandError('push', result.command, result.exitCode, result.tail);
      const digest = parseDigest(readFileSync(digestfile, 'utf8'));
      if (!digest)
        throw new BuilderCommandError('push', result.command, 0, [
          `no digest in ${digestfile} after the push`,
        ]);
      digests.add(digest);
    }
    // Every tag is pushed from the same image; two digests would mean the registry rewrote one.
    if (digests.size !== 1) {
      throw new BuilderCommandError('push', 'push', 0, [
        `the tags were pushed with different digests: ${[...digests].join(', ')}`,
      ]);
    }
    return [...digests][0] as string;
  }

  abstract size(imageId: string): Promise<number | undefined>;
}
