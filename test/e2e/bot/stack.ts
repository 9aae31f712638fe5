// The E2E stack: the bundled bot (`node bot.js`, built into a temp dir) as real processes,
// the real Alertmanager (Debian's prometheus-alertmanager) on loopback, the GitHub fake.
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, privateKey, TOKEN, WEBHOOK_SECRET } from '../../integration/bot/harness.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import type { GitHubFake } from '../../fakes/github/index.js';
import { waitFor as waitUntil } from '../../../src/core/wait-for.js';

export const workDir = mkdtempSync(join(tmpdir(), 'md-bot-e2e-'));
export const tokenFile = join(workDir, 'alert-token');
writeFileSync(tokenFile, `${TOKEN}\n`);

/** Bundles src/bot/main.ts into workDir (never into dist/, which other work may be rebuilding). */
export async function bundleBot(): Promise<string> {
  await execa(process.execPath, ['scripts/bundle.mjs', join(workDir, 'dist')], { cwd: REPO_ROOT });
  return join(workDir, 'dist', 'bot.js');
}

export interface BotProcess {
  port: number;
  url: string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startBotProcess(
  botJs: string,
  fake: GitHubFake,
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<BotProcess> {
  const port = options.port ?? (await freePort());
  const child: ResultPromise = execa(process.execPath, [botJs], {
    env: {
      APP_ID: '1',
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      GITHUB_API_URL: fake.url,
      ALERTS_TOKEN: TOKEN,
      ALERTS_BINDINGS: JSON.stringify({ ALERTS_TOKEN: { repositories: ['acme/*'] } }),
      BOT_INCIDENT_LEASE: '2s',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    extendEnv: false,
    reject: false,
    stdout: 'ignore',
    stderr: 'pipe',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => (await fetch(`${url}/ping`).catch(() => undefined))?.ok === true,
    15_000,
    'bot /ping',
  );
  return {
    port,
    url,
    async kill(signal = 'SIGTERM') {
      child.kill(signal);
      await child;
    },
  };
}

export interface Alertmanager {
  url: string;
  push(alerts: AmAlert[]): Promise<void>;
  stop(): Promise<void>;
}

export interface AmAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  endsAt?: string;
}

/** The real Alertmanager with short intervals, delivering to each bot URL (one webhook_config each). */
export async function startAlertmanager(botUrls: string[]): Promise<Alertmanager> {
  const port = await freePort();
  const dir = mkdtempSync(join(workDir, 'am-'));
  const config = [
    'route:',
    '  receiver: bots',
    '  group_by: [alertname, repository, environment]',
    '  group_wait: 200ms',
    '  group_interval: 1s',
    '  repeat_interval: 2s',
    'receivers:',
    '  - name: bots',
    '    webhook_configs:',
    ...botUrls.flatMap((u) => [
      `      - url: ${u}/alerts/alertmanager`,
      '        send_resolved: true',
      '        http_config:',
      '          authorization:',
      `            credentials_file: ${tokenFile}`,
    ]),
  ].join('\n');
  writeFileSync(join(dir, 'alertmanager.yml'), `${config}\n`);
  const child = execa(
    'prometheus-alertmanager',
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { reject: false, stdout: 'ignore', stderr: 'pipe' },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok === true,
    15_000,
    'alertmanager ready',
  );
  return {
    url,
    async push(alerts) {
      const res = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          alerts.map((a) => ({ ...a, generatorURL: 'http://prometheus.example/graph' })),
        ),
      });
      if (!res.ok)
        throw new Error(`Alertmanager refused the alerts: ${res.status} ${await res.text()}`);
    },
    async stop() {
      child.kill('SIGTERM');
      await child;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  await waitUntil(check, { what, timeoutMs });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function cleanup(): void {
  rmSync(workDir, { recursive: true, force: true });
}
