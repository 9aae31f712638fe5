import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createImageBuilder, resolveImageBuilder } from '../../../src/builders/factory.js';
import { memoryLogger } from '../../../src/core/log.js';
import { ConfigError, EnvironmentError } from '../../../src/core/errors.js';
import { e2e, hasBinary } from '../../helpers/e2e.js';

/** A PATH holding only the named real binaries (symlinked), so detection sees exactly those. */
function pathWith(...binaries: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'md-path-'));
  dirs.push(dir);
  for (const b of binaries) {
    if (!hasBinary(b)) continue;
    const real = execFileSync('sh', ['-c', 'command -v "$0"', b]).toString().trim();
    symlinkSync(real, join(dir, b));
  }
  return dir;
}
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function options(path: string) {
  // A Docker socket that cannot answer, whatever this machine runs.
  return {
    log: memoryLogger(),
    cwd: tmpdir(),
    env: { PATH: path, DOCKER_HOST: 'unix:///nonexistent/docker.sock', HOME: process.env.HOME },
    timeoutMs: 30_000,
    tlsVerify: true,
    workDir: tmpdir(),
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('choosing the image builder', () => {
  it.skipIf(!e2e('buildah'))(
    'auto: docker without an answering daemon is passed over for buildah',
    async () => {
      const resolved = await resolveImageBuilder('auto', options(pathWith('docker', 'buildah')));
      expect(resolved.builder.kind).toBe('buildah');
      expect(resolved.version).toMatch(/^\d+\.\d+/);
      expect(resolved.skipped).toHaveLength(1);
      expect(resolved.skipped[0]).toMatch(
        hasBinary('docker') ? /^docker: (?!not installed).+/ : /^docker: not installed$/,
      );
    },
  );

  it('auto with no usable builder: exit 3, saying what to install', async () => {
    const error = await rejection(resolveImageBuilder('auto', options(pathWith('docker'))));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).exitCode).toBe(3);
    expect(error.message).toMatch(
      /no image builder is usable \(docker: .+; buildah: not installed; podman: not installed\); install buildah \(apt-get install buildah\) or podman, or start the Docker daemon/,
    );
  });

  it('an explicit builder that is missing is named', async () => {
    const error = await rejection(resolveImageBuilder('podman', options(pathWith())));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.message).toMatch(
      /build\.builder is podman, but it is not usable \(podman: not installed\)/,
    );
  });

  it('an unknown builder is a config error listing the allowed ones', () => {
    expect(() => createImageBuilder('dokcer', options(pathWith()))).toThrow(ConfigError);
    expect(() => createImageBuilder('dokcer', options(pathWith()))).toThrow(
      /unknown builder "dokcer"; allowed: auto, docker, buildah, podman/,
    );
  });
});
