import { afterAll, beforeAll, expect, test } from 'vitest';
import { PR_COMMENT_MARKER } from '../../../src/report/pr-comment.js';
import { notifyStage } from '../../../src/stages/notify.js';
import { startGitHubFake, type GitHubFake } from '../../fakes/github/index.js';
import { failedGateReport, stageReport, trainReport } from '../../unit/report/fixtures.js';
import { notifyContext } from './notify-context.js';

const REPO = 'acme/classifier';
const TOKEN = 'ghs_notify_test_token';
let fake: GitHubFake;

beforeAll(async () => {
  fake = await startGitHubFake({ tokens: [TOKEN] });
  fake.addRepo(REPO);
  fake.addPullRequest(REPO, { number: 7, title: 'Better model' });
  // More than a page of other people's comments, so ours is found on page 2.
  for (let i = 0; i < 130; i++) fake.addComment(REPO, 7, `comment ${i}`);
}, 30_000);
afterAll(async () => {
  await fake?.close();
});

function runNotify(reports = [stageReport('lint'), trainReport()], config = {}) {
  const env = notifyContext({
    reports,
    config,
    github: {
      eventName: 'pull_request',
      pullRequestNumber: 7,
      token: TOKEN,
      apiUrl: fake.url,
      repository: REPO,
    },
  });
  return notifyStage.run(env.ctx).finally(env.remove);
}

const ours = () => fake.comments(REPO, 7).filter((c) => c.body.includes(PR_COMMENT_MARKER));

test('the sticky comment is created once, then updated in place; a second run adds no comment', async () => {
  const first = await runNotify();
  expect(first.status).toBe('success');
  expect(first.details.channels).toContainEqual(
    expect.objectContaining({ channel: 'pr-comment', result: 'created' }),
  );
  expect(ours()).toHaveLength(1);
  expect(ours()[0]?.body).toContain('| accuracy | 0.91 | ≥ 0.85 | 0.9 | +0.01 | ✅ pass |');
  expect(ours()[0]?.body).not.toContain('xychart-beta');

  // The next push: training again, and this time a gate ran too.
  const second = await runNotify([stageReport('lint'), trainReport(), failedGateReport()]);
  expect(second.details.channels).toContainEqual(
    expect.objectContaining({ channel: 'pr-comment', result: 'updated' }),
  );
  expect(ours()).toHaveLength(1);
  expect(ours()[0]?.body).toContain('xychart-beta');
  expect(fake.comments(REPO, 7)).toHaveLength(131);

  expect(fake.callsTo('issues/create-comment')).toHaveLength(1);
  expect(fake.callsTo('issues/update-comment')).toHaveLength(1);
  // Two runs, each reading both pages of comments.
  expect(fake.callsTo('issues/list-comments')).toHaveLength(4);
  expect(fake.invalidRequests).toEqual([]);
  expect(fake.unmatchedRequests).toEqual([]);
  expect(fake.invalidResponses).toEqual([]);
});

test('notify.prComment: false posts nothing', async () => {
  fake.clearLog();
  const outcome = await runNotify(undefined, { notify: { prComment: false } });
  expect(outcome.details.channels).toContainEqual({
    channel: 'pr-comment',
    result: 'skipped',
    detail: 'notify.prComment is false',
  });
  expect(fake.calls).toEqual([]);
});

test('a GitHub error is a warning, not a failed delivery', async () => {
  fake.clearLog();
  const env = notifyContext({
    reports: [trainReport()],
    github: {
      eventName: 'pull_request',
      pullRequestNumber: 7,
      token: 'ghs_unknown',
      apiUrl: fake.url,
      repository: REPO,
    },
  });
  const outcome = await notifyStage.run(env.ctx).finally(env.remove);
  expect(outcome).toMatchObject({ status: 'success', reason: 'notification_failed' });
  expect(outcome.details.warnings).toEqual([expect.stringMatching(/^pr-comment: /)]);
});

test('on a push, the Slack message links the pull request that shipped the commit', async () => {
  const { startSlackReceiver } = await import('./slack-receiver.js');
  const receiver = await startSlackReceiver();
  fake.addPullRequest(REPO, { number: 8, title: 'Ship v2', merged: true });
  const sha = fake.refSha(REPO, 'main') as string;
  const env = notifyContext({
    reports: [trainReport(), failedGateReport()],
    config: { notify: { slack: { webhook: receiver.url } } },
    github: { eventName: 'push', sha, token: TOKEN, apiUrl: fake.url, repository: REPO },
  });
  try {
    const outcome = await notifyStage.run(env.ctx);
    expect(outcome.reason).toBe('notified');
    expect(JSON.stringify(receiver.posts[0]?.body)).toContain(
      `<https://github.com/${REPO}/pull/8|pull request #8>`,
    );
    expect(fake.callsTo('repos/list-pull-requests-associated-with-commit')).toHaveLength(1);
    expect(fake.invalidRequests).toEqual([]);
  } finally {
    env.remove();
    await receiver.close();
  }
});
