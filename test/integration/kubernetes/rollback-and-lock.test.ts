import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { CheckFailedError } from '../../../src/core/errors.js';
import { memoryLogger } from '../../../src/core/log.js';
import { SecretRegistry } from '../../../src/core/secrets.js';
import type { GitHubContext } from '../../../src/settings/github-context.js';
import { readStageInputs } from '../../../src/settings/stage-inputs.js';
import { createKubernetesTarget } from '../../../src/targets/kubernetes.js';
import { kubernetesTargetOptions } from '../../../src/targets/kubernetes-options.js';
import { ANNOTATION, readLock, readRelease } from '../../../src/targets/kubernetes-manifests.js';
import { releaseFromRef } from '../../../src/targets/release.js';
import type { Release } from '../../../src/targets/types.js';
import { e2e } from '../../helpers/e2e.js';
import { NAMESPACE, startHarness, type Harness } from '../../fakes/kubernetes/harness.js';
import { recordVerdict } from '../../helpers/gate-verdict.js';

const v2: Release = { version: 'v2', sha: 'c'.repeat(40), image: 'ghcr.io/example/classifier:v2' };
const imageOf = (h: Harness) => h.deployment('classifier')?.spec.template.spec.containers[0]?.image;

describe.skipIf(!e2e('kubectl'))('kubernetes target: rollback and the lock, real kubectl', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h?.close();
  });

  test('rollback without --to returns stable to the previous release recorded on it', async () => {
    await h.target().deployCanary(v2);
    await recordVerdict(h.target());
    await h.target().promote();
    expect(imageOf(h)).toBe('ghcr.io/example/classifier:v2');

    const status = await h.target().rollback();
    const stable = h.deployment('classifier')!;
    expect(imageOf(h)).toBe('ghcr.io/example/classifier:latest');
    expect(stable.spec.template.metadata?.labels?.version).toBe('v1');
    expect(readRelease(stable)).toMatchObject({ version: 'v1' });
    expect(readRelease(stable, ANNOTATION.previous)).toMatchObject({ version: 'v2', sha: v2.sha });
    expect(status.tracks[0]).toMatchObject({
      track: 'stable',
      ready: true,
      release: { version: 'v1' },
    });
  });

  test('rollback --to <image-ref> sets stable to that image', async () => {
    const to = releaseFromRef('ghcr.io/example/classifier:v0', [], 'kubernetes');
    await h.target().rollback(to);
    expect(imageOf(h)).toBe('ghcr.io/example/classifier:v0');
    expect(readRelease(h.deployment('classifier')!)).toMatchObject({
      version: 'v0',
      image: 'ghcr.io/example/classifier:v0',
    });
  });

  test('with no release recorded, rollback uses kubectl rollout undo (the previous ReplicaSet)', async () => {
    // Someone changed the image by hand: two ReplicaSets, no model-delivery annotations.
    await h.kubectl.patch('classifier', {
      spec: {
        template: {
          spec: { containers: [{ name: 'model', image: 'ghcr.io/example/classifier:hand' }] },
        },
      },
    });
    await h.kubectl.rolloutStatus('classifier', 4000);
    await h.target().rollback();

    expect(imageOf(h)).toBe('ghcr.io/example/classifier:latest');
    const undo = h.fake.calls.filter((c) => c.command === 'kubectl rollout undo');
    expect(undo.map((c) => `${c.method} ${c.contentType ?? ''}`)).toContain(
      'PATCH application/json-patch+json',
    );
    expect(
      undo.some(
        (c) =>
          c.path.endsWith('/replicasets') &&
          c.query.labelSelector === 'app=classifier,track=stable',
      ),
    ).toBe(true);
    expect(readRelease(h.deployment('classifier')!, ANNOTATION.previous)).toMatchObject({
      image: 'ghcr.io/example/classifier:hand',
    });
  });

  test('rollback with a canary out removes it and releases the lock', async () => {
    await h.target().deployCanary(v2);
    await h.target().rollback(releaseFromRef('ghcr.io/example/classifier:v0', [], 'kubernetes'));
    expect(h.deployment('classifier-canary')).toBeUndefined();
    expect(h.deployment('classifier-baseline')).toBeUndefined();
    expect(readLock(h.deployment('classifier')!)).toBeUndefined();
  });

  test("a rollback to an image that never becomes ready fails with kubectl's reason", async () => {
    const error = await h
      .target({ timeoutMs: 1500 })
      .rollback(releaseFromRef('ghcr.io/example/classifier:bad', [], 'kubernetes'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckFailedError);
    expect((error as Error).message).toMatch(
      /rollback of classifier failed: .*timed out waiting for the condition.*put back on v1/,
    );
    expect(imageOf(h)).toBe('ghcr.io/example/classifier:latest');
  });

  test('a second deploy exits 1 naming the holder and since; the first canary is untouched', async () => {
    await h.target().deployCanary(v2);
    const since = readLock(h.deployment('classifier')!)!.since;
    // Its deploy.timeout is long, so the lock stays fresh however slow the first deploy was.
    const other = h.target({ holder: 'acme/classifier run 2', timeoutMs: 60_000 });
    const error = await other
      .deployCanary({ ...v2, version: 'v3', image: 'ghcr.io/example/classifier:v3' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CheckFailedError);
    expect((error as CheckFailedError).reason).toBe('locked');
    expect((error as Error).message).toContain('locked by acme/classifier run 1 since ' + since);
    expect((error as Error).message).toMatch(/--force once the lock is older than deploy.timeout/);
    expect(h.deployment('classifier-canary')?.spec.template.spec.containers[0]?.image).toBe(
      'ghcr.io/example/classifier:v2',
    );

    // --force does not break a fresh lock.
    await expect(other.deployCanary(v2, { force: true })).rejects.toThrow(
      /locked by acme\/classifier run 1/,
    );
  });

  test('--force breaks a lock older than deploy.timeout', async () => {
    await h.target().deployCanary(v2);
    const later = h.target({
      holder: 'acme/classifier run 2',
      now: () => new Date(Date.now() + 60_000),
    });
    await later.deployCanary(
      { ...v2, version: 'v3', image: 'ghcr.io/example/classifier:v3' },
      { force: true },
    );
    expect(readLock(h.deployment('classifier')!)?.holder).toBe('acme/classifier run 2');
    expect(h.deployment('classifier-canary')?.spec.template.spec.containers[0]?.image).toBe(
      'ghcr.io/example/classifier:v3',
    );
    expect(h.log.lines.some((l) => /breaking the lock of acme\/classifier run 1/.test(l))).toBe(
      true,
    );
  });

  test('stable changing under the lock (a 409 with no lock on it) is retried on a fresh read', async () => {
    h.fake.inject({
      method: 'PATCH',
      path: '/deployments/classifier',
      status: 409,
      message: 'the object has been modified',
      times: 2,
    });
    await h.target().deployCanary(v2);
    const annotates = h.fake.calls.filter(
      (c) => c.command === 'kubectl annotate' && c.method === 'PATCH',
    );
    expect(annotates.map((c) => c.status)).toEqual([409, 409, 200]);
    expect(readLock(h.deployment('classifier')!)?.holder).toBe('acme/classifier run 1');
  });

  test('two deploys at the same moment: exactly one takes the lock', async () => {
    const results = await Promise.allSettled([
      h.target({ holder: 'run A' }).deployCanary(v2),
      h.target({ holder: 'run B' }).deployCanary(v2),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as CheckFailedError).reason).toBe('locked');
  });

  test('the kubeconfig input: a 0600 temporary file, its credentials masked, removed by dispose', async () => {
    const token = 'kube-token-0123456789abcdef';
    const content = readFileSync(h.kubeconfig, 'utf8').replace(
      '"user":{}',
      `"user":{"token":"${token}"}`,
    );
    const config = configSchema.parse({
      deploy: {
        target: 'kubernetes',
        url: 'https://classifier.example.com',
        kubernetes: { deployment: 'classifier', namespace: NAMESPACE },
      },
    });
    const secrets = new SecretRegistry();
    const options = kubernetesTargetOptions({
      config,
      root: h.dir,
      env: h.env,
      inputs: readStageInputs({ ...h.env, INPUT_KUBECONFIG: content }),
      log: memoryLogger(),
      secrets,
      flags: {},
      github: {
        actions: false,
        serverUrl: 'https://github.com',
        apiUrl: 'https://api.github.com',
      } as GitHubContext,
    });
    const file = options.kubeconfig!;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const target = createKubernetesTarget(options);
    const status = await target.status();
    expect(status.tracks[0]?.track).toBe('stable');
    expect(status.frontUrl).toBe('https://classifier.example.com');
    expect(secrets.redact(`token ${token}`)).toBe('token ***');
    await target.dispose?.();
    expect(existsSync(file)).toBe(false);
  });
});
