import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../../src/core/errors.js';
import {
  ANNOTATION,
  cloneForTrack,
  currentRelease,
  findContainer,
  imageForRelease,
  imagePatch,
  isRolledOut,
  labelValue,
  lockIsStale,
  readLock,
  readRelease,
  releaseAnnotation,
  selectorSeparatesTracks,
  type Deployment,
} from '../../../src/targets/kubernetes-manifests.js';
import type { Release } from '../../../src/targets/types.js';
import { validateDeployment } from '../../fakes/kubernetes/validate.js';
import type { JsonObject } from '../../fakes/kubernetes/patches.js';

const example = (): Deployment =>
  parseYaml(
    readFileSync(
      join(import.meta.dirname, '../../../examples/classifier/k8s/deployment.yaml'),
      'utf8',
    ),
  ) as Deployment;

/** What the server returns on GET: identity, server annotations, status. */
function live(): Deployment {
  const d = example();
  d.metadata = {
    ...d.metadata,
    namespace: 'models',
    uid: 'u-1',
    resourceVersion: '17',
    generation: 3,
    creationTimestamp: '2026-01-01T00:00:00Z',
    managedFields: [{ manager: 'kubectl-client-side-apply' }],
    annotations: {
      'deployment.kubernetes.io/revision': '3',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      [ANNOTATION.lock]: '{"holder":"x","since":"2026-01-01T00:00:00Z"}',
      'team.example/owner': 'ml',
    },
  };
  d.spec.paused = true;
  d.status = { observedGeneration: 3, replicas: 4, updatedReplicas: 4, availableReplicas: 4 };
  return d;
}

const release: Release = {
  version: 'v2',
  sha: 'abc',
  image: 'ghcr.io/e/c:v2',
  digest: 'sha256:dd',
};

describe('cloneForTrack', () => {
  const canary = cloneForTrack({
    stable: live(),
    track: 'canary',
    container: 'model',
    image: 'ghcr.io/e/c@sha256:dd',
    replicas: 1,
    release,
  });

  test('a valid Deployment whose selector keeps its pods apart from stable', () => {
    expect(validateDeployment(canary as unknown as JsonObject)).toEqual([]);
    expect(canary.metadata.name).toBe('classifier-canary');
    expect(canary.spec.selector.matchLabels).toEqual({ app: 'classifier', track: 'canary' });
    expect(canary.spec.template.metadata?.labels).toEqual({
      app: 'classifier',
      track: 'canary',
      version: 'v2',
      environment: 'production',
    });
    expect(canary.spec.replicas).toBe(1);
    expect(canary.spec.template.spec.containers[0]?.image).toBe('ghcr.io/e/c@sha256:dd');
  });

  test('carries nothing the server owns, no lock, and is not paused', () => {
    expect(Object.keys(canary.metadata).sort()).toEqual([
      'annotations',
      'labels',
      'name',
      'namespace',
    ]);
    expect(Object.keys(canary.metadata.annotations ?? {}).sort()).toEqual([
      ANNOTATION.release,
      'team.example/owner',
    ]);
    expect(canary.spec.paused).toBeUndefined();
    expect('status' in canary).toBe(false);
    expect(readRelease(canary)).toEqual(release);
  });

  test('the baseline keeps stable’s image and version label', () => {
    const stable = live();
    const baseline = cloneForTrack({
      stable,
      track: 'baseline',
      container: 'model',
      image: 'ghcr.io/example/classifier:latest',
      replicas: 2,
      release: { version: 'v1', sha: '', image: 'x' },
    });
    expect(baseline.spec.template.metadata?.labels).toEqual({
      app: 'classifier',
      track: 'baseline',
      version: 'v1',
      environment: 'production',
    });
    expect(baseline.spec.template.spec.containers[0]?.image).toBe(
      'ghcr.io/example/classifier:latest',
    );
    expect(stable.spec.paused).toBe(true); // the input is not changed
  });
});

describe('releases, images, labels', () => {
  test.each<[Release, string]>([
    [
      { version: 'v2', sha: '', image: 'ghcr.io/e/c:v2', digest: 'sha256:1' },
      'ghcr.io/e/c@sha256:1',
    ],
    [
      { version: 'v2', sha: '', image: 'localhost:5000/e/c:v2', digest: 'sha256:1' },
      'localhost:5000/e/c@sha256:1',
    ],
    [
      { version: 'v2', sha: '', image: 'localhost:5000/e/c', digest: 'sha256:1' },
      'localhost:5000/e/c@sha256:1',
    ],
    [
      { version: 'v2', sha: '', image: 'ghcr.io/e/c@sha256:1', digest: 'sha256:1' },
      'ghcr.io/e/c@sha256:1',
    ],
    [{ version: 'v2', sha: '', image: 'ghcr.io/e/c:v2' }, 'ghcr.io/e/c:v2'],
  ])('%j runs as %s', (r, image) => {
    expect(imageForRelease(r)).toBe(image);
  });

  test.each([
    ['v2', 'v2'],
    ['sha256:abc', 'sha256-abc'],
    ['-v2-', 'v2'],
    ['x'.repeat(70), 'x'.repeat(63)],
  ])('label value of %s is %s', (text, value) => {
    expect(labelValue(text)).toBe(value);
  });

  test('the image patch sets the version label only when the template has one', () => {
    expect(imagePatch(example(), 'model', 'img:2', 'v2')).toEqual({
      spec: {
        template: {
          metadata: { labels: { version: 'v2' } },
          spec: { containers: [{ name: 'model', image: 'img:2' }] },
        },
      },
    });
    const bare = example();
    delete bare.spec.template.metadata?.labels?.version;
    expect(imagePatch(bare, 'model', 'img:2', 'v2')).toEqual({
      spec: { template: { spec: { containers: [{ name: 'model', image: 'img:2' }] } } },
    });
  });

  test('stable’s release: recorded when the image still matches, else read from the image and labels', () => {
    const d = example();
    expect(currentRelease(d, 'model')).toEqual({
      version: 'v1',
      sha: '',
      image: 'ghcr.io/example/classifier:latest',
    });
    d.metadata.annotations = {
      [ANNOTATION.release]: releaseAnnotation(
        { version: 'v1', sha: 's', image: 'ghcr.io/example/classifier:latest' },
        new Date(0),
      ),
    };
    expect(currentRelease(d, 'model')).toMatchObject({
      version: 'v1',
      sha: 's',
      time: '1970-01-01T00:00:00.000Z',
    });
    d.spec.template.spec.containers[0]!.image = 'ghcr.io/example/classifier:other';
    expect(currentRelease(d, 'model')).toMatchObject({ version: 'v1', sha: '' });
  });

  test('an annotation in another format reads as absent', () => {
    const d = example();
    d.metadata.annotations = { [ANNOTATION.release]: 'v1', [ANNOTATION.lock]: '{"holder":1}' };
    expect(readRelease(d)).toBeUndefined();
    expect(readLock(d)).toBeUndefined();
  });
});

describe('containers, locks, readiness', () => {
  test('the only container is picked; a missing or ambiguous one is a config error naming the choices', () => {
    expect(findContainer(example()).name).toBe('model');
    expect(() => findContainer(example(), 'nope')).toThrow(
      /has no container "nope"; it has: model/,
    );
    const two = example();
    two.spec.template.spec.containers.push({ name: 'sidecar', image: 'proxy' });
    expect(() => findContainer(two)).toThrow(ConfigError);
    expect(() => findContainer(two)).toThrow(/2 containers \(model, sidecar\)/);
  });

  test.each([
    ['2026-01-01T00:00:00Z', 60_000, '2026-01-01T00:00:59Z', false],
    ['2026-01-01T00:00:00Z', 60_000, '2026-01-01T00:01:01Z', true],
    ['not a date', 60_000, '2026-01-01T00:00:00Z', true],
  ])('lock since %s, timeout %d, now %s: stale %s', (since, timeout, now, stale) => {
    expect(lockIsStale({ holder: 'x', since }, new Date(now), timeout)).toBe(stale);
  });

  test('the selector check', () => {
    expect(selectorSeparatesTracks(example())).toBe(true);
    const loose = example();
    loose.spec.selector.matchLabels = { app: 'classifier' };
    expect(selectorSeparatesTracks(loose)).toBe(false);
  });

  test.each<[string, Deployment['status'], number | undefined, boolean]>([
    [
      'all available',
      { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 },
      2,
      true,
    ],
    [
      'spec not observed yet',
      { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 },
      2,
      false,
    ],
    [
      'not all updated',
      { observedGeneration: 2, replicas: 2, updatedReplicas: 1, availableReplicas: 1 },
      2,
      false,
    ],
    [
      'old replicas terminating',
      { observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 2 },
      2,
      false,
    ],
    [
      'updated but unavailable',
      { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 0 },
      2,
      false,
    ],
  ])('rolled out: %s', (_name, status, generation, ready) => {
    const d = example();
    d.spec.replicas = 2;
    d.metadata.generation = generation;
    d.status = status;
    expect(isRolledOut(d)).toBe(ready);
  });
});
