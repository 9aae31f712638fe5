import { describe, expect, test } from 'vitest';
import { parseCliArgs } from '../../../src/cli/args.js';
import { UsageError } from '../../../src/core/errors.js';
import { stageFlags } from '../../../src/settings/action-io.js';
import { imageFlag, resolveRelease } from '../../../src/targets/release.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const inputs = { set: [], releaseBranches: [], force: false };

describe('--image: the image deploy ships when the build ran elsewhere', () => {
  test('the flag, and the action input (the command line wins)', () => {
    expect(parseCliArgs(['deploy', '--image', ` ghcr.io/o/m@${DIGEST} `]).flags.image).toBe(
      `ghcr.io/o/m@${DIGEST}`,
    );
    expect(stageFlags<{ image?: string }>({}, { ...inputs, image: 'r/m:v1' }).image).toBe('r/m:v1');
    expect(stageFlags({ image: 'r/m:v2' }, { ...inputs, image: 'r/m:v1' }).image).toBe('r/m:v2');
    expect(stageFlags({}, inputs)).not.toHaveProperty('image');
  });

  test('kubernetes: --image without any build report, by digest', async () => {
    const release = await resolveRelease({
      root: '/nonexistent',
      target: 'kubernetes',
      version: 'v4',
      sha: 'abc',
      image: `ghcr.io/o/m@${DIGEST}`,
    });
    expect(release).toEqual({
      version: 'v4',
      sha: 'abc',
      image: `ghcr.io/o/m@${DIGEST}`,
      digest: DIGEST,
    });
  });

  test('without it or a build, the error names both ways', async () => {
    await expect(
      resolveRelease({ root: '/nonexistent', target: 'kubernetes', version: 'v4', sha: 'abc' }),
    ).rejects.toThrow(/run model-delivery build first, or pass .* --image/);
  });

  test.each([
    ['ghcr.io/o/m@sha256:short'],
    ['ghcr.io/o/m --privileged'],
    ['-rm'],
    [''],
    ['Ghcr.io/O/M:v1'],
  ])('%j is refused (exit 2)', (ref) => {
    expect(() => imageFlag(ref)).toThrow(UsageError);
    expect(() => imageFlag(ref)).toThrow(/is not an image reference/);
  });

  test.each([
    ['ghcr.io/o/m:v1'],
    ['localhost:5000/team/model'],
    [`m@${DIGEST}`],
    [`r.io/a/b:1.0@${DIGEST}`],
  ])('%s is an image reference', (ref) => {
    expect(imageFlag(ref).image).toBe(ref);
  });

  test('the local target refuses it rather than ignoring it', async () => {
    await expect(
      resolveRelease({
        root: '/nonexistent',
        target: 'local',
        version: 'v4',
        sha: 'abc',
        image: 'r/m:v1',
      }),
    ).rejects.toThrow(/--image is for deploy.target kubernetes/);
  });
});
