// The bot's Probot app in a real Probot Server on a free loopback port, talking to the GitHub
// fake, with a seeded repository: two merged pull requests, each deployed to production, and
// the rollback workflow. Every test gets its own fake and server.
import { generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import type { BotMetrics } from '../../../src/bot/metrics.js';
import { createBotLogger } from '../../../src/bot/logger.js';
import { createBotServer } from '../../../src/bot/server.js';
import { readBotSettings, type BotSettings } from '../../../src/bot/settings.js';
import type { SlackClient } from '../../../src/notify/slack-client.js';
import { startGitHubFake, type GitHubFake } from '../../fakes/github/index.js';
import { freePort } from '../../../src/core/free-port.js';

export { freePort };

export const REPO = 'acme/model';
export const TOKEN = 'alert-token-for-tests';
export const WEBHOOK_SECRET = 'webhook-secret';
export const INSTALLATION = 42;

export const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

export interface Seeded {
  goodSha: string;
  badSha: string;
  badPr: number;
}

/** Two merged pull requests deployed in turn: the second (bad) is live, the first is the last good. */
export function seedRepo(
  fake: GitHubFake,
  options: { botConfig?: string; environment?: string; repo?: string } = {},
): Seeded {
  const repo = options.repo ?? REPO;
  const environment = options.environment ?? 'production';
  const config = options.botConfig ?? 'bot:\n  rollbackWorkflow: rollback.yml\n';
  fake.addRepo(repo, { files: { '.github/model-delivery.yml': config, 'model.txt': 'v0\n' } });
  // One installation for every seeded repository, as one organisation's app would have.
  const installed = fake.state.installations.get(INSTALLATION)?.repos ?? [];
  fake.addInstallation(INSTALLATION, [...installed, repo]);
  fake.addWorkflow(repo, 'rollback.yml', {
    inputs: { environment: { required: true }, to: { required: true }, reason: {}, incident: {} },
  });
  const good = fake.addPullRequest(repo, {
    title: 'Model v1',
    merged: true,
    files: { 'model.txt': 'v1\n' },
  });
  const bad = fake.addPullRequest(repo, {
    title: 'Model v2',
    merged: true,
    files: { 'model.txt': 'v2\n' },
  });
  const goodSha = good.pull?.mergeCommitSha as string;
  const badSha = bad.pull?.mergeCommitSha as string;
  fake.addDeployment(repo, {
    ref: goodSha,
    environment,
    payload: { version: 'v1' },
    statuses: ['in_progress', 'success'],
  });
  fake.addDeployment(repo, {
    ref: badSha,
    environment,
    payload: { version: 'v2' },
    statuses: ['in_progress', 'success'],
  });
  fake.setPermission(repo, 'alice', 'write');
  fake.setPermission(repo, 'rita', 'read');
  return { goodSha, badSha, badPr: bad.number };
}

export interface BotUnderTest {
  url: string;
  settings: BotSettings;
  stop(): Promise<void>;
}

export function botEnv(
  fake: GitHubFake,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ALERTS_TOKEN: TOKEN,
    // Every credential is bound; the tests' repositories are all under acme/ or storm/.
    ALERTS_BINDINGS: JSON.stringify(
      Object.fromEntries(
        ['ALERTS_TOKEN', 'ALERTS_BASIC_USER', 'GRAFANA_HMAC_SECRET', 'GENERIC_HMAC_SECRET']
          .filter((name) => name === 'ALERTS_TOKEN' || extra[name] !== undefined)
          .map((name) => [name, { repositories: ['acme/*', 'storm/*'] }]),
      ),
    ),
    GITHUB_API_URL: fake.url,
    BOT_INCIDENT_LEASE: '1s',
    ...extra,
  };
}

export async function startBot(
  fake: GitHubFake,
  options: {
    env?: Record<string, string>;
    slack?: SlackClient;
    now?: () => number;
    /** Receives the bot's log lines (at info) instead of silence. */
    logTo?: (line: string) => void;
    metrics?: BotMetrics;
  } = {},
): Promise<BotUnderTest> {
  const settings = readBotSettings(options.env ?? botEnv(fake));
  const sink = options.logTo;
  const log = sink
    ? createBotLogger('info', { write: (line: string) => sink(line) })
    : pino({ level: 'silent' });
  const port = await freePort();
  const server = await createBotServer({
    settings,
    app: { appId: 1, privateKey, webhookSecret: WEBHOOK_SECRET },
    log,
    port,
    host: '127.0.0.1',
    slack: options.slack,
    now: options.now,
    metrics: options.metrics,
  });
  await server.start();
  return { url: `http://127.0.0.1:${port}`, settings, stop: () => server.stop() };
}

export async function startFake(): Promise<GitHubFake> {
  return startGitHubFake({ publicKey });
}

/** A fresh fake, the standard seeded repository and a bot on it: where most bot tests start. */
export async function startSeededBot(): Promise<{
  fake: GitHubFake;
  seeded: Seeded;
  bot: BotUnderTest;
}> {
  const fake = await startFake();
  const seeded = seedRepo(fake);
  return { fake, seeded, bot: await startBot(fake) };
}

/** Stops what a test started; either may be missing when the test failed before starting it. */
export async function stopAll(bot?: BotUnderTest, fake?: GitHubFake): Promise<void> {
  await bot?.stop();
  await fake?.close();
}

/** An Alertmanager v4 body (the shape of notify/webhook/webhook.go). */
export function alertmanagerBody(
  o: {
    status?: 'firing' | 'resolved';
    labels?: Record<string, string>;
    environment?: string;
    repo?: string;
    startsAt?: string;
  } = {},
) {
  const status = o.status ?? 'firing';
  const labels = {
    alertname: 'ModelErrorRate',
    repository: o.repo ?? REPO,
    environment: o.environment ?? 'production',
    severity: 'critical',
    ...o.labels,
  };
  return {
    version: '4',
    groupKey: '{}:{alertname="ModelErrorRate"}',
    truncatedAlerts: 0,
    status,
    receiver: 'model-delivery-bot',
    groupLabels: { alertname: labels.alertname },
    commonLabels: labels,
    commonAnnotations: { summary: 'errors above 1 %' },
    externalURL: 'http://alertmanager.example:9093',
    alerts: [
      {
        status,
        labels,
        annotations: { summary: 'errors above 1 %' },
        // Now: after the seeded deployments, as a real alert about the live release starts.
        startsAt: o.startsAt ?? new Date().toISOString(),
        endsAt: status === 'resolved' ? new Date().toISOString() : '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example:9090/graph?g0.expr=x',
        fingerprint: 'c6eadffa33fcdf37',
      },
    ],
  };
}

export async function postAlert(
  bot: BotUnderTest,
  body: unknown,
  options: { route?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${bot.url}/alerts/${options.route ?? 'alertmanager'}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${TOKEN}`,
      ...options.headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: parseJson(text) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Calls that change GitHub (everything but reads and the token exchange). */
export function writes(fake: GitHubFake) {
  return fake.calls.filter(
    (c) =>
      c.method !== 'GET' &&
      c.operationId !== 'apps/create-installation-access-token' &&
      !(c.operationId === 'graphql' && !isMutation(c.body)),
  );
}

/** A GraphQL request is a write only when its document is a mutation. */
function isMutation(body: unknown): boolean {
  const query = (body as { query?: unknown } | undefined)?.query;
  return typeof query !== 'string' || /^\s*mutation\b/.test(query);
}
