import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { REPO_ROOT, runCli, type CliRun } from '../../helpers/cli.js';
import { copyExample } from '../../helpers/example.js';
import { startPrometheus, type PrometheusServer } from './prometheus-server.js';

// The gate end to end (npm run bundle first): the bundled CLI, the local target running the
// example server (canary and baseline 50 % each), gate.load from data/requests.jsonl, and a
// real Prometheus with 1 s scrapes, or the embedded scrape source. Looks every 5 s.
const INTERVAL_S = 5;
const SET = [
  ['deploy.local.port', '0'],
  ['deploy.local.command', 'bash canary-variant.sh'],
  ['deploy.canary.percent', '50'],
  ['gate.interval', `${INTERVAL_S}s`],
  ['gate.minDuration', '10s'],
  ['gate.maxDuration', '15s'],
  ['gate.load.rps', '40'],
  // 15 s of traffic cannot show the example's tolerances (a pass there certifies them, else
  // insufficient_evidence): these cases judge with tolerance 0, pass meaning no regression.
  ['gate.metrics.0.maxIncrease', '0'],
  ['gate.metrics.1.maxIncrease', '0'],
  ['gate.metrics.2.maxDecrease', '0'],
  ['gate.metrics.3.maxShift', '0'],
].flatMap(([k, v]) => ['--set', `${k}=${v}`]);

interface TrackStatus {
  track: string;
  metricsUrls: string[];
}

/** The gate's end-to-end cases for one source; call inside a describe block. */
export function gateCases(source: 'prometheus' | 'scrape'): void {
  let example: ReturnType<typeof copyExample>;
  const cli = (
    args: string[],
    env: Record<string, string> = {},
    extra: string[] = [],
    onOutput?: (chunk: string) => void,
  ) =>
    runCli([...args, ...SET, ...extra, '--json'], {
      cwd: example.dir,
      env,
      timeout: 120_000,
      ...(onOutput ? { onOutput } : {}),
    });

  beforeAll(async () => {
    example = copyExample();
    // Only the canary runs the variant under test; stable and baseline run the good model.
    writeFileSync(
      join(example.dir, 'canary-variant.sh'),
      'if [ "$TRACK" = canary ]; then export MODEL_VARIANT="${CANARY_VARIANT:-good}"; fi\nexec tsx src/server.ts\n',
    );
    await execa(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['src/train.ts', '--max_steps', '50'], {
      cwd: example.dir,
    });
    const v1 = await cli(['deploy', '--version', 'v1']);
    expect(v1.exitCode, v1.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await runCli(['stop', ...SET], { cwd: example.dir });
    example.remove();
  }, 60_000);

  /** Deploys v2 with the canary running `variant`; returns the track status. */
  async function deployCanary(variant: string): Promise<TrackStatus[]> {
    const run = await cli(['deploy', '--version', 'v2'], { CANARY_VARIANT: variant });
    expect(run.exitCode, run.stderr).toBe(0);
    return (run.json?.details.status as { tracks: TrackStatus[] }).tracks;
  }

  async function removeCanary(): Promise<void> {
    const run = await cli(['rollback']);
    expect(run.json?.reason, run.stderr).toBe('canary_aborted');
  }

  function gateReport(): {
    details: { looks: Array<{ t: number; metrics: Record<string, unknown> }> };
  } {
    return JSON.parse(readFileSync(join(example.dir, '.model-delivery/reports/gate.json'), 'utf8'));
  }

  /**
   * Runs the gate against the source, with Prometheus around it when asked; `during` runs
   * once the gate has printed its first look (`gate look 1 (…)`), while the gate goes on.
   */
  async function gate(
    source: 'prometheus' | 'scrape',
    tracks: TrackStatus[],
    during?: (prom?: PrometheusServer) => Promise<void>,
  ): Promise<CliRun> {
    const urls = tracks.filter((t) => t.track !== 'stable').flatMap((t) => t.metricsUrls);
    const prom = source === 'prometheus' ? await startPrometheus(urls) : undefined;
    try {
      const extra = prom
        ? [
            '--set',
            'gate.source=prometheus',
            '--set',
            `gate.prometheus.url=${prom.url}`,
            '--set',
            'gate.prometheus.retries=1',
          ]
        : [];
      let output = '';
      let sawFirstLook: () => void = () => undefined;
      const firstLook = new Promise<void>((r) => (sawFirstLook = r));
      const running = cli(['gate'], {}, extra, (chunk) => {
        output += chunk;
        if (/gate look 1 \(/.test(output)) sawFirstLook();
      });
      if (during) {
        // A gate that ends before its first look (an error) has nothing to interrupt.
        await Promise.race([firstLook, running]);
        await during(prom);
      }
      return await running;
    } finally {
      await prom?.stop();
    }
  }

  const lookCount = (run: CliRun) => (run.json?.details.looks as unknown[]).length;

  {
    test(`${source}: the good model passes`, async () => {
      const run = await gate(source, await deployCanary('good'));
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.json).toMatchObject({
        stage: 'gate',
        status: 'success',
        details: { verdict: 'pass', source },
      });
      const metrics = run.json?.details.metrics as Array<{
        name: string;
        status: string;
        samples: { canary: number };
      }>;
      expect(metrics.map((m) => [m.name, m.status])).toEqual([
        ['error_rate', 'pass'],
        ['latency_p95', 'pass'],
        ['online_accuracy', 'pass'],
        ['score_drift', 'pass'],
      ]);
      expect(metrics[0]?.samples.canary).toBeGreaterThanOrEqual(100);
      expect(gateReport().details.looks.at(-1)?.t).toBe(15);
      await removeCanary();
    }, 120_000);

    test.each([
      ['errors', 'error_rate'],
      ['slow', 'latency_p95'],
    ])(
      `${source}: MODEL_VARIANT=%s fails within 3 intervals, on %s`,
      async (variant, metric) => {
        const run = await gate(source, await deployCanary(variant));
        expect(run.exitCode, run.stderr).toBe(1);
        expect(run.json?.details.verdict).toBe('fail');
        expect(lookCount(run)).toBeLessThanOrEqual(3);
        const failed = (
          run.json?.details.metrics as Array<{ name: string; status: string }>
        ).filter((m) => m.status === 'fail');
        expect(failed.map((m) => m.name)).toContain(metric);
        await removeCanary();
      },
      120_000,
    );

    test(`${source}: losing the source mid-gate never yields a pass`, async () => {
      const tracks = await deployCanary('good');
      // Cut after the first look: the gate has data, then loses its source before it may pass.
      const run = await gate(source, tracks, async (prom) => {
        if (prom) await prom.stop();
        else {
          // The scrape source reads the canary's own /metrics: kill the canary's processes.
          const state = JSON.parse(
            readFileSync(join(example.dir, '.model-delivery/local/state.json'), 'utf8'),
          ) as { tracks: { canary?: { pid: number } } };
          const pid = state.tracks.canary?.pid;
          expect(pid).toBeGreaterThan(0);
          process.kill(-(pid as number), 'SIGKILL');
        }
      });
      expect(run.exitCode, run.stderr).toBe(1);
      expect(run.json?.details.verdict).toBe('inconclusive');
      // Prometheus gone: the source is unreachable. The canary killed (scrape): the target
      // sees it down, or the scrape fails first, whichever the gate notices at its look.
      expect(
        source === 'prometheus' ? ['source_unreachable'] : ['canary_down', 'source_unreachable'],
      ).toContain(run.json?.reason);
      await removeCanary();
    }, 120_000);
  }
}
