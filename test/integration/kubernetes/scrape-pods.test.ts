import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gateMetric } from '../../../src/config/sections/gate.js';
import { EnvironmentError } from '../../../src/core/errors.js';
import { createPodScrapeSource } from '../../../src/metrics/scrape-pods.js';
import type { MetricProvider } from '../../../src/metrics/types.js';
import type { DeployTarget, Release } from '../../../src/targets/types.js';
import { e2e } from '../../helpers/e2e.js';
import { exampleServerImage } from '../../fakes/kubernetes/example-pods.js';
import { NAMESPACE, startHarness, waitFor, type Harness } from '../../fakes/kubernetes/harness.js';
import type { RunningPod } from '../../fakes/kubernetes/kubelet.js';

const v2: Release = { version: 'v2', sha: 'f'.repeat(40), image: 'ghcr.io/example/classifier:v2' };
const metrics = [
  gateMetric.parse({
    name: 'error_rate',
    type: 'ratio',
    numerator: 'prediction_errors_total',
    denominator: 'predictions_total',
    max: 0.02,
  }),
];
const vars = (track: string) => ({
  track,
  namespace: NAMESPACE,
  deployment: 'classifier',
  version: '',
  interval: '30s',
});

describe.skipIf(!e2e('kubectl'))(
  'scrape on Kubernetes: each track’s pods through the pod proxy',
  () => {
    let dir: string;
    let h: Harness;
    let target: DeployTarget;
    let source: MetricProvider;
    const denied = new Set<string>();
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'scrape-pods-'));
      const image = await exampleServerImage(dir);
      h = await startHarness({
        kubelet: { images: [image], baseEnv: { PATH: process.env.PATH } },
        authorize: ({ verb, resource }) => !denied.has(`${resource}:${verb}`),
      });
      // 4 stable at 50 %: two canary and two baseline pods.
      target = h.target({ canaryPercent: 50, timeoutMs: 30_000 });
      await target.deployCanary(v2);
      source = createPodScrapeSource({
        metrics,
        vars: { canary: vars('canary'), baseline: vars('baseline') },
        timeoutMs: 10_000,
        client: target.podMetrics!,
      });
    }, 180_000);
    afterAll(async () => {
      await h?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const podsOf = (owner: string) =>
      [...h.fake.kubelet!.pods.values()].filter((p) => p.owner === owner && !p.stopped);
    /** Real prediction requests to one pod, through the API server's pod proxy. */
    async function predict(pod: RunningPod, n: number): Promise<void> {
      for (let i = 0; i < n; i += 1) {
        const res = await fetch(
          `${h.fake.url}/api/v1/namespaces/${NAMESPACE}/pods/${pod.name}:8080/proxy/predict`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ features: [0.1, -0.2, 0.3, 0.4] }),
          },
        );
        await res.arrayBuffer();
      }
    }
    const requests = (
      look: Awaited<ReturnType<MetricProvider['collect']>>,
      track: 'canary' | 'baseline',
    ) => {
      const sample = look[track].error_rate;
      return sample?.kind === 'counts' ? sample.denominator : undefined;
    };

    test('sums each track over its pods, and follows a restart and a replaced pod', async () => {
      await source.start!();
      const canary = podsOf('classifier-canary');
      const baseline = podsOf('classifier-baseline');
      expect([canary.length, baseline.length]).toEqual([2, 2]);
      await predict(canary[0]!, 6);
      await predict(canary[1]!, 4);
      await predict(baseline[0]!, 3);
      let look = await source.collect();
      expect([requests(look, 'canary'), requests(look, 'baseline')]).toEqual([10, 3]);

      // A crash: the restarted process's counters start again from zero.
      const first = canary[0]!.process;
      h.fake.kubelet!.crash(canary[0]!.name);
      await waitFor(() => canary[0]!.process !== first && canary[0]!.ready, 'the restart', 30_000);
      await predict(canary[0]!, 5);
      await predict(canary[1]!, 2);
      look = await source.collect();
      expect(requests(look, 'canary')).toBe(7);

      // A pod replaced by another (a new name): the new one's first scrape is its starting point.
      const deployment = h.fake.cluster.get('deployments', NAMESPACE, 'classifier-canary')!;
      const hash = canary[1]!.hash;
      await h.fake.kubelet!.evict(NAMESPACE, canary[1]!.name, deployment, hash);
      const replaced = podsOf('classifier-canary').find((p) => p !== canary[0] && p !== canary[1])!;
      expect(replaced).toBeDefined();
      await predict(canary[0]!, 1);
      look = await source.collect();
      expect(requests(look, 'canary')).toBe(1);
      await predict(replaced, 8);
      look = await source.collect();
      expect(requests(look, 'canary')).toBe(8);
      // Every scrape went through the pod proxy.
      expect(h.fake.calls.filter((c) => c.path.endsWith('/proxy/metrics')).length).toBeGreaterThan(
        8,
      );
    }, 120_000);

    test('a cluster that refuses pods/proxy is an environment error saying what to grant', async () => {
      denied.add('pods/proxy:get');
      try {
        const error = await target.podMetrics!.check().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(EnvironmentError);
        expect((error as EnvironmentError).reason).toBe('forbidden');
        expect(String(error)).toMatch(/get on pods\/proxy in namespace models/);
      } finally {
        denied.clear();
      }
    }, 60_000);
  },
);
