import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { executeCli } from '../../../src/cli/execute.js';
import { readLock, readRelease } from '../../../src/targets/kubernetes-manifests.js';
import { EXAMPLE } from '../../helpers/cli.js';
import { e2e } from '../../helpers/e2e.js';
import { exampleServerImage } from '../../fakes/kubernetes/example-pods.js';
import { NAMESPACE, startHarness, type Harness } from '../../fakes/kubernetes/harness.js';

const GOOD = `sha256:${'a'.repeat(64)}`;
const BAD = `sha256:${'b'.repeat(64)}`;

/**
 * deploy → gate → promote, then a bad release caught and rolled back, through the CLI with
 * the real kubectl against the fake running the example server as pods, with real
 * traffic through the Service and the gate scraping the pods through the pod proxy.
 */
describe.skipIf(!e2e('kubectl'))('the whole loop on the kubernetes target', () => {
  let h: Harness;
  let dir: string;
  let project: string;

  async function cli(...argv: string[]) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    let said = '';
    stderr.on('data', (c: Buffer) => (said += c.toString()));
    const env = { ...h.env, GITHUB_ACTIONS: undefined, GITHUB_TOKEN: undefined };
    const code = await executeCli({ argv: [...argv, '--json'], env, cwd: project, stdout, stderr });
    const result = JSON.parse(out.trim().split('\n').at(-1) as string) as {
      status: string;
      reason: string;
      message?: string;
    };
    // The stage's own log, for the assertion messages.
    result.message = `${result.message ?? ''}\n${said}`;
    return { code, result };
  }

  function writeBuild(digest: string): void {
    const report = {
      stage: 'build',
      status: 'success',
      reason: 'ok',
      details: {},
      outputs: {
        image: 'ghcr.io/example/classifier:build',
        digest,
        'image-ref': `ghcr.io/example/classifier@${digest}`,
      },
      startedAt: new Date().toISOString(),
      durationMs: 1,
    };
    mkdirSync(join(project, '.model-delivery/reports'), { recursive: true });
    writeFileSync(join(project, '.model-delivery/reports/build.json'), JSON.stringify(report));
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8s-loop-'));
    // The bad build's server fails a share of its predictions (MODEL_VARIANT=errors).
    const image = await exampleServerImage(dir, (img) => (img.includes(BAD) ? 'errors' : 'good'));
    h = await startHarness({ kubelet: { images: [image], baseEnv: { PATH: process.env.PATH } } });
    project = join(h.dir, 'project');
    mkdirSync(join(project, '.github'), { recursive: true });
    cpSync(join(EXAMPLE, 'k8s'), join(project, 'k8s'), { recursive: true });
    cpSync(join(EXAMPLE, 'data'), join(project, 'data'), { recursive: true });
    const front = `${h.fake.url}/api/v1/namespaces/${NAMESPACE}/services/classifier:http/proxy`;
    // The example's own config (its gate: error rate, p95 latency, accuracy, drift), on the
    // kubernetes target, with the demo's shorter gate timings.
    const config = parseYaml(
      readFileSync(join(EXAMPLE, '.github/model-delivery.yml'), 'utf8'),
    ) as Record<string, Record<string, unknown>>;
    config.deploy = {
      ...config.deploy,
      target: 'kubernetes',
      timeout: '60s',
      url: front,
      canary: { percent: 25 },
      kubernetes: {
        ...(config.deploy?.kubernetes as object),
        namespace: NAMESPACE,
        kubeconfig: h.kubeconfig,
      },
    };
    config.gate = {
      ...config.gate,
      source: 'scrape',
      interval: '2s',
      minDuration: '8s',
      maxDuration: '30s',
      load: { ...(config.gate?.load as object), rps: 100 },
      // 30 s cannot show the example's tolerances (a pass certifies them, else
      // insufficient_evidence, docs/gate.md): tolerance 0, pass meaning no regression.
      metrics: (config.gate?.metrics as Array<Record<string, unknown>>).map((m) => {
        const judged = { ...m };
        for (const key of ['maxIncrease', 'maxDecrease', 'maxShift'])
          if (key in judged) judged[key] = 0;
        return judged;
      }),
    };
    delete config.notify;
    writeFileSync(join(project, '.github/model-delivery.yml'), stringify(config));
  }, 180_000);
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a good release passes the gate on scraped pod metrics and is promoted', async () => {
    writeBuild(GOOD);
    expect((await cli('deploy', '--version', 'v2')).code).toBe(0);
    const gate = await cli('gate');
    expect(gate.result.status, gate.result.message).toBe('success');
    expect(gate.code).toBe(0);
    // The gate read the pods through the pod proxy, and traffic went through the Service.
    expect(
      h.fake.calls.some((c) => /\/pods\/classifier-canary-.*\/proxy\/metrics$/.test(c.path)),
    ).toBe(true);
    expect(
      h.fake.calls.some((c) => c.path.endsWith('/services/classifier:http/proxy/predict')),
    ).toBe(true);
    const promoted = await cli('promote');
    expect(promoted.code, promoted.result.message).toBe(0);
    const stable = h.deployment('classifier')!;
    expect(stable.spec.template.spec.containers[0]?.image).toBe(
      `ghcr.io/example/classifier@${GOOD}`,
    );
    expect(readRelease(stable)?.version).toBe('v2');
    // The promoted pods run: four stable pods of v2.
    const pods = [...h.fake.kubelet!.pods.values()].filter((p) => p.owner === 'classifier');
    expect(pods.map((p) => p.labels.version)).toEqual(['v2', 'v2', 'v2', 'v2']);
  }, 300_000);

  test('a bad release fails the gate and is rolled back; stable keeps serving v2', async () => {
    writeBuild(BAD);
    expect((await cli('deploy', '--version', 'v3')).code).toBe(0);
    const gate = await cli('gate');
    expect(gate.result.status, gate.result.message).toBe('failure');
    expect(gate.code).toBe(1);
    const rolled = await cli('rollback');
    expect(rolled.code, rolled.result.message).toBe(0);
    expect(h.deployment('classifier-canary')).toBeUndefined();
    const stable = h.deployment('classifier')!;
    expect(readLock(stable)).toBeUndefined();
    expect(stable.spec.template.spec.containers[0]?.image).toBe(
      `ghcr.io/example/classifier@${GOOD}`,
    );
  }, 180_000);
});
