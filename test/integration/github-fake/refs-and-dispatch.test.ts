// Git refs (the bot's cross-replica lock) and workflow dispatch, with and without run details.
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubFake, type GitHubFake } from '../../fakes/github/index.js';
import { failure } from './failure.js';

const TOKEN = 'ghp_refs';
let fake: GitHubFake;
let gh: ReturnType<typeof getOctokit>;
let head: string;
const repo = { owner: 'acme', repo: 'model' };

beforeAll(async () => {
  fake = await startGitHubFake({ tokens: [TOKEN], validateResponses: true });
  fake.addRepo('acme/model');
  head = fake.refSha('acme/model', 'main') ?? '';
  gh = getOctokit(TOKEN, { baseUrl: fake.url });
});

afterAll(async () => {
  expect(fake.invalidRequests).toEqual([]);
  expect(fake.invalidResponses).toEqual([]);
  expect(fake.unmatchedRequests).toEqual([]);
  await fake?.close();
});

describe('git refs', () => {
  it('20 concurrent creates of one ref: exactly one 201, the rest 422 "Reference already exists"', async () => {
    const clients = Array.from({ length: 20 }, () => getOctokit(TOKEN, { baseUrl: fake.url }));
    // Compile the operation's validator first: a 0.3 s compile would serialise the batch.
    await gh.rest.git.createRef({ ...repo, ref: 'refs/heads/warm-up', sha: head });
    fake.clearLog();
    fake.faults.add({ match: 'git/create-ref', latencyMs: 250 });
    const results = await Promise.allSettled(
      clients.map((c) =>
        c.rest.git.createRef({ ...repo, ref: 'refs/heads/incident/prod-abc', sha: head }),
      ),
    );
    fake.faults.clear();
    const statuses = results.map((r) =>
      r.status === 'fulfilled' ? r.value.status : (r.reason as { status: number }).status,
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 422)).toHaveLength(19);
    const refused = results.find((r) => r.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toMatchObject({
      message: expect.stringContaining('Reference already exists'),
    });
    expect(fake.refSha('acme/model', 'refs/heads/incident/prod-abc')).toBe(head);
    // The 20 requests were all in flight at the same moment.
    const calls = fake.callsTo('git/create-ref');
    expect(calls).toHaveLength(20);
    expect(Math.max(...calls.map((c) => c.at))).toBeLessThan(
      Math.min(...calls.map((c) => c.at + c.durationMs)),
    );
  });

  it('gets a ref with a slash in its name, deletes it, and refuses to delete it twice', async () => {
    await gh.rest.git.createRef({ ...repo, ref: 'refs/heads/locks/staging', sha: head });
    const got = await gh.rest.git.getRef({ ...repo, ref: 'heads/locks/staging' });
    expect(got.data).toMatchObject({
      ref: 'refs/heads/locks/staging',
      object: { sha: head, type: 'commit' },
    });
    const rawSlash = await fetch(`${fake.url}/repos/acme/model/git/ref/heads/locks/staging`, {
      headers: { authorization: `token ${TOKEN}` },
    });
    expect(rawSlash.status).toBe(200);
    expect((await gh.rest.git.deleteRef({ ...repo, ref: 'heads/locks/staging' })).status).toBe(204);
    expect(
      (await failure(gh.rest.git.getRef({ ...repo, ref: 'heads/locks/staging' }))).status,
    ).toBe(404);
    const again = await failure(gh.rest.git.deleteRef({ ...repo, ref: 'heads/locks/staging' }));
    expect(again.status).toBe(422);
    expect(again.message).toContain('Reference does not exist');
  });

  it('refuses a ref to an unknown commit and a malformed ref name', async () => {
    const unknown = await failure(
      gh.rest.git.createRef({ ...repo, ref: 'refs/heads/x', sha: 'f'.repeat(40) }),
    );
    expect([unknown.status, unknown.message]).toEqual([
      422,
      expect.stringContaining('Object does not exist'),
    ]);
    const malformed = await failure(gh.rest.git.createRef({ ...repo, ref: 'x', sha: head }));
    expect(malformed.status).toBe(422);
    expect(fake.refSha('acme/model', 'refs/heads/x')).toBeUndefined();
  });
});

describe('workflow dispatch', () => {
  beforeAll(() => {
    fake.addWorkflow('acme/model', 'rollback.yml', {
      inputs: { environment: { required: true }, to: {}, reason: {}, incident: {} },
    });
    // The workflow file is a commit on main, as on GitHub: main's head moved.
    expect(
      fake.repo('acme/model').commits.get(fake.refSha('acme/model', 'main') ?? '')?.files,
    ).toHaveProperty(['.github/workflows/rollback.yml']);
    head = fake.refSha('acme/model', 'main') ?? '';
  });

  it('with return_run_details: 200 with the run id and URLs, recorded', async () => {
    const res = await gh.request(
      'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
      {
        ...repo,
        workflow_id: 'rollback.yml',
        ref: 'main',
        inputs: {
          environment: 'production',
          to: head,
          reason: 'HighErrorRate',
          incident: 'prod-abc',
        },
        return_run_details: true,
      },
    );
    expect(res.status).toBe(200);
    const data = res.data as unknown as {
      workflow_run_id: number;
      run_url: string;
      html_url: string;
    };
    expect(data.run_url).toBe(`${fake.url}/repos/acme/model/actions/runs/${data.workflow_run_id}`);
    expect(data.html_url).toBe(
      `https://github.com/acme/model/actions/runs/${data.workflow_run_id}`,
    );
    expect(fake.state.dispatches.at(-1)).toMatchObject({
      repo: 'acme/model',
      workflow: 'rollback.yml',
      ref: 'main',
      inputs: {
        environment: 'production',
        to: head,
        reason: 'HighErrorRate',
        incident: 'prod-abc',
      },
      returnRunDetails: true,
      runId: data.workflow_run_id,
    });
    const run = await gh.rest.actions.getWorkflowRun({ ...repo, run_id: data.workflow_run_id });
    expect(run.data).toMatchObject({
      id: data.workflow_run_id,
      event: 'workflow_dispatch',
      head_sha: head,
    });
  });

  it('without return_run_details: 204 and no body', async () => {
    const before = fake.state.dispatches.length;
    const res = await gh.rest.actions.createWorkflowDispatch({
      ...repo,
      workflow_id: 'rollback.yml',
      ref: 'main',
      inputs: { environment: 'staging' },
    });
    expect(res.status).toBe(204);
    expect(fake.state.dispatches).toHaveLength(before + 1);
    expect(fake.state.dispatches.at(-1)?.returnRunDetails).toBe(false);
  });

  it('a server that rejects return_run_details answers 422, and the plain retry works', async () => {
    fake.behaviour.rejectReturnRunDetails = true;
    try {
      const before = fake.state.dispatches.length;
      const params = {
        ...repo,
        workflow_id: 'rollback.yml',
        ref: 'main',
        inputs: { environment: 'production' },
      };
      const e = await failure(
        gh.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
          ...params,
          return_run_details: true,
        }),
      );
      expect(e.status).toBe(422);
      expect(e.message).toContain('return_run_details');
      expect(fake.state.dispatches).toHaveLength(before);
      expect((await gh.rest.actions.createWorkflowDispatch(params)).status).toBe(204);
      expect(fake.state.dispatches).toHaveLength(before + 1);
    } finally {
      fake.behaviour.rejectReturnRunDetails = false;
    }
  });

  it('refuses an unknown workflow (404), undeclared or missing inputs (422) and an unknown ref (422)', async () => {
    const before = fake.state.dispatches.length;
    const base = { ...repo, workflow_id: 'rollback.yml', ref: 'main' };
    expect(
      (await failure(gh.rest.actions.createWorkflowDispatch({ ...base, workflow_id: 'nope.yml' })))
        .status,
    ).toBe(404);
    const extra = await failure(
      gh.rest.actions.createWorkflowDispatch({
        ...base,
        inputs: { environment: 'p', colour: 'red' },
      }),
    );
    expect([extra.status, extra.message]).toEqual([
      422,
      expect.stringContaining('Unexpected inputs provided: ["colour"]'),
    ]);
    const missing = await failure(
      gh.rest.actions.createWorkflowDispatch({ ...base, inputs: { to: head } }),
    );
    expect([missing.status, missing.message]).toEqual([
      422,
      expect.stringContaining("Required input 'environment' not provided"),
    ]);
    expect(
      (
        await failure(
          gh.rest.actions.createWorkflowDispatch({
            ...base,
            ref: 'gone',
            inputs: { environment: 'p' },
          }),
        )
      ).status,
    ).toBe(422);
    expect(fake.state.dispatches).toHaveLength(before);
  });

  it('accepts the numeric workflow id', async () => {
    const wf = fake.repo('acme/model').workflows.get('rollback.yml');
    const res = await gh.rest.actions.createWorkflowDispatch({
      ...repo,
      workflow_id: wf?.id ?? 0,
      ref: 'main',
      inputs: { environment: 'p' },
    });
    expect(res.status).toBe(204);
  });
});
