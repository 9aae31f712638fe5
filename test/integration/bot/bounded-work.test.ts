// How much one request may carry and cause, and what the logs keep of it.
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { GitHubFake } from '../../fakes/github/index.js';
import { comment } from './chatops-helpers.js';
import {
  alertmanagerBody,
  botEnv,
  postAlert,
  REPO,
  seedRepo,
  startBot,
  startFake,
  stopAll,
  WEBHOOK_SECRET,
  type BotUnderTest,
} from './harness.js';

const MiB = 1024 * 1024;

/** Streams `total` bytes (chunked, no Content-Length) and resolves with the status, or 'reset'. */
function stream(
  url: string,
  path: string,
  total: number,
): Promise<{ status: number | 'reset'; sent: number }> {
  return new Promise((resolve) => {
    let sent = 0;
    const req = request(
      `${url}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push' } },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, sent });
        req.destroy();
      },
    );
    req.on('error', () => resolve({ status: 'reset', sent }));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('bounded requests', () => {
  let fake: GitHubFake | undefined;
  let bot: BotUnderTest | undefined;
  const lines: string[] = [];
  afterEach(async () => {
    await stopAll(bot, fake);
    lines.length = 0;
  });

  async function start(env: Record<string, string> = {}) {
    fake = await startFake();
    seedRepo(fake);
    bot = await startBot(fake, { env: botEnv(fake, env), logTo: (l) => lines.push(l) });
    fake.clearLog();
    return { fake, bot };
  }

  it('answers 413 on every route, the webhook route included, before reading a large body', async () => {
    const { bot } = await start();
    for (const path of [
      '/api/github/webhooks',
      '/alerts/alertmanager',
      '/healthz',
      '/ping',
      '/anything',
    ]) {
      const res = await fetch(`${bot.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(2 * MiB) },
        body: Buffer.alloc(2 * MiB, 'a'),
      }).catch((e: unknown) => ({ status: `error ${String(e)}` }));
      expect(res.status, path).toBe(413);
    }
    // Without a Content-Length, reading stops at the limit: 413 long before 16 MiB are sent.
    const streamed = await stream(bot.url, '/api/github/webhooks', 16 * MiB);
    expect([413, 'reset']).toContain(streamed.status);
    expect(streamed.sent).toBeLessThan(16 * MiB);
  });

  it('logs a bad webhook signature as one line without the payload, and request lines without query strings', async () => {
    const { bot } = await start();
    const payload = JSON.stringify({ action: 'created', secret_field: 'PAYLOAD-ONLY-TEXT' });
    const res = await fetch(`${bot.url}/api/github/webhooks?token=QUERY-SECRET`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'issue_comment',
        'x-github-delivery': 'd-1',
        'x-hub-signature-256': 'sha256=deadbeef',
      },
      body: payload,
    });
    await fetch(`${bot.url}/ping?token=QUERY-SECRET`);
    const text = lines.join('\n');
    for (const needle of ['PAYLOAD-ONLY-TEXT', 'deadbeef', 'QUERY-SECRET', 'secret_field'])
      expect(text, needle).not.toContain(needle);
    expect(lines.filter((l) => l.includes('webhook refused'))).toHaveLength(1);
    expect(text).toContain('/ping');
    expect(res.status).toBe(401);
  });

  it('names the field of a bad body but echoes none of it', async () => {
    const { bot, fake } = await start();
    const broken = await postAlert(bot, '{"alerts": [ SECRET-FRAGMENT');
    expect(broken).toEqual({ status: 400, body: { error: 'body is not valid JSON' } });
    const keyed = alertmanagerBody();
    keyed.alerts[0]!.labels = { ...keyed.alerts[0]!.labels, 'customer-secret-key': 7 } as never;
    const res = await postAlert(bot, keyed);
    expect(res).toEqual({ status: 400, body: { error: 'alerts[0].labels.*: expected string' } });
    expect(fake.calls).toEqual([]);
  });

  it('caps alerts, repositories and environments per delivery, before any GitHub call', async () => {
    const { bot, fake } = await start();
    const many = (n: number, label: (i: number) => Record<string, string>) => {
      const body = alertmanagerBody();
      const first = body.alerts[0]!;
      body.alerts = Array.from({ length: n }, (_, i) => ({
        ...first,
        labels: { ...first.labels, ...label(i) },
      }));
      return body;
    };
    const repos = await postAlert(
      bot,
      many(150, (i) => ({ repository: `acme/model-${i}` })),
    );
    expect(repos.status).toBe(400);
    expect(JSON.stringify(repos.body)).toContain('repositories per delivery');
    const envs = await postAlert(
      bot,
      many(30, (i) => ({ environment: `env-${i}` })),
    );
    expect(envs.status).toBe(400);
    expect(JSON.stringify(envs.body)).toContain('environments per delivery');
    const alerts = await postAlert(
      bot,
      many(201, (i) => ({ instance: `pod-${i}` })),
    );
    expect(alerts.status).toBe(413);
    expect(fake.calls).toEqual([]);
  });

  it('answers 429 with Retry-After past the per-source limits, wrong credentials first', async () => {
    const { bot, fake } = await start({ ALERTS_REFUSAL_LIMIT: '10' });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${bot.url}/alerts/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer wrong-${i}` },
        body: '{}',
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
      await res.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // The guesser's address is shut for the window, right token or not.
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(429);
    expect(fake.calls).toEqual([]);
  });

  it('answers 429 with Retry-After past the per-source request limit', async () => {
    const { bot } = await start({ ALERTS_RATE_LIMIT: '3' });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await postAlert(bot, alertmanagerBody())).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('logs a failed ChatOps command as one line, without the event', async () => {
    const { bot, fake } = await start();
    fake.faults.add({ match: 'repos/get-collaborator-permission-level', status: 500 });
    const issue = fake.pullRequests(REPO)[0]!.number;
    await comment(bot, fake, { issue, login: 'alice', body: '/rollback COMMENT-ONLY-TEXT' });
    const failed = lines.filter((l) => l.includes('chatops command failed'));
    expect(failed).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('COMMENT-ONLY-TEXT');
  });
});

describe('signed webhook deliveries still reach the app', () => {
  it('with the body read by the bot', async () => {
    const fake = await startFake();
    seedRepo(fake);
    const bot = await startBot(fake);
    try {
      const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
      const res = await fetch(`${bot.url}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'ping',
          'x-github-delivery': 'd-ping',
          'x-hub-signature-256': `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`,
        },
        body,
      });
      expect(res.status).toBe(200);
    } finally {
      await stopAll(bot, fake);
    }
  });
});
