import { afterEach, describe, expect, it } from 'vitest';
import type { GitHubFake } from '../../fakes/github/index.js';
import {
  alertmanagerBody,
  postAlert,
  startSeededBot,
  stopAll,
  type BotUnderTest,
} from './harness.js';

/** The value of one sample of a Prometheus text exposition, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('the bot is observable', () => {
  let fake: GitHubFake | undefined;
  let bot: BotUnderTest | undefined;
  afterEach(() => stopAll(bot, fake));

  it('serves /healthz and /metrics with incidents, duplicates, refusals and GitHub calls', async () => {
    ({ fake, bot } = await startSeededBot());
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(200);
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(200);
    expect(
      (await postAlert(bot, alertmanagerBody(), { headers: { authorization: 'Bearer no' } }))
        .status,
    ).toBe(401);
    const res = await fetch(`${bot.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(sample(text, 'model_delivery_bot_alert_deliveries_total', 'route="alertmanager"')).toBe(
      2,
    );
    expect(sample(text, 'model_delivery_bot_incidents_total', 'outcome="done"')).toBe(1);
    expect(sample(text, 'model_delivery_bot_incidents_total', 'outcome="duplicate"')).toBe(1);
    expect(sample(text, 'model_delivery_bot_refusals_total', 'reason="unauthorized"')).toBe(1);
    const counted = text
      .split('\n')
      .filter((l) => l.startsWith('model_delivery_bot_github_requests_total{'))
      .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
    // Every call the fake saw, the installation token exchange included.
    expect(counted).toBe(fake.calls.length);
    expect(
      sample(text, 'model_delivery_bot_github_request_duration_seconds_count', 'method="POST"'),
    ).toBeGreaterThan(0);
  });
});
