import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CheckFailedError, EnvironmentError } from '../../../src/core/errors.js';
import { ANNOTATION, readLock, readRelease } from '../../../src/targets/kubernetes-manifests.js';
import type { Release } from '../../../src/targets/types.js';
import { e2e } from '../../helpers/e2e.js';
import { NAMESPACE, startHarness, type Harness } from '../../fakes/kubernetes/harness.js';
import { recordVerdict } from '../../helpers/gate-verdict.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const v2: Release = {
  version: 'v2',
  sha: 'b'.repeat(40),
  image: 'ghcr.io/example/classifier:v2',
  digest: DIGEST,
};
const V2_IMAGE = `ghcr.io/example/classifier@${DIGEST}`;

describe.skipIf(!e2e('kubectl'))('kubernetes target: the real kubectl against the API fake', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h?.close();
  });

  test('deploy clones stable into canary (new image by digest) and baseline (stable image), locks stable', async () => {
    const status = await h.target().deployCanary(v2);

    const canary = h.deployment('classifier-canary');
    const baseline = h.deployment('classifier-baseline');
    expect(canary?.spec.template.spec.containers[0]?.image).toBe(V2_IMAGE);
    expect(baseline?.spec.template.spec.containers[0]?.image).toBe(
      'ghcr.io/example/classifier:latest',
    );
    // 4 stable × 25 % = 1 each; selectors carry the track so stable's ReplicaSets never count them.
    expect(canary?.spec.replicas).toBe(1);
    expect(baseline?.spec.replicas).toBe(1);
    expect(canary?.spec.selector.matchLabels).toEqual({ app: 'classifier', track: 'canary' });
    expect(baseline?.spec.selector.matchLabels).toEqual({ app: 'classifier', track: 'baseline' });
    expect(canary?.metadata.labels).toEqual({ app: 'classifier', track: 'canary' });
    expect(canary?.spec.template.metadata?.labels).toEqual({
      app: 'classifier',
      track: 'canary',
      version: 'v2',
      environment: 'production',
    });
    expect(baseline?.spec.template.metadata?.labels).toEqual({
      app: 'classifier',
      track: 'baseline',
      version: 'v1',
      environment: 'production',
    });
    // Probes, ports, scrape annotations come from stable.
    expect(canary?.spec.template.metadata?.annotations?.['prometheus.io/scrape']).toBe('true');
    expect(canary?.spec.template.spec.containers[0]?.readinessProbe).toEqual({
      httpGet: { path: '/health', port: 'http' },
      periodSeconds: 5,
    });
    expect(readRelease(canary!)).toMatchObject({ version: 'v2', sha: v2.sha, digest: DIGEST });

    const stable = h.deployment('classifier')!;
    expect(readLock(stable)).toMatchObject({ holder: 'acme/classifier run 1' });
    expect(stable.spec.template.spec.containers[0]?.image).toBe(
      'ghcr.io/example/classifier:latest',
    );

    expect(status.tracks.map((t) => [t.track, t.release?.version, t.ready, t.replicas])).toEqual([
      ['stable', 'v1', true, 4],
      ['baseline', 'v1', true, 1],
      ['canary', 'v2', true, 1],
    ]);
    expect(status.lock?.holder).toBe('acme/classifier run 1');

    // One server-side apply per object, by our field manager, without an openapi download.
    const applies = h.fake.calls.filter((c) => c.contentType === 'application/apply-patch+yaml');
    expect(
      applies.map((c) => [c.path.split('/').pop(), c.query.fieldManager, c.query.force]),
    ).toEqual([
      ['classifier-canary', 'model-delivery', 'true'],
      ['classifier-baseline', 'model-delivery', 'true'],
    ]);
    expect(h.fake.calls.some((c) => c.path.startsWith('/openapi'))).toBe(false);
    // rollout status really watched both.
    const watched = h.fake.calls
      .filter((c) => c.query.watch === 'true')
      .map((c) => c.query.fieldSelector);
    expect(watched).toEqual(
      expect.arrayContaining([
        'metadata.name=classifier-canary',
        'metadata.name=classifier-baseline',
      ]),
    );
  });

  test('promote: stable takes the canary digest and version, records releases, canary and baseline go', async () => {
    await h.target().deployCanary(v2);
    await recordVerdict(h.target());
    const status = await h.target().promote();

    const stable = h.deployment('classifier')!;
    expect(stable.spec.template.spec.containers[0]?.image).toBe(V2_IMAGE);
    expect(stable.spec.template.metadata?.labels?.version).toBe('v2');
    expect(stable.spec.selector.matchLabels).toEqual({ app: 'classifier', track: 'stable' });
    expect(readRelease(stable)).toMatchObject({ version: 'v2', image: V2_IMAGE, sha: v2.sha });
    expect(readRelease(stable, ANNOTATION.previous)).toMatchObject({
      version: 'v1',
      image: 'ghcr.io/example/classifier:latest',
    });
    expect(readLock(stable)).toBeUndefined();
    expect(h.deployment('classifier-canary')).toBeUndefined();
    expect(h.deployment('classifier-baseline')).toBeUndefined();
    // The controller saw a new template: a second ReplicaSet, revision 2.
    const rs = h.fake.cluster.list('replicasets', NAMESPACE);
    expect(
      rs
        .map(
          (r) =>
            (r.metadata as { annotations: Record<string, string> }).annotations[
              'deployment.kubernetes.io/revision'
            ],
        )
        .sort(),
    ).toEqual(['1', '2']);
    expect(status.tracks).toEqual([
      expect.objectContaining({
        track: 'stable',
        ready: true,
        release: expect.objectContaining({ version: 'v2' }),
      }),
    ]);
  });

  test('a promotion whose rollout cannot be watched: stable set back, canary kept, exit 1', async () => {
    await h.target().deployCanary(v2);
    await recordVerdict(h.target());
    // Every list of deployments fails from now on, so `rollout status` cannot finish.
    h.fake.inject({
      method: 'GET',
      path: /\/deployments$/,
      status: 500,
      message: 'etcd is sad',
      times: 10_000,
    });
    const error = await h
      .target({ timeoutMs: 1500 })
      .promote()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckFailedError);
    expect((error as CheckFailedError).reason).toBe('rollout_failed');
    expect((error as Error).message).toMatch(
      /promotion of v2 failed: deployment classifier did not roll out/,
    );
    expect((error as Error).message).toMatch(/canary left in place \(run rollback to remove it\)/);
    expect(h.deployment('classifier')?.spec.template.spec.containers[0]?.image).toBe(
      'ghcr.io/example/classifier:latest',
    );
    expect(h.deployment('classifier-canary')).toBeDefined();
  });

  test('abort: canary and baseline removed, stable exactly as before the deploy', async () => {
    const before = h.deployment('classifier')!;
    await h.target().deployCanary(v2);
    const status = await h.target().abort();

    const after = h.deployment('classifier')!;
    expect(after.spec).toEqual(before.spec);
    expect(after.metadata.annotations).toEqual(before.metadata.annotations);
    expect(after.metadata.labels).toEqual(before.metadata.labels);
    expect(h.deployment('classifier-canary')).toBeUndefined();
    expect(h.deployment('classifier-baseline')).toBeUndefined();
    expect(status.tracks.map((t) => t.track)).toEqual(['stable']);
    expect(status.lock).toBeUndefined();
  });

  test("a canary that never becomes ready: removed, cluster as before, exit 1 with kubectl's reason", async () => {
    const before = h.deployment('classifier')!;
    const bad: Release = { version: 'v3', sha: '', image: 'ghcr.io/example/classifier:bad' };
    const error = await h
      .target({ timeoutMs: 2_000 })
      .deployCanary(bad)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CheckFailedError);
    expect((error as CheckFailedError).exitCode).toBe(1);
    expect((error as CheckFailedError).reason).toBe('rollout_failed');
    expect((error as Error).message).toMatch(/timed out waiting for the condition/);
    expect((error as Error).message).toMatch(/MinimumReplicasUnavailable/);
    expect((error as Error).message).toMatch(/canary and baseline removed, stable untouched/);
    const after = h.deployment('classifier')!;
    expect(after.spec).toEqual(before.spec);
    expect(after.metadata.annotations).toEqual(before.metadata.annotations);
    expect(
      h.fake.cluster
        .list('deployments', NAMESPACE)
        .map((d) => (d.metadata as { name: string }).name),
    ).toEqual(['classifier']);
  });

  test('a progress deadline: kubectl reports it before deploy.timeout, and the stage says so', async () => {
    const stable = h.fake.cluster.get('deployments', NAMESPACE, 'classifier')!;
    h.fake.cluster.update('deployments', NAMESPACE, {
      ...stable,
      spec: { ...(stable.spec as object), progressDeadlineSeconds: 1 },
    });
    await h.kubectl.rolloutStatus('classifier', 5000);
    const bad: Release = { version: 'v3', sha: '', image: 'ghcr.io/example/classifier:bad' };
    const error = await h
      .target({ timeoutMs: 30_000 })
      .deployCanary(bad)
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/exceeded its progress deadline/);
    expect((error as Error).message).toMatch(
      /ProgressDeadlineExceeded \(ReplicaSet "classifier-canary-\w+" has timed out progressing.\)/,
    );
    expect((error as CheckFailedError).reason).toBe('rollout_failed');
    expect(h.deployment('classifier-canary')).toBeUndefined();
  });

  test('an apply the server rejects is cleaned up too, and says what the server said', async () => {
    h.fake.inject({
      method: 'PATCH',
      path: 'classifier-baseline',
      status: 500,
      message: 'etcdserver: request timed out',
    });
    const error = await h
      .target()
      .deployCanary(v2)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).exitCode).toBe(3);
    expect((error as Error).message).toMatch(
      /etcdserver: request timed out.*canary and baseline removed/,
    );
    expect(h.deployment('classifier-canary')).toBeUndefined();
    expect(readLock(h.deployment('classifier')!)).toBeUndefined();
  });
});
