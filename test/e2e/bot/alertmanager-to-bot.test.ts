import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2e } from '../../helpers/e2e.js';
import type { GitHubFake } from '../../fakes/github/index.js';
import { seedRepo, startFake, type Seeded } from '../../integration/bot/harness.js';
import {
  bundleBot,
  cleanup,
  sleep,
  startAlertmanager,
  startBotProcess,
  waitFor,
  type AmAlert,
} from './stack.js';

const firing = (repo: string, environment = 'production'): AmAlert => ({
  labels: { alertname: 'ModelErrorRate', repository: repo, environment, severity: 'critical' },
  annotations: { summary: `${repo} fails 3 % of predictions` },
});
const resolved = (alert: AmAlert): AmAlert => ({
  ...alert,
  endsAt: new Date(Date.now() - 1000).toISOString(),
});

describe.skipIf(!e2e('prometheus-alertmanager'))('the real Alertmanager posting to the bot', () => {
  let fake: GitHubFake;
  let botJs: string;
  const reverts = (repo: string) =>
    fake.pullRequests(repo).filter((p) => p.pull?.revertOf !== undefined);
  const dispatches = (repo: string) =>
    fake.state.dispatches.filter((d) => d.repo.toLowerCase() === repo);

  beforeAll(async () => {
    [fake, botJs] = await Promise.all([startFake(), bundleBot()]);
  }, 60_000);
  afterAll(async () => {
    await fake?.close();
    cleanup();
  });

  it('firing: one revert PR and one dispatch; repeats add nothing; resolved adds its note', async () => {
    const repo = 'acme/e2e-single';
    const s: Seeded = seedRepo(fake, { repo });
    const bot = await startBotProcess(botJs, fake);
    const am = await startAlertmanager([bot.url]);
    try {
      await am.push([firing(repo)]);
      const done = `refs/model-delivery/incidents/production/${s.badSha}/rollback/done`;
      await waitFor(() => fake.repo(repo)?.refs.has(done) === true, 20_000, 'the incident');
      expect(dispatches(repo)[0]?.inputs).toMatchObject({
        environment: 'production',
        to: s.goodSha,
      });
      const deliveriesBefore = fake.callsTo('git/create-ref').length;
      await sleep(4500); // two repeat_intervals: Alertmanager sends the same notification again
      expect(reverts(repo)).toHaveLength(1);
      expect(dispatches(repo)).toHaveLength(1);
      expect(fake.comments(repo, s.badPr)).toHaveLength(1);
      expect(fake.callsTo('git/create-ref').length).toBe(deliveriesBefore); // repeats were answered from memory
      await am.push([resolved(firing(repo))]);
      const revert = reverts(repo)[0]!;
      await waitFor(
        () => fake.comments(repo, revert.number).some((c) => c.body.includes('resolved')),
        20_000,
        'the resolved note',
      );
      await sleep(2500);
      expect(
        fake.comments(repo, revert.number).filter((c) => c.body.includes('resolved')),
      ).toHaveLength(1);
    } finally {
      await am.stop();
      await bot.kill();
    }
  }, 60_000);

  it('two bot processes receiving the same alerts open one PR', async () => {
    const repo = 'acme/e2e-replicas';
    seedRepo(fake, { repo });
    const [a, b] = await Promise.all([startBotProcess(botJs, fake), startBotProcess(botJs, fake)]);
    const am = await startAlertmanager([a.url, b.url]);
    try {
      await am.push([firing(repo)]);
      await waitFor(
        () => reverts(repo).length === 1 && dispatches(repo).length === 1,
        20_000,
        'the incident',
      );
      await sleep(3000);
      expect(reverts(repo)).toHaveLength(1);
      expect(dispatches(repo)).toHaveLength(1);
    } finally {
      await am.stop();
      await Promise.all([a.kill(), b.kill()]);
    }
  }, 60_000);

  it('a bot killed mid-incident and restarted completes it with no duplicate', async () => {
    const repo = 'acme/e2e-crash';
    const s = seedRepo(fake, { repo });
    // The revert is slow, so the kill lands after the dispatch and before the revert is answered.
    const slow = fake.faults.add({ match: 'graphql/revertPullRequest', latencyMs: 1500 });
    const first = await startBotProcess(botJs, fake);
    const am = await startAlertmanager([first.url]);
    try {
      await am.push([firing(repo)]);
      await waitFor(() => dispatches(repo).length === 1, 20_000, 'the dispatch');
      await sleep(300);
      await first.kill('SIGKILL');
      slow();
      const second = await startBotProcess(botJs, fake, { port: first.port });
      try {
        await waitFor(
          () => fake.comments(repo, s.badPr).length === 1,
          30_000,
          'the incident to complete',
        );
        await sleep(2500);
        expect(reverts(repo)).toHaveLength(1);
        expect(dispatches(repo)).toHaveLength(1);
        expect(fake.comments(repo, s.badPr)).toHaveLength(1);
      } finally {
        await second.kill();
      }
    } finally {
      slow();
      await am.stop();
    }
  }, 60_000);

  it('with 20 % of GitHub calls failing, every incident completes exactly once', async () => {
    const repos = ['acme/e2e-f1', 'acme/e2e-f2', 'acme/e2e-f3', 'acme/e2e-f4'];
    const seeded = repos.map((repo) => seedRepo(fake, { repo }));
    fake.faults.reseed(7);
    const faults = fake.faults.add({ match: () => true, rate: 0.2, status: 500 });
    const bot = await startBotProcess(botJs, fake);
    const am = await startAlertmanager([bot.url]);
    try {
      await am.push(repos.map((r) => firing(r)));
      await waitFor(
        () =>
          repos.every(
            (r, i) => fake.comments(r, seeded[i]!.badPr).length >= 1 && dispatches(r).length >= 1,
          ),
        40_000,
        'every incident',
      ).catch((e: unknown) => {
        for (const r of repos)
          console.log(
            r,
            reverts(r).length,
            dispatches(r).length,
            [...(fake.repo(r)?.refs.keys() ?? [])].filter((k) => k.includes('model-delivery')),
          );
        console.log(
          fake.calls
            .slice(-30)
            .map((c) => `${c.method} ${c.path} ${c.status} ${c.fault ? 'F' : ''}`)
            .join('\n'),
        );
        throw e;
      });
      await sleep(2500);
      for (const [i, repo] of repos.entries()) {
        expect(reverts(repo), repo).toHaveLength(1);
        expect(dispatches(repo), repo).toHaveLength(1);
        expect(fake.comments(repo, seeded[i]!.badPr), repo).toHaveLength(1);
      }
      expect(fake.calls.some((c) => c.fault)).toBe(true);
    } finally {
      faults();
      await am.stop();
      await bot.kill();
    }
  }, 60_000);
});
