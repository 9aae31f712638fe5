import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Release } from '../../../src/targets/types.js';
import { e2e } from '../../helpers/e2e.js';
import { exampleServerImage } from '../../fakes/kubernetes/example-pods.js';
import type { ImageCommand } from '../../fakes/kubernetes/kubelet.js';
import { NAMESPACE, startHarness, waitFor, type Harness } from '../../fakes/kubernetes/harness.js';

const v2: Release = { version: 'v2', sha: 'e'.repeat(40), image: 'ghcr.io/example/classifier:v2' };

/** The fake's pods through the real kubectl, as a user would read them (async: the fake runs in this process). */
async function kubectl(h: Harness, args: string[]): Promise<string> {
  const result = await execa(
    'kubectl',
    [`--kubeconfig=${h.kubeconfig}`, `--namespace=${NAMESPACE}`, ...args],
    { env: h.env, extendEnv: false },
  );
  return result.stdout;
}

describe.skipIf(!e2e('kubectl'))('the fake runs pods: a kubelet with the example server', () => {
  let dir: string;
  let image: ImageCommand;
  let h: Harness;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubelet-'));
    image = await exampleServerImage(dir);
    h = await startHarness({ kubelet: { images: [image], baseEnv: { PATH: process.env.PATH } } });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const podsOf = (deployment: string) =>
    [...(h.fake.kubelet?.pods.values() ?? [])].filter((p) => p.owner === deployment);

  test('each ready pod is a process with the pod env, reached through the pod proxy', async () => {
    const listed = JSON.parse(
      await kubectl(h, ['get', 'pods', '-l', 'track=stable', '-o', 'json']),
    ) as {
      items: Array<{
        metadata: { name: string };
        status: { conditions: Array<{ status: string }> };
      }>;
    };
    expect(listed.items).toHaveLength(4);
    expect(listed.items.every((p) => p.status.conditions[0]?.status === 'True')).toBe(true);
    const pod = listed.items[0]!.metadata.name;
    // The real kubectl through the API server's proxy path, to the container port by name.
    const metrics = await kubectl(h, [
      'get',
      '--raw',
      `/api/v1/namespaces/${NAMESPACE}/pods/${pod}:http/proxy/metrics`,
    ]);
    // TRACK and MODEL_VERSION came from the pod labels through fieldRef, as in a cluster.
    expect(metrics).toMatch(/process_start_time_seconds\{version="v1",track="stable"\}/);
    const version = await kubectl(h, [
      'get',
      '--raw',
      `/api/v1/namespaces/${NAMESPACE}/pods/http:${pod}:8080/proxy/version`,
    ]);
    expect(JSON.parse(version)).toMatchObject({ model_version: 'v1' });
    // The proxy is authorized as get on pods/proxy.
    expect(h.fake.calls.some((c) => c.path.endsWith('/proxy/metrics') && c.status === 200)).toBe(
      true,
    );
  });

  test('the Service has one endpoint per ready pod; its proxy spreads requests over them', async () => {
    const ep = JSON.parse(
      await kubectl(h, ['get', '--raw', `/api/v1/namespaces/${NAMESPACE}/endpoints/classifier`]),
    ) as {
      subsets: Array<{ addresses?: unknown[]; ports: Array<{ name: string; port: number }> }>;
    };
    expect(ep.subsets.filter((s) => s.addresses)).toHaveLength(4);
    const ports = new Set(ep.subsets.map((s) => s.ports[0]?.port));
    expect(ports.size).toBe(4);
    for (let i = 0; i < 20; i += 1) {
      const res = await fetch(
        `${h.fake.url}/api/v1/namespaces/${NAMESPACE}/services/classifier:http/proxy/health`,
      );
      expect(res.status).toBe(200);
    }
  });

  test('a canary runs its own pods, ready from its readiness probe; removing it stops them', async () => {
    await h.target({ timeoutMs: 30_000 }).deployCanary(v2);
    const canary = podsOf('classifier-canary');
    expect(canary).toHaveLength(1);
    expect(canary[0]?.ready).toBe(true);
    const res = await fetch(
      `${h.fake.url}/api/v1/namespaces/${NAMESPACE}/pods/${canary[0]!.name}:8080/proxy/metrics`,
    );
    expect(await res.text()).toMatch(/\{version="v2",track="canary"\}/);
    const process = canary[0]!.process!;
    await h.target({ timeoutMs: 30_000 }).abort();
    expect(podsOf('classifier-canary')).toEqual([]);
    await waitFor(
      () => process.exitCode !== null || process.signalCode !== null,
      'the canary process to exit',
      30_000,
    );
  }, 60_000);

  test('a crashed pod is restarted (restartCount), unready until its probe passes again', async () => {
    const pod = podsOf('classifier')[0]!;
    const first = pod.process!;
    h.fake.kubelet!.crash(pod.name);
    await waitFor(
      () => pod.restarts === 1 && pod.process !== first && pod.ready,
      'the restart',
      30_000,
    );
    const object = h.fake.cluster.get('pods', NAMESPACE, pod.name) as {
      status: { containerStatuses: Array<{ restartCount: number; ready: boolean }> };
    };
    expect(object.status.containerStatuses[0]).toMatchObject({ restartCount: 1, ready: true });
  }, 60_000);

  test('an image without a command never becomes ready: the rollout fails as in a cluster', async () => {
    const error = await h
      .target({ timeoutMs: 2_000 })
      .deployCanary({ ...v2, version: 'v9', image: 'ghcr.io/other/model:v9' })
      .catch((e: unknown) => e);
    expect(String(error)).toMatch(/did not roll out/);
    expect(podsOf('classifier-canary')).toEqual([]);
  }, 60_000);
});
