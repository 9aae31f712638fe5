import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { ConfigError, EnvironmentError, UsageError } from '../../../src/core/errors.js';
import { memoryLogger } from '../../../src/core/log.js';
import { SecretRegistry } from '../../../src/core/secrets.js';
import { deploymentRequest, shortDescription } from '../../../src/github/deployments.js';
import { readStageInputs } from '../../../src/settings/stage-inputs.js';
import { createDeployTarget } from '../../../src/targets/factory.js';
import { previousRelease } from '../../../src/targets/local.js';
import { releaseFromRef, resolveRelease } from '../../../src/targets/release.js';
import type { Release } from '../../../src/targets/types.js';

const r = (version: string, sha = ''): Release => ({ version, sha, image: `local:${version}` });

describe('deploy config', () => {
  test('defaults: local target, production, 10 %, port 8080, /health', () => {
    const { deploy } = configSchema.parse({});
    expect(deploy).toMatchObject({
      target: 'local',
      environment: 'production',
      timeout: 300_000,
      canary: { percent: 10 },
      local: { port: 8080, readyPath: '/health', readyTimeout: 30_000, env: {} },
      kubernetes: { namespace: 'default' },
    });
  });

  test.each([
    [{ target: 'nomad' }, /local.*kubernetes|kubernetes.*local/],
    [{ canary: { percent: 60 } }, /50/],
    [{ canary: { percent: 0 } }, /0/],
    [{ local: { readyPath: 'health' } }, /starting with \//],
    [{ local: { port: 70000 } }, /65535/],
    [{ timeout: 'soon' }, /duration/],
  ])('%j is rejected with a message that says what is allowed', (deploy, message) => {
    const result = configSchema.safeParse({ deploy });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(message);
  });
});

describe('createDeployTarget', () => {
  const ctx = (target: string) => ({
    config: {
      ...configSchema.parse({}),
      deploy: { ...configSchema.parse({}).deploy, target },
    } as never,
    root: '/nonexistent',
    env: {},
    inputs: readStageInputs({}),
    log: memoryLogger(),
    secrets: new SecretRegistry(),
    flags: {},
    github: { actions: false, serverUrl: '', apiUrl: '' },
  });
  test('an unknown name is a config error naming the allowed ones', async () => {
    await expect(createDeployTarget(ctx('nomad'))).rejects.toThrow(ConfigError);
    await expect(createDeployTarget(ctx('nomad'))).rejects.toThrow(/local, kubernetes/);
  });
  test('local gives the local target', async () => {
    expect((await createDeployTarget(ctx('local'))).constructor.name).toBe('LocalTarget');
  });
});

describe('resolveRelease', () => {
  const repo = mkdtempSync(join(tmpdir(), 'md-release-'));
  afterAll(() => rmSync(repo, { recursive: true, force: true }));
  execFileSync('git', ['init', '-q', repo]);
  writeFileSync(join(repo, 'a'), 'a');
  execFileSync('git', ['-C', repo, 'add', 'a']);
  execFileSync('git', [
    '-C',
    repo,
    '-c',
    'user.name=t',
    '-c',
    'user.email=t@t',
    'commit',
    '-qm',
    'a',
  ]);
  const head = execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();

  test('local: version defaults to the short sha; the image is a label', async () => {
    expect(await resolveRelease({ root: repo, target: 'local' })).toEqual({
      version: head.slice(0, 7),
      sha: head,
      image: `local:${head.slice(0, 7)}`,
    });
  });
  test('--version and GITHUB_SHA win', async () => {
    expect(
      await resolveRelease({ root: repo, target: 'local', version: 'v2', sha: 'abc1234def' }),
    ).toEqual({ version: 'v2', sha: 'abc1234def', image: 'local:v2' });
  });
  test('kubernetes: the image and digest come from the build report', async () => {
    const build = {
      stage: 'build' as const,
      status: 'success' as const,
      reason: 'ok',
      details: { skipped: true as const },
      exitCode: 0 as const,
      startedAt: '',
      durationMs: 1,
      outputs: { image: 'ghcr.io/o/m:abc', digest: 'sha256:00' },
    };
    expect(
      await resolveRelease({ root: repo, target: 'kubernetes', version: 'v2', build }),
    ).toEqual({ version: 'v2', sha: head, image: 'ghcr.io/o/m:abc', digest: 'sha256:00' });
    // --image (an image built elsewhere) wins over the report of this workspace.
    const image = 'localhost:5000/o/m:v4';
    expect(
      await resolveRelease({ root: repo, target: 'kubernetes', version: 'v2', build, image }),
    ).toEqual({ version: 'v2', sha: head, image });
  });
  test('kubernetes without a build is an environment error that says to build first', async () => {
    await expect(resolveRelease({ root: repo, target: 'kubernetes' })).rejects.toThrow(
      EnvironmentError,
    );
    await expect(resolveRelease({ root: repo, target: 'kubernetes' })).rejects.toThrow(
      /run model-delivery build first/,
    );
  });
  test('outside git without --version: says to pass --version', async () => {
    await expect(resolveRelease({ root: tmpdir(), target: 'local' })).rejects.toThrow(/--version/);
  });
});

describe('releaseFromRef', () => {
  const known = [
    { version: 'v1', sha: 'aaaaaaaa11', image: 'ghcr.io/o/m:v1', digest: 'sha256:11' },
  ];
  test.each([
    ['v1', 'kubernetes', known[0]],
    ['aaaaaaa', 'kubernetes', known[0]],
    ['sha256:11', 'kubernetes', known[0]],
    ['v7', 'local', { version: 'v7', sha: '', image: 'local:v7' }],
    ['ghcr.io/o/m:v9', 'kubernetes', { version: 'v9', sha: '', image: 'ghcr.io/o/m:v9' }],
    [
      'ghcr.io/o/m@sha256:99',
      'kubernetes',
      { version: 'sha256:99', sha: '', image: 'ghcr.io/o/m@sha256:99', digest: 'sha256:99' },
    ],
    [
      'localhost:5000/m',
      'kubernetes',
      { version: 'localhost:5000/m', sha: '', image: 'localhost:5000/m' },
    ],
  ] as const)('%s on %s', (ref, target, expected) => {
    expect(releaseFromRef(ref, known, target)).toEqual(expected);
  });
});

describe('previousRelease', () => {
  test.each([
    [[], undefined],
    [[r('v1')], undefined],
    [[r('v1'), r('v2')], 'v1'],
    [[r('v1'), r('v2'), r('v2')], 'v1'],
    [[r('v1'), r('v2'), r('v3')], 'v2'],
  ])('%j → %s', (history, expected) => {
    expect(previousRelease(history)?.version).toBe(expected);
  });
});

describe('deploymentRequest', () => {
  test('the body GitHub gets: no auto-merge, no required contexts, production flag, payload', () => {
    const release = {
      version: 'v2',
      sha: 'c0ffee',
      image: 'ghcr.io/o/m@sha256:22',
      digest: 'sha256:22',
    };
    expect(
      deploymentRequest(
        release,
        { version: 'v1', sha: 'b', image: 'ghcr.io/o/m@sha256:11' },
        'production',
      ),
    ).toEqual({
      ref: 'c0ffee',
      environment: 'production',
      payload: {
        image: 'ghcr.io/o/m@sha256:22',
        digest: 'sha256:22',
        version: 'v2',
        previousImage: 'ghcr.io/o/m@sha256:11',
      },
      auto_merge: false,
      required_contexts: [],
      production_environment: true,
      transient_environment: false,
      description: 'model-delivery v2 (ghcr.io/o/m@sha256:22)',
    });
    expect(deploymentRequest(release, undefined, 'staging').production_environment).toBe(false);
    expect(deploymentRequest(release, undefined, 'staging').payload).not.toHaveProperty(
      'previousImage',
    );
  });
  test('descriptions are cut to GitHub’s 140 characters', () => {
    expect(shortDescription('x'.repeat(200))).toHaveLength(140);
    expect(shortDescription('short')).toBe('short');
  });
});

describe('a long or odd --version: the same clear error on both targets', () => {
  test.each(['local', 'kubernetes'] as const)('%s', async (target) => {
    for (const version of ['v'.repeat(300), 'v1 beta', 'v1\u0007']) {
      const error = await resolveRelease({
        root: '/nonexistent',
        target,
        version,
        sha: 'a'.repeat(40),
        build: {
          stage: 'build',
          status: 'success',
          reason: 'built',
          details: { skipped: true },
          exitCode: 0,
          outputs: { image: 'r/x:1' },
          startedAt: '',
          durationMs: 0,
        },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).reason).toBe('version_invalid');
      expect((error as Error).message).toMatch(/^--version /);
    }
  });
});
