import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubFake } from '../../fakes/github/index.js';
import {
  alertmanagerBody,
  postAlert,
  REPO,
  startBot,
  startSeededBot,
  stopAll,
  type BotUnderTest,
  type Seeded,
} from './harness.js';

describe('a firing alert', () => {
  let fake: GitHubFake;
  let bot: BotUnderTest;
  let seeded: Seeded;

  beforeEach(async () => ({ fake, seeded, bot } = await startSeededBot()));
  afterEach(() => stopAll(bot, fake));

  it('opens one revert pull request, dispatches the rollback and comments on the original', async () => {
    const res = await postAlert(bot, alertmanagerBody());
    expect(res.status).toBe(200);
    const reverts = fake.pullRequests(REPO).filter((p) => p.pull?.revertOf !== undefined);
    expect(reverts).toHaveLength(1);
    const revert = reverts[0]!;
    expect(revert.pull?.revertOf).toBe(seeded.badPr);
    expect(revert.labels).toContain('model-delivery:revert');
    expect(revert.body).toContain('ModelErrorRate');
    expect(revert.body).toContain('<!-- model-delivery-incident: acme/model@production@');
    expect(fake.state.dispatches).toHaveLength(1);
    expect(fake.state.dispatches[0]).toMatchObject({
      workflow: 'rollback.yml',
      ref: 'main',
      inputs: {
        environment: 'production',
        to: seeded.goodSha,
        incident: expect.stringContaining('acme/model@production'),
      },
      returnRunDetails: true,
    });
    const comments = fake.comments(REPO, seeded.badPr);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain(`#${revert.number}`);
    expect(fake.invalidRequests).toEqual([]);
    expect(fake.unmatchedRequests).toEqual([]);
  });

  it('does nothing more for repeated deliveries, from this process or another', async () => {
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(200);
    const callsAfterFirst = fake.calls.length;
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(200);
    expect(fake.calls.length - callsAfterFirst).toBeLessThanOrEqual(2);
    const other = await startBot(fake);
    try {
      const res = await postAlert(other, alertmanagerBody());
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).toContain('duplicate');
    } finally {
      await other.stop();
    }
    expect(fake.pullRequests(REPO).filter((p) => p.pull?.revertOf !== undefined)).toHaveLength(1);
    expect(fake.state.dispatches).toHaveLength(1);
    expect(fake.comments(REPO, seeded.badPr)).toHaveLength(1);
  });

  it('gives concurrent deliveries to two processes one incident', async () => {
    const other = await startBot(fake);
    try {
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => postAlert(i % 2 ? other : bot, alertmanagerBody())),
      );
      // The losers answer 503 until the owner is done; Alertmanager retries them.
      expect(results.some((r) => r.status === 200)).toBe(true);
      for (const r of results) expect([200, 503]).toContain(r.status);
      expect((await postAlert(other, alertmanagerBody())).status).toBe(200);
    } finally {
      await other.stop();
    }
    expect(fake.pullRequests(REPO).filter((p) => p.pull?.revertOf !== undefined)).toHaveLength(1);
    expect(fake.state.dispatches).toHaveLength(1);
  });

  it('ignores a stale alert naming a release that is not live', async () => {
    const res = await postAlert(bot, alertmanagerBody({ labels: { revision: 'v1' } }));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('stale');
    expect(fake.state.dispatches).toHaveLength(0);
    expect(fake.pullRequests(REPO).filter((p) => p.pull?.revertOf !== undefined)).toHaveLength(0);
  });

  it('acts on an alert naming the live release by version or sha prefix', async () => {
    expect((await postAlert(bot, alertmanagerBody({ labels: { revision: 'v2' } }))).status).toBe(
      200,
    );
    expect(fake.state.dispatches).toHaveLength(1);
  });

  it('notes a resolved alert once on the revert pull request', async () => {
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(200);
    const revert = fake.pullRequests(REPO).find((p) => p.pull?.revertOf !== undefined)!;
    // The rollback ran: the last good release is deployed again.
    fake.addDeployment(REPO, {
      ref: seeded.goodSha,
      environment: 'production',
      statuses: ['success'],
    });
    const resolved = alertmanagerBody({ status: 'resolved' });
    expect((await postAlert(bot, resolved)).status).toBe(200);
    expect((await postAlert(bot, resolved)).status).toBe(200);
    const notes = fake.comments(REPO, revert.number).filter((c) => c.body.includes('resolved'));
    expect(notes).toHaveLength(1);
  });

  it('answers 503 on a GitHub failure and completes on the retry without duplicates', async () => {
    fake.faults.add({ match: 'issues/create-comment', status: 502, times: 1 });
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(503);
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(200);
    expect(fake.pullRequests(REPO).filter((p) => p.pull?.revertOf !== undefined)).toHaveLength(1);
    expect(fake.state.dispatches).toHaveLength(1);
    expect(fake.comments(REPO, seeded.badPr)).toHaveLength(1);
  });

  it("puts the label on the comment's call once the label exists; a lost answer is recovered once", async () => {
    // The label exists (an earlier incident used it): the ledger query brings its node id.
    fake.addIssue(REPO, { title: 'earlier incident', labels: ['model-delivery:revert'] });
    // GitHub makes the comment and the label, but the answer is lost (a 502 after the fact).
    fake.faults.add({ match: 'graphql/addComment', status: 502, phase: 'after', times: 1 });
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(503);
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(200);
    const reverts = fake.pullRequests(REPO).filter((p) => p.pull?.revertOf !== undefined);
    expect(reverts).toHaveLength(1);
    expect(reverts[0]?.labels).toEqual(['model-delivery:revert']);
    expect(fake.comments(REPO, seeded.badPr)).toHaveLength(1);
    expect(fake.callsTo('issues/create-comment')).toHaveLength(0);
    expect(fake.state.dispatches).toHaveLength(1);
    expect(fake.invalidRequests).toEqual([]);
    expect(fake.unmatchedRequests).toEqual([]);
  });
});
