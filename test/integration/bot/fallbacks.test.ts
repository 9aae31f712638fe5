import { afterEach, describe, expect, it } from 'vitest';
import type { SlackClient, SlackMessage } from '../../../src/notify/slack-client.js';
import type { GitHubFake } from '../../fakes/github/index.js';
import {
  alertmanagerBody,
  botEnv,
  INSTALLATION,
  postAlert,
  REPO,
  startBot,
  startFake,
  stopAll,
  writes,
  type BotUnderTest,
} from './harness.js';

/** A repository whose live release is `live` (from a pull request or a direct commit). */
function seed(
  fake: GitHubFake,
  o: { config?: string; livePr?: 'merged' | 'unrevertable' | 'none' } = {},
) {
  fake.addRepo(REPO, {
    files: { '.github/model-delivery.yml': o.config ?? 'bot: {}\n', 'm.txt': '0' },
  });
  fake.addInstallation(INSTALLATION, [REPO]);
  fake.addWorkflow(REPO, 'rollback.yml');
  fake.addWorkflow(REPO, 'retrain.yml');
  const good = fake.addPullRequest(REPO, { title: 'good', merged: true, files: { 'm.txt': '1' } });
  const goodSha = good.pull?.mergeCommitSha as string;
  let liveSha: string;
  let livePr: number | undefined;
  if ((o.livePr ?? 'merged') === 'none') {
    liveSha = fake.addCommit(REPO, {
      message: 'direct push',
      files: { 'm.txt': '2' },
      branch: 'main',
    }).sha;
  } else {
    const pr = fake.addPullRequest(REPO, {
      title: 'bad',
      merged: true,
      files: { 'm.txt': '2' },
      revertable: o.livePr !== 'unrevertable',
    });
    liveSha = pr.pull?.mergeCommitSha as string;
    livePr = pr.number;
  }
  fake.addDeployment(REPO, { ref: goodSha, environment: 'production', statuses: ['success'] });
  fake.addDeployment(REPO, { ref: liveSha, environment: 'production', statuses: ['success'] });
  return { goodSha, liveSha, livePr };
}

const reverts = (fake: GitHubFake) =>
  fake.pullRequests(REPO).filter((p) => p.pull?.revertOf !== undefined);
const incidentIssues = (fake: GitHubFake) =>
  fake.issues(REPO).filter((i) => !i.pull && i.labels.includes('model-delivery:incident'));

describe('incident fallbacks', () => {
  let fake: GitHubFake;
  let bot: BotUnderTest;
  afterEach(() => stopAll(bot, fake));

  it('opens an issue when the live commit came from no pull request', async () => {
    fake = await startFake();
    const s = seed(fake, { livePr: 'none' });
    bot = await startBot(fake);
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(200);
    expect(reverts(fake)).toHaveLength(0);
    const issues = incidentIssues(fake);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.body).toContain('came from no pull request');
    expect(issues[0]?.body).toContain(s.liveSha);
    expect(fake.state.dispatches).toHaveLength(1);
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(200);
    expect(incidentIssues(fake)).toHaveLength(1);
  });

  it('opens an issue when GitHub refuses the revert, and still comments on the pull request', async () => {
    fake = await startFake();
    const s = seed(fake, { livePr: 'unrevertable' });
    bot = await startBot(fake);
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(200);
    expect(reverts(fake)).toHaveLength(0);
    expect(incidentIssues(fake)[0]?.body).toContain(`GitHub refused to revert #${s.livePr}`);
    const note = fake.comments(REPO, s.livePr as number)[0]?.body;
    expect(note).toContain('No revert pull request could be opened');
  });

  it('dispatches without return_run_details when the server rejects it', async () => {
    fake = await startFake();
    seed(fake);
    fake.behaviour.rejectReturnRunDetails = true;
    bot = await startBot(fake);
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(200);
    expect(fake.state.dispatches).toHaveLength(1);
    expect(fake.state.dispatches[0]?.returnRunDetails).toBe(false);
    const original = fake.pullRequests(REPO).find((p) => p.title === 'bad')!;
    expect(fake.comments(REPO, original.number)[0]?.body).toContain(
      'https://github.com/acme/model/actions/workflows/rollback.yml',
    );
  });

  it('follows the repository rules: a drift alert dispatches retrain, autoRevert off opens no revert', async () => {
    fake = await startFake();
    const s = seed(fake, {
      config:
        'bot:\n  autoRevert: false\n  alerts:\n    - match: { alertname: ModelDrift }\n      action: dispatch\n      workflow: retrain.yml\n',
    });
    bot = await startBot(fake);
    expect(
      (await postAlert(bot, alertmanagerBody({ labels: { alertname: 'ModelDrift' } }))).status,
    ).toBe(200);
    expect(fake.state.dispatches.map((d) => d.workflow)).toEqual(['retrain.yml']);
    expect(fake.state.dispatches[0]?.inputs).not.toHaveProperty('to');
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(200);
    expect(fake.state.dispatches.map((d) => d.workflow)).toEqual(['retrain.yml', 'rollback.yml']);
    expect(fake.state.dispatches[1]?.inputs).toMatchObject({ to: s.goodSha });
    expect(reverts(fake)).toHaveLength(0);
    expect(fake.comments(REPO, s.livePr as number)[0]?.body).toContain('autoRevert is off');
  });

  it('posts to Slack once per incident when configured', async () => {
    fake = await startFake();
    seed(fake);
    const posted: SlackMessage[] = [];
    const slack: SlackClient = { post: async (m) => void posted.push(m) };
    bot = await startBot(fake, { slack });
    await postAlert(bot, alertmanagerBody());
    await postAlert(bot, alertmanagerBody());
    expect(posted).toHaveLength(1);
    expect(posted[0]?.text).toContain('Rollback: acme/model production (ModelErrorRate)');
    expect(JSON.stringify(posted[0]?.blocks)).toContain('/pull/');
  });

  it('answers 503 while the ledger is unreadable and acts once it is back', async () => {
    fake = await startFake();
    seed(fake);
    bot = await startBot(fake);
    // The ledger is one GraphQL `repository { deployments }` read.
    const remove = fake.faults.add({ match: 'graphql/repository', status: 500 });
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(503);
    remove();
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(200);
    expect(reverts(fake)).toHaveLength(1);
  });

  it('acts on nothing when the rollback workflow is missing: one issue says so, repeats write nothing, and it acts once the workflow exists', async () => {
    fake = await startFake();
    seed(fake, { config: 'bot:\n  rollbackWorkflow: missing.yml\n' });
    bot = await startBot(fake, { env: botEnv(fake, { BOT_REPO_CACHE: '0s' }) });
    const res = await postAlert(bot, alertmanagerBody());
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('"reason":"workflow_missing"');
    // Checked before any write: no claim ref, no revert, no dispatch; one issue.
    const issues = () => fake.issues(REPO).filter((i) => /missing\.yml is missing/.test(i.title));
    expect(issues()).toHaveLength(1);
    expect(issues()[0]?.body).toContain('`missing.yml`');
    expect([...fake.repo(REPO).refs.keys()].filter((r) => r.includes('incidents'))).toEqual([]);
    expect(reverts(fake)).toHaveLength(0);
    expect(fake.state.dispatches).toHaveLength(0);
    // Repeats (this replica and another) report nothing again and write nothing.
    fake.clearLog();
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(200);
    const other = await startBot(fake, { env: botEnv(fake, { BOT_REPO_CACHE: '0s' }) });
    try {
      expect((await postAlert(other, alertmanagerBody())).status).toBe(200);
    } finally {
      await other.stop();
    }
    expect(issues()).toHaveLength(1);
    expect(writes(fake).filter((c) => c.operationId !== 'git/create-ref')).toEqual([]);
    fake.addWorkflow(REPO, 'missing.yml');
    expect((await postAlert(bot, alertmanagerBody())).status).toBe(200);
    expect(reverts(fake)).toHaveLength(1);
    expect(fake.state.dispatches.map((d) => d.workflow)).toEqual(['missing.yml']);
  });

  it('never acts on a repository without .github/model-delivery.yml (it has not opted in)', async () => {
    fake = await startFake();
    seed(fake);
    const repo = fake.repo(REPO);
    const head = repo.refs.get('refs/heads/main') as string;
    const commit = fake.addCommit(REPO, {
      message: 'drop config',
      files: { '.github/model-delivery.yml': null },
      branch: 'main',
    });
    expect(commit.sha).not.toBe(head);
    bot = await startBot(fake);
    fake.clearLog();
    const res = await postAlert(bot, alertmanagerBody());
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('"reason":"not_opted_in"');
    expect(writes(fake)).toEqual([]);
  });
});
