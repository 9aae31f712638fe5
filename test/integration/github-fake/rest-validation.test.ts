// The fake holds clients to GitHub's OpenAPI description: real Octokit clients, real requests.
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubFake, type GitHubFake } from '../../fakes/github/index.js';
import { failure } from './failure.js';

const TOKEN = 'ghp_validation';
let fake: GitHubFake;
let gh: ReturnType<typeof getOctokit>;

/** Octokit without its TypeScript types, for requests that are wrong on purpose. */
function send(route: string, params: Record<string, unknown>): Promise<unknown> {
  return gh.request(route, params);
}

beforeAll(async () => {
  fake = await startGitHubFake({ tokens: [TOKEN], validateResponses: true });
  fake.addRepo('acme/model');
  gh = getOctokit(TOKEN, { baseUrl: fake.url });
});

afterAll(async () => {
  await fake?.close();
});

describe('request validation against the OpenAPI description', () => {
  it('rejects a deployment whose ref is a number with 422 naming the field, and records it', async () => {
    fake.clearLog();
    const e = await failure(
      send('POST /repos/{owner}/{repo}/deployments', {
        owner: 'acme',
        repo: 'model',
        ref: 1,
      }),
    );
    expect(e.status).toBe(422);
    expect(e.response?.data).toMatchObject({
      message: 'Validation Failed',
      errors: [{ field: 'ref', code: 'invalid', message: '/requestBody/ref must be string' }],
    });
    expect(fake.invalidRequests).toHaveLength(1);
    expect(fake.invalidRequests[0]).toMatchObject({ operationId: 'repos/create-deployment' });
    expect(fake.deployments('acme/model')).toHaveLength(0);
  });

  it('reports every problem at once (missing field and wrong type)', async () => {
    fake.clearLog();
    const e = await failure(
      send('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
        owner: 'acme',
        repo: 'model',
        workflow_id: 'rollback.yml',
        inputs: 'not-an-object',
      }),
    );
    expect(e.status).toBe(422);
    const fields = (e.response?.data as { errors: { field: string; code: string }[] }).errors;
    expect(fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'ref', code: 'missing_field' }),
        expect.objectContaining({ field: 'inputs', code: 'invalid' }),
      ]),
    );
    expect(fake.state.dispatches).toHaveLength(0);
  });

  it('validates query parameters too', async () => {
    fake.clearLog();
    const e = await failure(
      gh.request('GET /repos/{owner}/{repo}/deployments?per_page=many', {
        owner: 'acme',
        repo: 'model',
      }),
    );
    expect(e.status).toBe(422);
    expect(fake.invalidRequests[0]?.errors).toEqual([
      expect.objectContaining({ instancePath: '/query/per_page', message: 'must be integer' }),
    ]);
  });

  it('accepts issues/create with milestone null (the nullable fix) and rejects milestone true', async () => {
    fake.clearLog();
    const ok = await gh.rest.issues.create({
      owner: 'acme',
      repo: 'model',
      title: 'x',
      milestone: null,
    });
    expect(ok.status).toBe(201);
    const e = await failure(
      send('POST /repos/{owner}/{repo}/issues', {
        owner: 'acme',
        repo: 'model',
        title: 'y',
        milestone: true,
      }),
    );
    expect(e.status).toBe(422);
    expect(fake.issues('acme/model').map((i) => i.title)).toEqual(['x']);
  });

  it('answers 404 for a route GitHub does not have, and records it', async () => {
    fake.clearLog();
    const e = await failure(
      gh.request('GET /repos/{owner}/{repo}/deploymentz', { owner: 'acme', repo: 'model' }),
    );
    expect(e.status).toBe(404);
    expect(fake.unmatchedRequests).toEqual([
      { method: 'GET', path: '/repos/acme/model/deploymentz', reason: 'unknown-route' },
    ]);
  });

  it('answers 501 naming the operation for a real route the fake does not implement', async () => {
    fake.clearLog();
    const e = await failure(gh.rest.repos.listBranches({ owner: 'acme', repo: 'model' }));
    expect(e.status).toBe(501);
    expect(fake.unmatchedRequests).toEqual([
      expect.objectContaining({ reason: 'not-implemented', operationId: 'repos/list-branches' }),
    ]);
  });

  it('keeps its own response bodies valid against the spec', async () => {
    fake.clearLog();
    await gh.rest.repos.createDeployment({
      owner: 'acme',
      repo: 'model',
      ref: 'main',
      auto_merge: false,
      required_contexts: [],
    });
    await gh.rest.repos.listDeployments({ owner: 'acme', repo: 'model' });
    await gh.rest.repos.get({ owner: 'acme', repo: 'model' });
    expect(fake.calls.map((c) => c.status)).toEqual([201, 200, 200]);
    expect(fake.invalidResponses).toEqual([]);
  });
});

describe('authentication and routing', () => {
  it('accepts the GHE-style /api/v3 prefix and links pages under it', async () => {
    const ghe = getOctokit(TOKEN, { baseUrl: fake.gheUrl });
    const repo = await ghe.rest.repos.get({ owner: 'acme', repo: 'model' });
    expect(repo.data.full_name).toBe('acme/model');
    expect(repo.data.url).toBe(`${fake.gheUrl}/repos/acme/model`);
  });

  it('refuses an unknown token and a missing one with 401', async () => {
    const stranger = getOctokit('ghp_unknown', { baseUrl: fake.url });
    expect((await failure(stranger.rest.repos.get({ owner: 'acme', repo: 'model' }))).status).toBe(
      401,
    );
    const res = await fetch(`${fake.url}/repos/acme/model`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message: 'Requires authentication' });
  });

  it('hides repositories a token may not see (404), as GitHub does', async () => {
    fake.addRepo('acme/other');
    fake.addToken('ghp_scoped', { repos: ['acme/model'] });
    const scoped = getOctokit('ghp_scoped', { baseUrl: fake.url });
    expect((await scoped.rest.repos.get({ owner: 'acme', repo: 'model' })).status).toBe(200);
    expect((await failure(scoped.rest.repos.get({ owner: 'acme', repo: 'other' }))).status).toBe(
      404,
    );
  });

  it('refuses a token on /app routes: they need an App JWT', async () => {
    const e = await failure(gh.rest.apps.listInstallations());
    expect(e.status).toBe(401);
    expect(e.message).toContain('JSON web token');
  });

  it('logBodies: false keeps the call log without bodies', async () => {
    const lean = await startGitHubFake({ tokens: [TOKEN], logBodies: false });
    try {
      lean.addRepo('acme/model');
      const client = getOctokit(TOKEN, { baseUrl: lean.url });
      await client.rest.issues.create({ owner: 'acme', repo: 'model', title: 'x' });
      expect(lean.calls).toEqual([
        expect.objectContaining({
          operationId: 'issues/create',
          status: 201,
          body: undefined,
          response: undefined,
        }),
      ]);
    } finally {
      await lean.close();
    }
  });

  it('answers 400 on a body that is not JSON', async () => {
    const res = await fetch(`${fake.url}/repos/acme/model/issues`, {
      method: 'POST',
      headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
      body: '{"title": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ message: 'Problems parsing JSON' });
  });
});
