// Finding things again: issue search by marker, workflow runs after a dispatch, branches,
// deleting deployments, and how the fake reports GraphQL fields it does not model.
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubFake, type GitHubFake } from '../../fakes/github/index.js';
import { loadGitHubSpec } from '../../fakes/github/spec.js';
import { failure } from './failure.js';

const TOKEN = 'ghp_search';
let fake: GitHubFake;
let gh: ReturnType<typeof getOctokit>;
const repo = { owner: 'acme', repo: 'model' };

beforeAll(async () => {
  fake = await startGitHubFake({ tokens: [TOKEN], validateResponses: true });
  fake.addRepo('acme/model');
  fake.addRepo('acme/other');
  gh = getOctokit(TOKEN, { baseUrl: fake.url });
});

afterAll(async () => {
  expect(fake.invalidRequests).toEqual([]);
  expect(fake.invalidResponses).toEqual([]);
  await fake?.close();
});

describe('search/issues', () => {
  it('finds a pull request by the hidden marker in its body, scoped by repo and qualifiers', async () => {
    const marker = '<!-- model-delivery:incident acme/model/production/abc123 -->';
    const revert = fake.addPullRequest('acme/model', {
      title: 'Revert v2',
      body: `Alert fired\n${marker}`,
      labels: ['rollback'],
    });
    fake.addIssue('acme/model', { title: 'Unrelated', body: 'no marker' });
    fake.addIssue('acme/other', { title: 'Same marker elsewhere', body: marker });
    const q = `"model-delivery:incident acme/model/production/abc123" in:body repo:acme/model is:pr is:open label:rollback`;
    const res = await gh.rest.search.issuesAndPullRequests({ q });
    expect(res.data.total_count).toBe(1);
    expect(res.data.items.map((i) => [i.number, i.pull_request?.url])).toEqual([
      [revert.number, `${fake.url}/repos/acme/model/pulls/${revert.number}`],
    ]);
    const closedOnly = await gh.rest.search.issuesAndPullRequests({
      q: `${q.replace('is:open', 'is:closed')}`,
    });
    expect(closedOnly.data.total_count).toBe(0);
    const everywhere = await gh.rest.search.issuesAndPullRequests({
      q: '"model-delivery:incident acme/model/production/abc123"',
    });
    expect(everywhere.data.items.map((i) => i.repository_url)).toEqual([
      `${fake.url}/repos/acme/other`,
      `${fake.url}/repos/acme/model`,
    ]);
  });

  it('refuses a qualifier it does not support rather than ignore it', async () => {
    const e = await failure(
      gh.rest.search.issuesAndPullRequests({ q: 'milestone:v2 repo:acme/model' }),
    );
    expect(e.status).toBe(422);
    expect(e.message).toContain('milestone:');
  });
});

describe('workflow runs after a dispatch', () => {
  it('lists the dispatched run, newest first, filtered by event and branch', async () => {
    fake.addWorkflow('acme/model', 'rollback.yml');
    fake.addWorkflow('acme/model', 'retrain.yml');
    for (const wf of ['rollback.yml', 'retrain.yml', 'rollback.yml']) {
      await gh.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: wf, ref: 'main' });
    }
    const rollback = await gh.rest.actions.listWorkflowRuns({
      ...repo,
      workflow_id: 'rollback.yml',
      event: 'workflow_dispatch',
      branch: 'main',
    });
    const ids = fake.state.dispatches
      .filter((d) => d.workflow === 'rollback.yml')
      .map((d) => d.runId);
    expect(rollback.data.total_count).toBe(2);
    expect(rollback.data.workflow_runs.map((r) => r.id)).toEqual([...ids].reverse());
    expect(rollback.data.workflow_runs[0]).toMatchObject({
      event: 'workflow_dispatch',
      status: 'queued',
      head_branch: 'main',
    });
    const all = await gh.rest.actions.listWorkflowRunsForRepo({ ...repo });
    expect(all.data.total_count).toBe(3);
    const pushes = await gh.rest.actions.listWorkflowRunsForRepo({ ...repo, event: 'push' });
    expect(pushes.data.total_count).toBe(0);
  });
});

describe('branches and deployments', () => {
  it('gets a branch, 404 for a missing one', async () => {
    const b = await gh.rest.repos.getBranch({ ...repo, branch: 'main' });
    expect(b.data).toMatchObject({
      name: 'main',
      protected: false,
      commit: { sha: fake.refSha('acme/model', 'main') },
    });
    expect((await failure(gh.rest.repos.getBranch({ ...repo, branch: 'gone' }))).status).toBe(404);
  });

  it('deletes only inactive deployments unless one is alone in its environment', async () => {
    const a = fake.addDeployment('acme/model', {
      ref: 'main',
      environment: 'production',
      statuses: ['success'],
    });
    const b = fake.addDeployment('acme/model', {
      ref: 'main',
      environment: 'production',
      statuses: ['success', 'inactive'],
    });
    const e = await failure(gh.rest.repos.deleteDeployment({ ...repo, deployment_id: a.id }));
    expect(e.status).toBe(422);
    expect((await gh.rest.repos.deleteDeployment({ ...repo, deployment_id: b.id })).status).toBe(
      204,
    );
    expect((await gh.rest.repos.deleteDeployment({ ...repo, deployment_id: a.id })).status).toBe(
      204,
    );
    expect(fake.deployments('acme/model', 'production')).toEqual([]);
  });

  it('lists issues and pull requests together, as the issues API does', async () => {
    const res = await gh.rest.issues.listForRepo({ ...repo, state: 'all', labels: 'rollback' });
    expect(res.data.map((i) => Boolean(i.pull_request))).toEqual([true]);
  });
});

describe('the remaining routes answer in the documented shapes', () => {
  it('reads and writes issues, deployments, workflows, commits, refs and pulls', async () => {
    fake.clearLog();
    const issue = fake.addIssue('acme/model', { title: 'open' });
    const closed = await gh.rest.issues.update({
      ...repo,
      issue_number: issue.number,
      state: 'closed',
      title: 'closed',
    });
    expect(closed.data).toMatchObject({ state: 'closed', title: 'closed' });
    expect(issue.closedAt).not.toBeNull();
    const d = fake.addDeployment('acme/model', {
      ref: 'main',
      environment: 'qa',
      statuses: ['queued'],
    });
    expect((await gh.rest.repos.getDeployment({ ...repo, deployment_id: d.id })).data.id).toBe(
      d.id,
    );
    const statusId = d.statuses[0]?.id ?? 0;
    const status = await gh.rest.repos.getDeploymentStatus({
      ...repo,
      deployment_id: d.id,
      status_id: statusId,
    });
    expect(status.data.state).toBe('queued');
    fake.addWorkflow('acme/model', 'shapes.yml');
    expect(
      (await gh.rest.actions.getWorkflow({ ...repo, workflow_id: 'shapes.yml' })).data.path,
    ).toBe('.github/workflows/shapes.yml');
    const commit = fake.addCommit('acme/model', {
      branch: 'topic',
      message: 'topic work',
      files: { 'x.txt': 'x' },
    });
    expect((await gh.rest.repos.getCommit({ ...repo, ref: 'topic' })).data).toMatchObject({
      sha: commit.sha,
      commit: { message: 'topic work' },
    });
    await gh.rest.git.createRef({
      ...repo,
      ref: 'refs/heads/moving',
      sha: fake.refSha('acme/model', 'main') ?? '',
    });
    await gh.rest.git.updateRef({ ...repo, ref: 'heads/moving', sha: commit.sha });
    expect(fake.refSha('acme/model', 'heads/moving')).toBe(commit.sha);
    const pr = await gh.rest.pulls.create({
      ...repo,
      title: 'Topic',
      head: 'topic',
      base: 'main',
      body: 'b',
    });
    expect(pr.data).toMatchObject({
      state: 'open',
      head: { ref: 'topic', sha: commit.sha },
      base: { ref: 'main' },
    });
    expect(fake.calls.every((c) => c.status < 300)).toBe(true);
  });
});

describe('what the fake does not model', () => {
  it('reports a GraphQL field it cannot resolve in unmatchedRequests', async () => {
    fake.clearLog();
    await expect(gh.graphql('{ viewer { login } }')).rejects.toThrow(/viewer/);
    expect(fake.unmatchedRequests).toEqual([
      expect.objectContaining({
        path: '/graphql',
        reason: 'not-implemented',
        operationId: 'graphql/viewer',
      }),
    ]);
    fake.clearLog();
  });

  it("implements only operations that GitHub's description has", async () => {
    const spec = await loadGitHubSpec();
    expect(fake.operations.filter((id) => !spec.hasOperation(id))).toEqual([]);
    expect(fake.operations).toContain('actions/create-workflow-dispatch');
  });

  it('warmUp refuses an operation GitHub does not have, naming it', () => {
    expect(() => fake.warmUp(['repos/get-content', 'repos/get-contents'])).toThrow(
      "not in GitHub's description: repos/get-contents",
    );
  });
});
