import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubFake } from '../../fakes/github/index.js';
import {
  alertmanagerBody,
  botEnv,
  postAlert,
  seedRepo,
  startBot,
  startFake,
  stopAll,
  TOKEN,
  writes,
  type BotUnderTest,
} from './harness.js';

describe('alert intake refusals', () => {
  let fake: GitHubFake;
  let bot: BotUnderTest;
  const now = 1_800_000_000_000;

  beforeAll(async () => {
    fake = await startFake();
    seedRepo(fake);
    bot = await startBot(fake, {
      env: botEnv(fake, {
        GRAFANA_HMAC_SECRET: 'grafana-secret',
        GRAFANA_TIMESTAMP_HEADER: 'X-Grafana-Alerting-Timestamp',
      }),
      now: () => now,
    });
  });
  afterAll(() => stopAll(bot, fake));
  beforeEach(() => fake.clearLog());

  it.each([
    ['no credentials', { authorization: '' }],
    ['a wrong token', { authorization: 'Bearer nope' }],
    ['a token one character short', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    [
      'basic auth when none is configured',
      { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
    ],
  ])('answers 401 to %s, without detail and without calling GitHub', async (_what, headers) => {
    const res = await postAlert(bot, alertmanagerBody(), { headers });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthorized' });
    expect(fake.calls).toEqual([]);
  });

  it('answers 401 on the Grafana route to a bearer token, a bad signature or an old timestamp', async () => {
    const body = JSON.stringify(alertmanagerBody());
    const ts = String(now / 1000);
    const sign = (t: string) =>
      createHmac('sha256', 'grafana-secret').update(`${t}:${body}`).digest('hex');
    const good = {
      'x-grafana-alerting-signature': sign(ts),
      'x-grafana-alerting-timestamp': ts,
      authorization: '',
    };
    expect(
      (
        await postAlert(bot, body, {
          route: 'grafana',
          headers: { ...good, 'x-grafana-alerting-signature': sign('1') },
        })
      ).status,
    ).toBe(401);
    const old = String(now / 1000 - 600);
    expect(
      (
        await postAlert(bot, body, {
          route: 'grafana',
          headers: {
            ...good,
            'x-grafana-alerting-timestamp': old,
            'x-grafana-alerting-signature': sign(old),
          },
        })
      ).status,
    ).toBe(401);
    expect((await postAlert(bot, body, { route: 'grafana' })).status).toBe(401);
    expect(fake.calls).toEqual([]);
    // The signed one gets through (and acts).
    expect((await postAlert(bot, body, { route: 'grafana', headers: good })).status).toBe(200);
  });

  it('answers 413 to a body over 1 MiB, 415 to another media type and 400 naming the problem', async () => {
    const big = JSON.stringify({ alerts: [], pad: 'x'.repeat(1024 * 1024) });
    expect((await postAlert(bot, big)).status).toBe(413);
    const text = await postAlert(bot, 'alerts', { headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    const broken = await postAlert(bot, '{"alerts": [');
    expect(broken.status).toBe(400);
    expect(JSON.stringify(broken.body)).toContain('not valid JSON');
    const malformed = await postAlert(bot, { version: '4', alerts: [{ status: 'firing' }] });
    expect(malformed).toEqual({
      status: 400,
      body: { error: 'alerts[0].labels: required (record)' },
    });
    expect(writes(fake)).toEqual([]);
  });

  it('answers 405 to a GET on an alert route and leaves other paths to Probot', async () => {
    expect((await fetch(`${bot.url}/alerts/alertmanager`)).status).toBe(405);
    expect((await fetch(`${bot.url}/ping`)).status).toBe(200);
    expect((await fetch(`${bot.url}/alerts/unknown`, { method: 'POST' })).status).toBe(404);
  });

  it('acknowledges alerts it cannot map, without writing to GitHub', async () => {
    const res = await postAlert(
      bot,
      alertmanagerBody({ labels: { repository: 'acme/not-installed' } }),
    );
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('not-installed');
    const unlabeled = alertmanagerBody();
    unlabeled.alerts[0]!.labels = { alertname: 'x' } as never;
    expect((await postAlert(bot, unlabeled)).status).toBe(200);
    expect(writes(fake)).toEqual([]);
  });
});

describe('logs', () => {
  it('never hold a secret, a credential or a payload', async () => {
    const fake = await startFake();
    seedRepo(fake);
    const lines: string[] = [];
    const secret = 'grafana-hmac-secret-value';
    const bot = await startBot(fake, {
      env: botEnv(fake, { GRAFANA_HMAC_SECRET: secret }),
      logTo: (line) => lines.push(line),
    });
    try {
      const body = alertmanagerBody({ labels: { alertname: 'PayloadOnlyName' } });
      await postAlert(bot, body, { headers: { authorization: 'Bearer wrong-token-value' } });
      await postAlert(bot, { alerts: 'not-a-list' });
      await postAlert(bot, body);
      const sig = createHmac('sha256', secret).update('{}').digest('hex');
      await postAlert(bot, '{}', {
        route: 'grafana',
        headers: { 'x-grafana-alerting-signature': sig },
      });
    } finally {
      await bot.stop();
      await fake.close();
    }
    const text = lines.join('\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(text).toContain('alert delivery handled');
    for (const needle of [
      TOKEN,
      'wrong-token-value',
      secret,
      'errors above 1 %',
      'not-a-list',
      'authorization',
    ]) {
      expect(text, needle).not.toContain(needle);
    }
  });
});
