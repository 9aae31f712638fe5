// A real Prometheus loads monitoring/prometheus.yml and its rules, scrapes the real example
// server through the pod relabelling and through the local job, and the recording rules
// produce series with the labels the alerts and the bot need.
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { e2e } from '../../helpers/e2e.js';
import { freePort, startExampleServer, waitFor, type ExampleServer } from './example-server.js';
import { configForDebianPrometheus, recordedNames } from './monitoring-files.js';

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

describe.skipIf(!e2e('prometheus'))('Prometheus with monitoring/prometheus.yml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ops-prometheus-'));
  let model: ExampleServer;
  let prometheus: ResultPromise | undefined;
  let api: string;

  const query = async (q: string): Promise<Sample[]> => {
    const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await res.json()) as {
      status: string;
      data: { result: Sample[] };
      error?: string;
    };
    if (body.status !== 'success') throw new Error(`${q}: ${body.error}`);
    return body.data.result;
  };

  beforeAll(async () => {
    model = await startExampleServer({ TRACK: 'stable', MODEL_VERSION: 'v1' });
    // What Kubernetes pod discovery reports for a pod of examples/classifier/k8s: a pod IP
    // on the container's port 9 (wrong on purpose), the port in the prometheus.io annotation.
    const pod = {
      targets: ['127.0.0.1:9'],
      labels: {
        __meta_kubernetes_namespace: 'production',
        __meta_kubernetes_pod_name: 'classifier-7d9f-abcde',
        __meta_kubernetes_pod_phase: 'Running',
        __meta_kubernetes_pod_label_app: 'classifier',
        __meta_kubernetes_pod_label_track: 'stable',
        __meta_kubernetes_pod_label_version: 'v1',
        __meta_kubernetes_pod_annotation_prometheus_io_scrape: 'true',
        __meta_kubernetes_pod_annotation_prometheus_io_port: String(model.port),
        __meta_kubernetes_pod_annotation_prometheus_io_path: '/metrics',
        __meta_kubernetes_pod_annotation_model_delivery_repository: 'acme/classifier',
      },
    };
    // A pod without the scrape annotation is not scraped.
    const ignored = {
      targets: ['127.0.0.2:9'],
      labels: { ...pod.labels, __meta_kubernetes_pod_annotation_prometheus_io_scrape: 'false' },
    };
    const { path } = configForDebianPrometheus({
      dir,
      pods: [pod, ignored],
      edit: (config) => {
        // Seconds instead of 15s so the test is quick; no Alertmanager here.
        config.global.scrape_interval = '1s';
        config.global.evaluation_interval = '1s';
        delete config.alerting;
        const local = config.scrape_configs.find((j) => j.job_name === 'model-local')!;
        local.static_configs![0]!.targets = [`127.0.0.1:${model.port}`];
      },
    });
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    prometheus = execa(
      'prometheus',
      [
        `--config.file=${path}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { reject: false, all: true },
    );
    await waitFor('Prometheus to be ready', async () => (await fetch(`${api}/-/ready`)).ok);
    // Traffic after the first scrape, so the rates see it (before it, every rate is 0/0).
    await waitFor(
      'the first scrape of both jobs',
      async () => (await query('up == 1')).length === 2,
    );
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${model.url}/predict`, {
        method: 'POST',
        body: JSON.stringify({ features: [i / 10, 1 - i / 30, 0.5, -i / 20], label: i % 2 }),
      });
      expect(res.status).toBe(200);
    }
    // Every recording rule has a number for both jobs once a later scrape saw the traffic.
    await waitFor('the recording rules', async () => {
      const results = await Promise.all([...recordedNames()].map((name) => query(name)));
      return results.every(
        (r) => r.length === 2 && r.every((s) => Number.isFinite(Number(s.value[1]))),
      );
    });
  });

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await prometheus;
    await model?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the pod relabelling gives repository, environment, app, track and version', async () => {
    const up = await query('up{job="model-pods"}');
    expect(up).toHaveLength(1);
    expect(up[0]!.value[1]).toBe('1');
    expect(up[0]!.metric).toEqual(
      expect.objectContaining({
        instance: `127.0.0.1:${model.port}`,
        repository: 'acme/classifier',
        environment: 'production',
        app: 'classifier',
        track: 'stable',
        version: 'v1',
        namespace: 'production',
        pod: 'classifier-7d9f-abcde',
      }),
    );
  });

  test('honor_labels keeps the server’s own version and track without exported_ copies', async () => {
    const info = await query('model_info{job="model-pods"}');
    expect(info).toHaveLength(1);
    expect(Object.keys(info[0]!.metric).filter((k) => k.startsWith('exported_'))).toEqual([]);
  });

  test.each([...recordedNames()])(
    '%s is recorded per repository, environment, track and version',
    async (name) => {
      const samples = await query(name);
      const environments = samples.map((s) => s.metric['environment']).sort();
      expect(environments).toEqual(['local', 'production']);
      for (const s of samples) {
        expect(s.metric['repository']).toMatch(/\//);
        expect(s.metric['track']).toBe('stable');
        if (!name.startsWith('track:')) expect(s.metric['version']).toBe('v1');
        expect(Number.isFinite(Number(s.value[1]))).toBe(true);
      }
    },
  );

  test('the alerts’ revision join finds model_info', async () => {
    const joined = await query(
      'track_version:predictions:rate5m * on (repository, environment, track, version) group_left (revision) label_replace(max by (repository, environment, track, version) (model_info), "revision", "$1", "version", "(.+)")',
    );
    expect(joined.map((s) => s.metric['revision'])).toEqual(['v1', 'v1']);
  });
});
