// Who may make the bot act, and on what: credentials bound to repositories (and
// environments), alerts older than the live release, replays, Grafana's replay window.
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { GitHubFake } from '../../fakes/github/index.js';
import {
  alertmanagerBody,
  botEnv,
  postAlert,
  REPO,
  seedRepo,
  startBot,
  startFake,
  stopAll,
  writes,
  type BotUnderTest,
} from './harness.js';

const OTHER = 'globex/model';
const reverts = (fake: GitHubFake, repo = REPO) =>
  fake.pullRequests(repo).filter((p) => p.pull?.revertOf !== undefined);

describe('credentials bound to repositories', () => {
  let fake: GitHubFake | undefined;
  let bot: BotUnderTest | undefined;
  afterEach(() => stopAll(bot, fake));

  async function start(bindings: unknown) {
    fake = await startFake();
    seedRepo(fake);
    // Installed by the same App, in the same installation: only the binding stands between.
    seedRepo(fake, { repo: OTHER });
    bot = await startBot(fake, {
      env: botEnv(fake, { ALERTS_BINDINGS: JSON.stringify(bindings) }),
    });
    fake.clearLog();
    return { fake, bot };
  }

  it('answers 403 without a single GitHub call when an alert names a repository outside the binding', async () => {
    const { fake, bot } = await start({ ALERTS_TOKEN: { repositories: [REPO] } });
    const res = await postAlert(bot, alertmanagerBody({ repo: OTHER }));
    expect(res.status).toBe(403);
    // The field is named, the repository (input) is not echoed.
    expect(JSON.stringify(res.body)).toContain('alerts[0]');
    expect(JSON.stringify(res.body)).not.toContain('globex');
    expect(fake.calls).toEqual([]);
    // One alert outside refuses the whole delivery: nothing is half done.
    const mixed = alertmanagerBody();
    mixed.alerts.push({
      ...mixed.alerts[0]!,
      labels: { ...mixed.alerts[0]!.labels, repository: OTHER },
    });
    expect((await postAlert(bot, mixed)).status).toBe(403);
    expect(fake.calls).toEqual([]);
    expect(reverts(fake, OTHER)).toEqual([]);
    // Inside the binding it acts.
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(200);
    expect(reverts(fake)).toHaveLength(1);
  });

  it('matches org-wide patterns and limits environments', async () => {
    const { fake, bot } = await start({
      ALERTS_TOKEN: { repositories: ['ACME/*'], environments: ['staging'] },
    });
    expect(
      (await postAlert(bot, alertmanagerBody({ repo: OTHER, environment: 'staging' }))).status,
    ).toBe(403);
    expect((await postAlert(bot, alertmanagerBody({ environment: 'production' }))).status).toBe(
      403,
    );
    const unnamed = alertmanagerBody();
    delete (unnamed.alerts[0]!.labels as Record<string, string>).environment;
    delete (unnamed.commonLabels as Record<string, string>).environment;
    // A binding limited to environments needs the alert to name one.
    expect((await postAlert(bot, unnamed)).status).toBe(403);
    expect(fake.calls).toEqual([]);
    // staging has no deployment in this repository: acknowledged, nothing to roll back.
    const staging = await postAlert(bot, alertmanagerBody({ environment: 'staging' }));
    expect(staging.status).toBe(200);
    expect(JSON.stringify(staging.body)).toContain('no-live-release');
  });
});

describe('alerts older than the live release', () => {
  let fake: GitHubFake | undefined;
  let bot: BotUnderTest | undefined;
  afterEach(() => stopAll(bot, fake));

  it('stay duplicates while their release is live and are ignored once a newer release is live', async () => {
    fake = await startFake();
    seedRepo(fake);
    bot = await startBot(fake);
    const captured = alertmanagerBody({ startsAt: new Date().toISOString() });
    expect((await postAlert(bot, captured)).status).toBe(200);
    expect(reverts(fake)).toHaveLength(1);
    const replay = await postAlert(bot, captured);
    expect(replay.status).toBe(200);
    expect(JSON.stringify(replay.body)).toContain('duplicate');
    // v3 goes live after the alert started (a minute later: GitHub's times have whole
    // seconds); the same signed delivery arrives again.
    const v3 = fake.addPullRequest(REPO, {
      title: 'Model v3',
      merged: true,
      files: { 'model.txt': 'v3\n' },
    });
    const deployment = fake.addDeployment(REPO, {
      ref: v3.pull?.mergeCommitSha as string,
      environment: 'production',
      payload: { version: 'v3' },
      statuses: ['in_progress', 'success'],
    });
    deployment.createdAt = new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    fake.clearLog();
    // This replica may still hold v2 as live in its ledger cache: then it is v2's duplicate.
    const warm = await postAlert(bot, captured);
    expect(warm.status).toBe(200);
    expect(JSON.stringify(warm.body)).toMatch(/"duplicate"|"alert_predates_release"/);
    // A replica that reads the ledger afresh sees v3 and ignores the older alert.
    const cold = await startBot(fake);
    try {
      const res = await postAlert(cold, captured);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        results: [{ outcome: 'ignored', reason: 'alert_predates_release' }],
      });
      expect(writes(fake)).toEqual([]);
      // An alert that started after v3 was deployed is v3's incident.
      const later = new Date(Date.now() + 120_000).toISOString();
      expect((await postAlert(cold, alertmanagerBody({ startsAt: later }))).status).toBe(200);
      expect(reverts(fake)).toHaveLength(2);
    } finally {
      await cold.stop();
    }
    expect(fake.state.dispatches).toHaveLength(2);
  });
});

describe("Grafana's signature", () => {
  let fake: GitHubFake | undefined;
  let bot: BotUnderTest | undefined;
  afterEach(() => stopAll(bot, fake));

  it('carries a timestamp inside the window by default: an untimed or old signature is 401', async () => {
    fake = await startFake();
    seedRepo(fake);
    const secret = 'grafana-secret';
    bot = await startBot(fake, { env: botEnv(fake, { GRAFANA_HMAC_SECRET: secret }) });
    const body = JSON.stringify(alertmanagerBody());
    const mac = (data: string) => createHmac('sha256', secret).update(data).digest('hex');
    const post = (headers: Record<string, string>) =>
      postAlert(bot as BotUnderTest, body, {
        route: 'grafana',
        headers: { authorization: '', ...headers },
      });
    expect((await post({ 'x-grafana-alerting-signature': mac(body) })).status).toBe(401);
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    expect(
      (
        await post({
          'x-grafana-alerting-signature': mac(`${old}:${body}`),
          'x-grafana-alerting-timestamp': old,
        })
      ).status,
    ).toBe(401);
    expect(fake.calls).toEqual([]);
    const ts = String(Math.floor(Date.now() / 1000));
    expect(
      (
        await post({
          'x-grafana-alerting-signature': mac(`${ts}:${body}`),
          'x-grafana-alerting-timestamp': ts,
        })
      ).status,
    ).toBe(200);
  });
});
