import type { Logger } from '../core/log.js';

export type BuilderKind = 'docker' | 'buildah' | 'podman';

/** What to build. Paths are absolute; refs are `repository:tag`. */
export interface BuildRequest {
  context: string;
  file: string;
  refs: string[];
  labels: Record<string, string>;
  /** Build-arg names; their values are in the builder's environment, never in its argv. */
  buildArgs: string[];
  platforms: string[];
  /** Builders that push while building (docker buildx) do it when this is set. */
  push: boolean;
}

export interface BuiltImage {
  /** The builder's id of the image (its config digest). */
  imageId: string;
  /** The pushed manifest's digest, when the build step pushed (docker buildx --push). */
  digest?: string;
}

export interface LoginRequest {
  registry: string;
  username: string;
  /** Given to the builder on stdin, never in its argv. */
  password: string;
}

/**
 * An image builder (docker, buildah, podman): one implementation per file, created by
 * `createImageBuilder`. Failures of the tool are thrown as `BuilderCommandError`; the
 * stage decides what they mean.
 */
export interface ImageBuilder {
  readonly kind: BuilderKind;
  /** Whether `build` pushes by itself when asked (docker buildx); otherwise `push` does. */
  readonly pushesWhileBuilding: boolean;
  /** `Usable` when the tool runs (and, for docker, its daemon answers). */
  probe(): Promise<ProbeResult>;
  login(request: LoginRequest): Promise<void>;
  build(request: BuildRequest): Promise<BuiltImage>;
  /** Pushes every ref; returns the manifest digest the tool wrote after pushing. */
  push(refs: string[]): Promise<string>;
  /** Size in bytes as the builder stores the image (uncompressed), when it can tell. */
  size(imageId: string): Promise<number | undefined>;
}

export type ProbeResult = { usable: true; version: string } | { usable: false; why: string };

/** What every builder receives: where to run, with which env, and a private directory for its files. */
export interface BuilderOptions {
  log: Logger;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Time limit of each command. */
  timeoutMs: number;
  /**
   * Verify the registry's TLS certificate (buildah, podman; docker follows its daemon's
   * config). Undefined: the tool's default and registries.conf decide.
   */
  tlsVerify?: boolean;
  /** A private temporary directory for the auth file, iid and digest files; the caller removes it. */
  workDir: string;
}

/** A builder command that exited non-zero. `command` holds no secret (passwords go on stdin). */
export class BuilderCommandError extends Error {
  constructor(
    readonly step: 'login' | 'build' | 'push' | 'inspect',
    readonly command: string,
    readonly exitCode: number,
    readonly tail: string[],
  ) {
    super(`\`${command}\` exited with code ${exitCode}`);
    this.name = 'BuilderCommandError';
  }
}
