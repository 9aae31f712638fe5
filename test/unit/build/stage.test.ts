import { describe, expect, it, test } from 'vitest';
import { buildSummary, formatBytes } from '../../../src/builders/summary.js';
import { buildSection } from '../../../src/config/sections/build.js';
import { configSchema } from '../../../src/config/schema.js';
import { ConfigError } from '../../../src/core/errors.js';
import { readGitHubContext } from '../../../src/settings/github-context.js';
import { readStageInputs } from '../../../src/settings/stage-inputs.js';
import { registryLogin, sourceInfo } from '../../../src/stages/build.js';

const sha = 'abcdef0123456789abcdef0123456789abcdef01';
const github = (env: Record<string, string>) => readGitHubContext(env);

describe('build config', () => {
  it('defaults: auto builder, context ".", no image (the stage is skipped), push decided by the event', () => {
    expect(buildSection.parse(undefined)).toMatchObject({
      builder: 'auto',
      context: '.',
      args: {},
      platforms: [],
      tags: [],
      requires: [],
    });
    expect(buildSection.parse(undefined).push).toBeUndefined();
    expect(buildSection.parse(undefined).timeout).toBe(30 * 60_000);
  });

  it('an unknown builder lists the allowed ones', () => {
    const result = configSchema.safeParse({ build: { builder: 'dokcer' } });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(/auto.*docker.*buildah.*podman/);
  });

  test.each([
    'ghcr.io/Org/model',
    'ghcr.io/org/model:latest',
    'r.io/m@sha256:abc',
    'https://r.io/m',
  ])('image %s is refused', (image) => {
    expect(buildSection.safeParse({ image }).success).toBe(false);
  });

  test.each(['ghcr.io/org/model', '127.0.0.1:5000/classifier', 'localhost/a/b', 'org/model-x_y.z'])(
    'image %s is accepted',
    (image) => {
      expect(buildSection.safeParse({ image }).success).toBe(true);
    },
  );
});

describe('sourceInfo', () => {
  const git = {
    sha: '1111111111111111111111111111111111111111',
    branch: 'local-branch',
    defaultBranch: 'main',
    remoteUrl: 'git@github.com:me/repo.git',
  };

  it('locally: everything from git, version = short sha, source from the remote', () => {
    expect(sourceInfo({ github: github({}), flags: {} }, git)).toEqual({
      sha: git.sha,
      branch: 'local-branch',
      defaultBranch: 'main',
      version: '1111111',
      source: 'https://github.com/me/repo',
    });
  });

  it('in Actions: GitHub env wins (detached checkouts), --version wins for the version', () => {
    const env = {
      GITHUB_SHA: sha,
      GITHUB_REF: 'refs/heads/release',
      GITHUB_REF_NAME: 'release',
      GITHUB_REPOSITORY: 'o/r',
    };
    expect(
      sourceInfo({ github: github(env), flags: { version: 'v2' } }, { ...git, branch: undefined }),
    ).toMatchObject({
      sha,
      branch: 'release',
      version: 'v2',
      source: 'https://github.com/o/r',
    });
  });

  it('pull requests: the head branch', () => {
    const env = {
      GITHUB_SHA: sha,
      GITHUB_REF: 'refs/pull/7/merge',
      GITHUB_REF_NAME: '7/merge',
      GITHUB_HEAD_REF: 'feature',
    };
    expect(sourceInfo({ github: github(env), flags: {} }, {}).branch).toBe('feature');
  });

  it('no git and no GITHUB_SHA: an environment error', () => {
    expect(() => sourceInfo({ github: github({}), flags: {} }, {})).toThrow(
      /cannot tell which commit to build/,
    );
  });
});

describe('registryLogin', () => {
  const actions = github({
    GITHUB_ACTIONS: 'true',
    GITHUB_TOKEN: 'ghs_jobtoken',
    GITHUB_ACTOR: 'octocat',
  });

  test.each([
    {
      name: 'inputs win over env',
      env: {
        'INPUT_REGISTRY-USERNAME': 'in',
        'INPUT_REGISTRY-PASSWORD': 'inpass',
        REGISTRY_USERNAME: 'env',
        REGISTRY_PASSWORD: 'envpass',
      },
      want: { username: 'in', password: 'inpass' },
    },
    {
      name: 'env when no inputs',
      env: { REGISTRY_USERNAME: 'env', REGISTRY_PASSWORD: 'envpass' },
      want: { username: 'env', password: 'envpass' },
    },
    {
      name: 'empty inputs fall back to env',
      env: {
        'INPUT_REGISTRY-USERNAME': '',
        REGISTRY_USERNAME: 'env',
        REGISTRY_PASSWORD: 'envpass',
      },
      want: { username: 'env', password: 'envpass' },
    },
  ])('$name', ({ env, want }) => {
    expect(registryLogin({ inputs: readStageInputs(env), github: github({}) }, 'r.io')).toEqual({
      registry: 'r.io',
      ...want,
    });
  });

  it('ghcr.io in Actions: the job token by default', () => {
    expect(registryLogin({ inputs: readStageInputs({}), github: actions }, 'ghcr.io')).toEqual({
      registry: 'ghcr.io',
      username: 'octocat',
      password: 'ghs_jobtoken',
    });
    expect(
      registryLogin({ inputs: readStageInputs({}), github: actions }, 'quay.io'),
    ).toBeUndefined();
    expect(
      registryLogin(
        { inputs: readStageInputs({}), github: github({ GITHUB_TOKEN: 'ghs_x' }) },
        'ghcr.io',
      ),
    ).toBeUndefined();
  });

  it('half the credentials is a config error naming the missing one', () => {
    expect(() =>
      registryLogin(
        { inputs: readStageInputs({ REGISTRY_USERNAME: 'u' }), github: github({}) },
        'r.io',
      ),
    ).toThrow(ConfigError);
    expect(() =>
      registryLogin(
        { inputs: readStageInputs({ REGISTRY_USERNAME: 'u' }), github: github({}) },
        'r.io',
      ),
    ).toThrow(/REGISTRY_PASSWORD \(input registry-password\) is missing/);
  });
});

describe('summary', () => {
  test.each([
    [undefined, '—'],
    [512, '512 B'],
    [23396, '22.8 KiB'],
    [5 * 1024 * 1024, '5.0 MiB'],
  ])('formatBytes(%s) = %s', (bytes, want) => {
    expect(formatBytes(bytes)).toBe(want);
  });

  it('lists image, tags, digest, size and labels', () => {
    const md = buildSummary({
      builder: 'buildah',
      image: 'r.io/m',
      tags: [sha, 'latest'],
      file: 'Containerfile',
      labels: {
        'org.opencontainers.image.revision': sha,
        'dev.model-delivery.metrics.accuracy': '0.9',
      },
      pushed: true,
      imageId: 'sha256:cfg',
      digest: 'sha256:dig',
      size: 2048,
    });
    for (const text of [
      '`r.io/m`',
      `\`${sha}\` \`latest\``,
      '`sha256:dig`',
      '2.0 KiB (uncompressed)',
      '`dev.model-delivery.metrics.accuracy` | 0.9',
      'buildah from `Containerfile`',
    ]) {
      expect(md).toContain(text);
    }
  });

  it('says when nothing was pushed', () => {
    const md = buildSummary({
      builder: 'buildah',
      image: 'r/m',
      tags: ['t'],
      file: 'F',
      labels: {},
      pushed: false,
      imageId: 'sha256:cfg',
    });
    expect(md).toContain('not pushed (image id `sha256:cfg`)');
  });
});
