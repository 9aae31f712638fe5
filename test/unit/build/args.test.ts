import { describe, expect, it, test } from 'vitest';
import {
  buildahSizeArgs,
  containersBuildArgs,
  containersLoginArgs,
  containersPushArgs,
  dockerBuildArgs,
  dockerLoginArgs,
  manifestSize,
  parseBuildxMetadata,
  podmanSizeArgs,
} from '../../../src/builders/args.js';

const base = {
  file: '/repo/Containerfile',
  context: '/repo',
  refs: ['r.io/m:abc', 'r.io/m:latest'],
  labels: { 'b.label': '2', 'a.label': 'x y' },
  buildArgs: [] as string[],
};

describe('buildah/podman argument lists', () => {
  test.each([
    {
      name: 'tags, labels sorted by key, iid file, context last',
      input: { ...base, iidfile: '/w/iid' },
      want: [
        'build',
        '--file',
        '/repo/Containerfile',
        '--tag',
        'r.io/m:abc',
        '--tag',
        'r.io/m:latest',
        '--label',
        'a.label=x y',
        '--label',
        'b.label=2',
        '--iidfile',
        '/w/iid',
        '/repo',
      ],
    },
    {
      name: 'build args by name only (values come from the env)',
      input: {
        ...base,
        refs: ['r/m:1'],
        labels: {},
        buildArgs: ['TOKEN', 'MODE'],
        iidfile: '/w/iid',
      },
      want: [
        'build',
        '--file',
        '/repo/Containerfile',
        '--tag',
        'r/m:1',
        '--build-arg',
        'TOKEN',
        '--build-arg',
        'MODE',
        '--iidfile',
        '/w/iid',
        '/repo',
      ],
    },
    {
      name: 'the private auth file after a login',
      input: { ...base, refs: ['r/m:1'], labels: {}, iidfile: '/w/iid', authfile: '/w/auth.json' },
      want: [
        'build',
        '--file',
        '/repo/Containerfile',
        '--tag',
        'r/m:1',
        '--iidfile',
        '/w/iid',
        '--authfile',
        '/w/auth.json',
        '/repo',
      ],
    },
  ])('build: $name', ({ input, want }) => {
    expect(containersBuildArgs(input)).toEqual(want);
  });

  test.each([
    {
      input: { ref: 'r/m:1', digestfile: '/w/d', tlsVerify: true },
      want: ['push', '--digestfile', '/w/d', '--tls-verify=true', 'r/m:1'],
    },
    {
      // Unset: the tool's default, so registries.conf can still mark a registry insecure.
      input: { ref: 'r/m:1', digestfile: '/w/d' },
      want: ['push', '--digestfile', '/w/d', 'r/m:1'],
    },
    {
      input: { ref: '127.0.0.1:5000/m:1', digestfile: '/w/d', tlsVerify: false, authfile: '/w/a' },
      want: [
        'push',
        '--digestfile',
        '/w/d',
        '--tls-verify=false',
        '--authfile',
        '/w/a',
        '127.0.0.1:5000/m:1',
      ],
    },
  ])('push $input.ref', ({ input, want }) => {
    expect(containersPushArgs(input)).toEqual(want);
  });

  test.each([
    {
      input: { registry: 'ghcr.io', username: 'octo', tlsVerify: true, authfile: '/w/a' },
      want: [
        'login',
        '--username',
        'octo',
        '--password-stdin',
        '--tls-verify=true',
        '--authfile',
        '/w/a',
        'ghcr.io',
      ],
    },
    {
      input: { registry: 'quay.io', username: 'octo', authfile: '/w/a' },
      want: ['login', '--username', 'octo', '--password-stdin', '--authfile', '/w/a', 'quay.io'],
    },
    {
      input: { registry: 'localhost:5000', username: 'ci', tlsVerify: false, authfile: '/w/a' },
      want: [
        'login',
        '--username',
        'ci',
        '--password-stdin',
        '--tls-verify=false',
        '--authfile',
        '/w/a',
        'localhost:5000',
      ],
    },
  ])('login to $input.registry reads the password from stdin', ({ input, want }) => {
    expect(containersLoginArgs(input)).toEqual(want);
  });

  it('size: buildah reads the stored manifest, podman the size field', () => {
    expect(buildahSizeArgs('sha256:1')).toEqual([
      'inspect',
      '--type',
      'image',
      '--format',
      '{{.Manifest}}',
      'sha256:1',
    ]);
    expect(podmanSizeArgs('sha256:1')).toEqual([
      'image',
      'inspect',
      '--format',
      '{{.Size}}',
      'sha256:1',
    ]);
  });
});

describe('docker buildx argument lists', () => {
  const common = ['--file', '/repo/Containerfile', '--tag', 'r/m:1'];
  test.each([
    {
      name: 'push: one command builds and pushes',
      input: { platforms: [], push: true },
      want: ['buildx', 'build', ...common, '--metadata-file', '/w/meta.json', '--push', '/repo'],
    },
    {
      name: 'no push: loaded into the daemon',
      input: { platforms: [], push: false },
      want: ['buildx', 'build', ...common, '--metadata-file', '/w/meta.json', '--load', '/repo'],
    },
    {
      name: 'platforms and push',
      input: { platforms: ['linux/amd64', 'linux/arm64'], push: true },
      want: [
        'buildx',
        'build',
        ...common,
        '--platform',
        'linux/amd64,linux/arm64',
        '--metadata-file',
        '/w/meta.json',
        '--push',
        '/repo',
      ],
    },
    {
      name: 'platforms without push: nothing to load a multi-platform image into',
      input: { platforms: ['linux/arm64'], push: false },
      want: [
        'buildx',
        'build',
        ...common,
        '--platform',
        'linux/arm64',
        '--metadata-file',
        '/w/meta.json',
        '/repo',
      ],
    },
    {
      name: 'after our own login: the private config dir',
      input: { platforms: [], push: true, configDir: '/w/docker' },
      want: [
        '--config',
        '/w/docker',
        'buildx',
        'build',
        ...common,
        '--metadata-file',
        '/w/meta.json',
        '--push',
        '/repo',
      ],
    },
  ])('$name', ({ input, want }) => {
    expect(
      dockerBuildArgs({
        ...base,
        refs: ['r/m:1'],
        labels: {},
        metadataFile: '/w/meta.json',
        ...input,
      }),
    ).toEqual(want);
  });

  it('login reads the password from stdin into a private config dir', () => {
    expect(
      dockerLoginArgs({ registry: 'ghcr.io', username: 'octo', configDir: '/w/docker' }),
    ).toEqual([
      '--config',
      '/w/docker',
      'login',
      '--username',
      'octo',
      '--password-stdin',
      'ghcr.io',
    ]);
  });
});

describe('reading what the builders write', () => {
  it('buildx metadata: config digest and pushed manifest digest', () => {
    const text = JSON.stringify({
      'buildx.build.ref': 'default/default/x',
      'containerimage.config.digest': 'sha256:aaa',
      'containerimage.digest': 'sha256:bbb',
      'image.name': 'r/m:1',
    });
    expect(parseBuildxMetadata(text)).toEqual({ imageId: 'sha256:aaa', digest: 'sha256:bbb' });
    expect(parseBuildxMetadata('{"containerimage.config.digest":"sha256:aaa"}')).toEqual({
      imageId: 'sha256:aaa',
      digest: undefined,
    });
  });

  it('size of a stored manifest: config plus layers', () => {
    const manifest = {
      schemaVersion: 2,
      config: { size: 747 },
      layers: [{ size: 2560 }, { size: 100 }],
    };
    expect(manifestSize(JSON.stringify(manifest))).toBe(3407);
    expect(manifestSize('{"manifests":[]}')).toBeUndefined();
  });
});
