// Deployments (the ledger), contents, commits → pulls, issues, comments, reactions and
// permissions, through @actions/github's Octokit.
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubFake, type GitHubFake } from '../../fakes/github/index.js';
import { failure } from './failure.js';

const TOKEN = 'ghp_ledger';
let fake: GitHubFake;
let gh: ReturnType<typeof getOctokit>;

/** Octokit without its TypeScript types, for requests that are wrong on purpose. */
function send(route: string, params: Record<string, unknown>): Promise<unknown> {
  return gh.request(route, params);
}
const repo = { owner: 'acme', repo: 'model' };

beforeAll(async () => {
  fake = await startGitHubFake({ tokens: [TOKEN], validateResponses: true });
  fake.addRepo('acme/model', {
    files: { 'README.md': '# model\n', 'k8s/deploy.yaml': 'kind: Deployment\n' },
  });
  gh = getOctokit(TOKEN, { baseUrl: fake.url });
});

afterAll(async () => {
  expect(fake.invalidRequests).toEqual([]);
  expect(fake.invalidResponses).toEqual([]);
  await fake?.close();
});

describe('deployments', () => {
  it('creates a deployment with a payload and status, as the ledger writes it', async () => {
    const created = await gh.rest.repos.createDeployment({
      ...repo,
      ref: 'main',
      environment: 'staging',
      payload: { image: 'registry/model@sha256:abc', version: 'v2' },
      auto_merge: false,
      required_contexts: [],
    });
    expect(created.status).toBe(201);
    const d = created.data as {
      id: number;
      sha: string;
      payload: unknown;
      production_environment: boolean;
      creator: { login: string };
    };
    expect(d.sha).toBe(fake.refSha('acme/model', 'main'));
    expect(d.payload).toEqual({ image: 'registry/model@sha256:abc', version: 'v2' });
    expect(d.production_environment).toBe(false);
    expect(d.creator.login).toBe('github-actions[bot]');
    const status = await gh.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: d.id,
      state: 'in_progress',
      log_url: 'https://ci/run/1',
    });
    expect(status.status).toBe(201);
    expect(status.headers.location).toMatch(
      new RegExp(`/deployments/${d.id}/statuses/${status.data.id}$`),
    );
    expect(
      fake
        .repo('acme/model')
        .deployments.get(d.id)
        ?.statuses.map((s) => s.state),
    ).toEqual(['in_progress']);
  });

  it('refuses a ref that does not exist with 422', async () => {
    const e = await failure(
      gh.rest.repos.createDeployment({ ...repo, ref: 'no-such-branch', required_contexts: [] }),
    );
    expect(e.status).toBe(422);
    expect(e.message).toContain('No ref found for: no-such-branch');
  });

  it('lists newest first with filters, and paginates with a Link header', async () => {
    const sha = fake.refSha('acme/model', 'main') ?? '';
    for (let i = 0; i < 7; i++)
      fake.addDeployment('acme/model', { ref: sha, environment: 'production', payload: { n: i } });
    fake.addDeployment('acme/model', { ref: sha, environment: 'canary', task: 'deploy:canary' });
    const page1 = await gh.rest.repos.listDeployments({
      ...repo,
      environment: 'production',
      per_page: 3,
    });
    expect(page1.data.map((d) => (d.payload as { n: number }).n)).toEqual([6, 5, 4]);
    expect(page1.headers.link).toContain('rel="next"');
    expect(page1.headers.link).toContain('page=3&'.replace('&', '')); // rel="last" is page 3
    const all = await gh.paginate(gh.rest.repos.listDeployments, {
      ...repo,
      environment: 'production',
      per_page: 3,
    });
    expect(all.map((d) => (d.payload as { n: number }).n)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    const canary = await gh.rest.repos.listDeployments({ ...repo, task: 'deploy:canary' });
    expect(canary.data.map((d) => d.environment)).toEqual(['canary']);
    const bySha = await gh.rest.repos.listDeployments({ ...repo, sha, environment: 'canary' });
    expect(bySha.data).toHaveLength(1);
  });

  it('auto_inactive marks earlier successful deployments of a non-production environment inactive', async () => {
    const older = fake.addDeployment('acme/model', {
      ref: 'main',
      environment: 'preview',
      production: false,
      statuses: ['success'],
    });
    const failed = fake.addDeployment('acme/model', {
      ref: 'main',
      environment: 'preview',
      production: false,
      statuses: ['failure'],
    });
    const prod = fake.addDeployment('acme/model', {
      ref: 'main',
      environment: 'preview-prod',
      production: true,
      statuses: ['success'],
    });
    const newer = fake.addDeployment('acme/model', {
      ref: 'main',
      environment: 'preview',
      production: false,
    });
    await gh.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: newer.id,
      state: 'success',
    });
    expect(older.statuses.map((s) => s.state)).toEqual(['success', 'inactive']);
    expect(failed.statuses.map((s) => s.state)).toEqual(['failure']);
    expect(prod.statuses.map((s) => s.state)).toEqual(['success']);
    const listed = await gh.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: older.id });
    expect(listed.data.map((s) => s.state)).toEqual(['inactive', 'success']);
  });

  it('auto_inactive: false leaves earlier deployments alone', async () => {
    const older = fake.addDeployment('acme/model', {
      ref: 'main',
      environment: 'qa',
      production: false,
      statuses: ['success'],
    });
    const newer = fake.addDeployment('acme/model', {
      ref: 'main',
      environment: 'qa',
      production: false,
    });
    await gh.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: newer.id,
      state: 'success',
      auto_inactive: false,
    });
    expect(older.statuses.map((s) => s.state)).toEqual(['success']);
  });
});

describe('contents', () => {
  it('returns a file base64-encoded, at a ref, and 404 when absent', async () => {
    fake.addCommit('acme/model', { branch: 'next', files: { 'README.md': '# next\n' } });
    const main = await gh.rest.repos.getContent({ ...repo, path: 'README.md' });
    const file = main.data as { type: string; encoding: string; content: string; sha: string };
    expect(file.type).toBe('file');
    expect(Buffer.from(file.content, 'base64').toString()).toBe('# model\n');
    const next = await gh.rest.repos.getContent({ ...repo, path: 'README.md', ref: 'next' });
    expect(Buffer.from((next.data as { content: string }).content, 'base64').toString()).toBe(
      '# next\n',
    );
    expect((await failure(gh.rest.repos.getContent({ ...repo, path: 'missing.yml' }))).status).toBe(
      404,
    );
    expect(
      (await failure(gh.rest.repos.getContent({ ...repo, path: 'README.md', ref: 'nope' }))).status,
    ).toBe(404);
  });

  it('lists a directory and serves raw text when asked', async () => {
    const dir = await gh.rest.repos.getContent({ ...repo, path: 'k8s' });
    expect((dir.data as { name: string; type: string }[]).map((e) => [e.name, e.type])).toEqual([
      ['deploy.yaml', 'file'],
    ]);
    const raw = await gh.request('GET /repos/{owner}/{repo}/contents/{path}', {
      ...repo,
      path: 'k8s/deploy.yaml',
      mediaType: { format: 'raw' },
    });
    expect(raw.data).toBe('kind: Deployment\n');
  });
});

describe('commits → pull requests, and pulls', () => {
  it('finds the merged pull request that introduced a commit', async () => {
    const pr = fake.addPullRequest('acme/model', { title: 'Ship v3', merged: true, head: 'v3' });
    const sha = pr.pull?.mergeCommitSha ?? '';
    expect(fake.refSha('acme/model', 'main')).toBe(sha);
    const res = await gh.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: sha,
    });
    expect(res.data.map((p) => [p.number, p.merged_at !== null, p.node_id])).toEqual([
      [pr.number, true, pr.nodeId],
    ]);
    const none = await gh.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: fake.addCommit('acme/model').sha,
    });
    expect(none.data).toEqual([]);
  });

  it('gets, lists by head and updates pull requests', async () => {
    const pr = fake.addPullRequest('acme/model', { title: 'WIP', head: 'wip' });
    const got = await gh.rest.pulls.get({ ...repo, pull_number: pr.number });
    expect(got.data).toMatchObject({
      number: pr.number,
      state: 'open',
      merged: false,
      head: { ref: 'wip' },
    });
    const byHead = await gh.rest.pulls.list({ ...repo, head: 'acme:wip' });
    expect(byHead.data.map((p) => p.number)).toEqual([pr.number]);
    await gh.rest.pulls.update({ ...repo, pull_number: pr.number, state: 'closed', body: 'done' });
    expect(pr.state).toBe('closed');
    expect((await gh.rest.pulls.list({ ...repo, head: 'acme:wip' })).data).toEqual([]);
  });
});

describe('issues, comments, labels and reactions', () => {
  it('creates an issue, comments on it, edits and deletes the comment', async () => {
    const issue = await gh.rest.issues.create({
      ...repo,
      title: 'Rollback failed',
      labels: ['incident'],
    });
    const n = issue.data.number;
    const c = await gh.rest.issues.createComment({
      ...repo,
      issue_number: n,
      body: '<!-- sticky -->\nv1',
    });
    await gh.rest.issues.updateComment({
      ...repo,
      comment_id: c.data.id,
      body: '<!-- sticky -->\nv2',
    });
    const listed = await gh.rest.issues.listComments({ ...repo, issue_number: n });
    expect(listed.data.map((x) => x.body)).toEqual(['<!-- sticky -->\nv2']);
    await gh.rest.issues.addLabels({ ...repo, issue_number: n, labels: ['rollback'] });
    expect(
      (await gh.rest.issues.get({ ...repo, issue_number: n })).data.labels.map((l) =>
        typeof l === 'string' ? l : l.name,
      ),
    ).toEqual(['incident', 'rollback']);
    await gh.rest.issues.deleteComment({ ...repo, comment_id: c.data.id });
    expect(fake.comments('acme/model', n)).toEqual([]);
    expect(
      (await failure(gh.rest.issues.getComment({ ...repo, comment_id: c.data.id }))).status,
    ).toBe(404);
  });

  it('comments on a pull request through the issues API (the sticky comment path)', async () => {
    const pr = fake.addPullRequest('acme/model', { title: 'Feature' });
    fake.addComment('acme/model', pr.number, 'first', { author: 'alice' });
    await gh.rest.issues.createComment({ ...repo, issue_number: pr.number, body: 'report' });
    const all = await gh.paginate(gh.rest.issues.listComments, {
      ...repo,
      issue_number: pr.number,
      per_page: 1,
    });
    expect(all.map((c) => [c.user?.login, c.body])).toEqual([
      ['alice', 'first'],
      ['github-actions[bot]', 'report'],
    ]);
  });

  it('answers 201 for a new reaction and 200 when the same user already reacted', async () => {
    const issue = fake.addIssue('acme/model', { title: 'chatops' });
    const comment = fake.addComment('acme/model', issue.number, '/rollback', { author: 'alice' });
    const first = await gh.rest.reactions.createForIssueComment({
      ...repo,
      comment_id: comment.id,
      content: 'eyes',
    });
    const again = await gh.rest.reactions.createForIssueComment({
      ...repo,
      comment_id: comment.id,
      content: 'eyes',
    });
    const rocket = await gh.rest.reactions.createForIssueComment({
      ...repo,
      comment_id: comment.id,
      content: 'rocket',
    });
    expect([first.status, again.status, rocket.status]).toEqual([201, 200, 201]);
    expect(again.data.id).toBe(first.data.id);
    expect(comment.reactions.map((r) => r.content)).toEqual(['eyes', 'rocket']);
    const e = await failure(
      send('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', {
        ...repo,
        comment_id: comment.id,
        content: 'thumbsup',
      }),
    );
    expect(e.status).toBe(422);
    expect(fake.invalidRequests.map((r) => r.operationId)).toEqual([
      'reactions/create-for-issue-comment',
    ]);
    fake.clearLog();
  });
});

describe('collaborator permission', () => {
  it.each([
    ['admin', 'admin', 'admin'],
    ['maintain', 'write', 'maintain'],
    ['write', 'write', 'write'],
    ['triage', 'read', 'triage'],
    ['read', 'read', 'read'],
  ] as const)('role %s → permission %s, role_name %s', async (role, permission, roleName) => {
    fake.setPermission('acme/model', `user-${role}`, role);
    const res = await gh.rest.repos.getCollaboratorPermissionLevel({
      ...repo,
      username: `user-${role}`,
    });
    expect(res.data).toMatchObject({
      permission,
      role_name: roleName,
      user: { login: `user-${role}` },
    });
  });

  it('answers 404 for an unknown user', async () => {
    const e = await failure(
      gh.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: 'mallory' }),
    );
    expect(e.status).toBe(404);
  });
});
