import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { freePort } from '../../integration/deploy-local/helpers.js';

export interface PrometheusServer {
  url: string;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** Rule files (absolute paths) to evaluate every second. */
  ruleFiles?: string[];
  /** Where firing alerts go (an Alertmanager's URL). */
  alertmanager?: string;
  /** Labels every scraped series gets, as relabelling would set them. */
  labels?: Record<string, string>;
}

/**
 * Debian's real Prometheus on loopback: 1 s scrapes of the given /metrics URLs, storage in
 * a temporary directory, config generated here.
 */
export async function startPrometheus(
  metricsUrls: string[],
  options: PrometheusOptions = {},
): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'md-prom-'));
  const targets = metricsUrls.map((u) => new URL(u).host);
  const alerting = options.alertmanager
    ? [
        'alerting:',
        '  alertmanagers:',
        `    - static_configs: [{ targets: [${JSON.stringify(new URL(options.alertmanager).host)}] }]`,
      ]
    : [];
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      `rule_files: ${JSON.stringify(options.ruleFiles ?? [])}`,
      ...alerting,
      'scrape_configs:',
      '  - job_name: model',
      '    static_configs:',
      `      - targets: ${JSON.stringify(targets)}`,
      `        labels: ${JSON.stringify(options.labels ?? {})}`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const proc: ResultPromise = execa(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { reject: false, stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    proc.kill('SIGTERM');
    await proc;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Ready, and every target scraped at least once.
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (Date.now() > deadline)
        throw new Error('Prometheus did not scrape the targets within 30 s');
      const up = await fetch(`${url}/api/v1/query?query=up`).then(
        (r) =>
          r.ok
            ? (r.json() as Promise<{ data: { result: { value: [number, string] }[] } }>)
            : undefined,
        () => undefined,
      );
      if (
        up &&
        up.data.result.length === targets.length &&
        up.data.result.every((r) => r.value[1] === '1')
      )
        break;
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, stop };
}
