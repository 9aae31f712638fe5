// Probot's Octokit authenticating as an App (JWT → installation token), and fault injection
// seen through real retry and throttling plugins.
import { generateKeyPairSync } from 'node:crypto';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { ProbotOctokit } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubFake, type GitHubFake } from '../../fakes/github/index.js';
import { REQUIRED_PERMISSIONS } from '../../fakes/github/permissions.js';
import { failure } from './failure.js';

const TOKEN = 'ghp_faults';
const APP_ID = 4242;
const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const repo = { owner: 'acme', repo: 'model' };
let fake: GitHubFake;

beforeAll(async () => {
  fake = await startGitHubFake({
    tokens: [TOKEN],
    appId: APP_ID,
    publicKey: keys.publicKey,
    seed: 7,
    validateResponses: true,
  });
  fake.addRepo('acme/model', {
    files: { '.github/model-delivery.yml': 'bot:\n  rollbackWorkflow: rollback.yml\n' },
  });
  fake.addRepo('acme/elsewhere');
  fake.addInstallation(42, ['acme/model']);
});

afterAll(async () => {
  expect(fake.invalidResponses).toEqual([]);
  await fake?.close();
});

function appOctokit(
  o: { privateKey?: string; appId?: number; installationId?: number; baseUrl?: string } = {},
): InstanceType<typeof ProbotOctokit> {
  return new ProbotOctokit({
    auth: {
      appId: o.appId ?? APP_ID,
      privateKey: o.privateKey ?? keys.privateKey,
      ...(o.installationId ? { installationId: o.installationId } : {}),
    },
    baseUrl: o.baseUrl ?? fake.url,
    log: silent,
    throttle: { enabled: false },
  });
}

describe('GitHub App authentication', () => {
  it('finds the installation with a JWT, then works with an installation token (Probot)', async () => {
    fake.clearLog();
    const app = appOctokit();
    const inst = await app.rest.apps.getRepoInstallation(repo);
    expect(inst.data.id).toBe(42);
    const installation = appOctokit({ installationId: 42, baseUrl: fake.gheUrl });
    const config = await installation.config.get({ ...repo, path: '.github/model-delivery.yml' });
    expect(config.config).toEqual({ bot: { rollbackWorkflow: 'rollback.yml' } });
    const comment = await installation.rest.issues.create({ ...repo, title: 'from the app' });
    expect(comment.data.user?.login).toBe('model-delivery[bot]');
    expect(fake.calls.map((c) => [c.method, c.path.split('?')[0], c.status, c.auth])).toEqual([
      ['GET', '/repos/acme/model/installation', 200, 'jwt'],
      ['POST', '/app/installations/42/access_tokens', 201, 'jwt'],
      ['GET', '/repos/acme/model/contents/.github%2Fmodel-delivery.yml', 200, 'installation'],
      ['POST', '/repos/acme/model/issues', 201, 'installation'],
    ]);
  });

  it('lists and describes installations and the app to a JWT', async () => {
    const app = appOctokit();
    expect((await app.rest.apps.listInstallations()).data.map((i) => i.id)).toContain(42);
    const inst = await app.rest.apps.getInstallation({ installation_id: 42 });
    expect(inst.data).toMatchObject({ id: 42, app_id: APP_ID, account: { login: 'acme' } });
    expect((await app.rest.apps.getAuthenticated()).data).toMatchObject({
      id: APP_ID,
      slug: 'model-delivery',
    });
  });

  it('an installation token sees only its repositories', async () => {
    const installation = appOctokit({ installationId: 42 });
    expect(
      (await failure(installation.rest.repos.get({ owner: 'acme', repo: 'elsewhere' }))).status,
    ).toBe(404);
  });

  it('refuses a JWT for another app, one signed with another key, and a token on /app routes', async () => {
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const wrongApp = await failure(appOctokit({ appId: 1 }).rest.apps.getRepoInstallation(repo));
    expect([wrongApp.status, wrongApp.message]).toEqual([401, expect.stringContaining("'iss'")]);
    const wrongKey = await failure(
      appOctokit({ privateKey: other.privateKey }).rest.apps.getRepoInstallation(repo),
    );
    expect(wrongKey.status).toBe(401);
    const unknownInstallation = await failure(
      appOctokit({ installationId: 999 }).rest.repos.get(repo),
    );
    expect(unknownInstallation.status).toBe(404);
    const pat = getOctokit(TOKEN, { baseUrl: fake.url });
    expect((await failure(pat.rest.apps.getRepoInstallation(repo))).status).toBe(401);
  });
});

describe('installation permissions', () => {
  it('every operation the fake implements says what an installation token needs', () => {
    const missing = fake.operations.filter(
      (id) => !id.startsWith('apps/') && !REQUIRED_PERMISSIONS[id],
    );
    expect(missing).toEqual([]);
  });

  it('refuses what the installation was not granted, with 403 naming the permission', async () => {
    fake.addRepo('acme/readonly');
    fake.addInstallation(43, ['acme/readonly'], {
      permissions: { deployments: 'read', contents: 'read', metadata: 'read' },
    });
    const pr = fake.addPullRequest('acme/readonly', { merged: true });
    const installation = appOctokit({ installationId: 43 });
    const ro = { owner: 'acme', repo: 'readonly' };
    expect((await installation.rest.repos.listDeployments(ro)).status).toBe(200);
    const e = await failure(
      installation.rest.repos.createDeployment({ ...ro, ref: 'main', required_contexts: [] }),
    );
    expect([e.status, e.message]).toEqual([
      403,
      expect.stringContaining('Resource not accessible by integration'),
    ]);
    expect(e.response?.headers['x-accepted-github-permissions']).toBe('deployments=write');
    expect(fake.deployments('acme/readonly')).toEqual([]);
    const revert = installation.graphql(
      `mutation($id: ID!) { revertPullRequest(input: { pullRequestId: $id }) { clientMutationId } }`,
      { id: pr.nodeId },
    );
    await expect(revert).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'FORBIDDEN' })],
    });
    expect(fake.pullRequests('acme/readonly')).toHaveLength(1);
  });

  it('narrows a token to the permissions asked for, and refuses more than the installation has', async () => {
    const jwtClient = appOctokit();
    const narrowed = await jwtClient.rest.apps.createInstallationAccessToken({
      installation_id: 42,
      permissions: { issues: 'read' },
    });
    expect(narrowed.data.permissions).toEqual({ issues: 'read' });
    const gh = getOctokit(narrowed.data.token, { baseUrl: fake.url });
    expect((await failure(gh.rest.issues.create({ ...repo, title: 'no' }))).status).toBe(403);
    fake.addInstallation(44, ['acme/readonly'], { permissions: { contents: 'read' } });
    const tooMuch = await failure(
      jwtClient.rest.apps.createInstallationAccessToken({
        installation_id: 44,
        permissions: { contents: 'write' },
      }),
    );
    expect(tooMuch.status).toBe(422);
  });
});

describe('fault injection', () => {
  it('a 500 is retried by @octokit/plugin-retry and the write happens once', async () => {
    fake.clearLog();
    const gh = getOctokit(TOKEN, { baseUrl: fake.url, retry: { retryAfterBaseValue: 1 } }, retry);
    const remove = fake.faults.add({ match: 'repos/create-deployment', status: 500, times: 1 });
    const res = await gh.rest.repos.createDeployment({
      ...repo,
      ref: 'main',
      required_contexts: [],
    });
    remove();
    expect(res.status).toBe(201);
    expect(fake.callsTo('repos/create-deployment').map((c) => [c.status, c.fault])).toEqual([
      [500, '500 (before)'],
      [201, undefined],
    ]);
    expect(fake.deployments('acme/model')).toHaveLength(1);
  });

  it('a secondary rate limit answers 403 with retry-after, and the throttling plugin waits and retries', async () => {
    fake.clearLog();
    const remove = fake.faults.add({
      match: 'issues/create-comment',
      secondaryRateLimit: { retryAfter: 1 },
      times: 1,
    });
    const plain = getOctokit(TOKEN, { baseUrl: fake.url });
    const issue = fake.addIssue('acme/model', { title: 'limits' });
    const e = await failure(
      plain.rest.issues.createComment({ ...repo, issue_number: issue.number, body: 'x' }),
    );
    expect(e.status).toBe(403);
    expect(e.response?.headers['retry-after']).toBe('1');
    expect(e.message).toContain('You have exceeded a secondary rate limit');
    remove();
    // A deployment, not a comment: plugin-throttling spaces notifying writes by 3 s.
    fake.faults.add({
      match: 'repos/create-deployment',
      secondaryRateLimit: { retryAfter: 1 },
      times: 1,
    });
    let waited = -1;
    const throttled = new ProbotOctokit({
      auth: { token: TOKEN },
      baseUrl: fake.url,
      log: silent,
      throttle: {
        retryAfterBaseValue: 10,
        onSecondaryRateLimit: (retryAfter: number) => {
          waited = retryAfter;
          return true;
        },
        onRateLimit: () => false,
      },
    });
    const before = fake.deployments('acme/model').length;
    const ok = await throttled.rest.repos.createDeployment({
      ...repo,
      ref: 'main',
      required_contexts: [],
    });
    fake.faults.clear();
    expect(ok.status).toBe(201);
    expect(waited).toBe(1);
    expect(fake.deployments('acme/model')).toHaveLength(before + 1);
  });

  it('the primary rate limit answers 403 with x-ratelimit-remaining 0, and throttling waits for the reset', async () => {
    fake.faults.add({ match: 'repos/get', rateLimit: { resetInSeconds: 1 }, times: 2 });
    const e = await failure(getOctokit(TOKEN, { baseUrl: fake.url }).rest.repos.get(repo));
    expect([e.status, e.response?.headers['x-ratelimit-remaining']]).toEqual([403, '0']);
    let limited = 0;
    const throttled = new ProbotOctokit({
      auth: { token: TOKEN },
      baseUrl: fake.url,
      log: silent,
      throttle: {
        retryAfterBaseValue: 10,
        onRateLimit: () => {
          limited += 1;
          return true;
        },
        onSecondaryRateLimit: () => false,
      },
    });
    expect((await throttled.rest.repos.get(repo)).status).toBe(200);
    fake.faults.clear();
    expect(limited).toBe(1);
  });

  it("GraphQL's transient 'Something went wrong' error is retried by @octokit/plugin-retry", async () => {
    fake.clearLog();
    fake.faults.add({ match: 'graphql', graphqlError: true, times: 1 });
    const gh = getOctokit(TOKEN, { baseUrl: fake.url, retry: { retryAfterBaseValue: 1 } }, retry);
    const res = await gh.graphql<{ repository: { name: string } }>(
      '{ repository(owner: "acme", name: "model") { name } }',
    );
    fake.faults.clear();
    expect(res.repository.name).toBe('model');
    expect(fake.callsTo('graphql').map((c) => c.fault)).toEqual(['200 (before)', undefined]);
  });

  it('phase "after" applies the write and loses the answer', async () => {
    const gh = getOctokit(TOKEN, { baseUrl: fake.url });
    const issue = fake.addIssue('acme/model', { title: 'lost answers' });
    fake.faults.add({ match: 'issues/create-comment', status: 502, phase: 'after', times: 1 });
    expect(
      (
        await failure(
          gh.rest.issues.createComment({ ...repo, issue_number: issue.number, body: 'applied' }),
        )
      ).status,
    ).toBe(502);
    fake.faults.clear();
    expect(fake.comments('acme/model', issue.number).map((c) => c.body)).toEqual(['applied']);
  });

  it('matches GraphQL top-level fields and leaves the state unchanged before the handler', async () => {
    const pr = fake.addPullRequest('acme/model', { merged: true });
    const before = fake.pullRequests('acme/model').length;
    fake.faults.add({ match: 'graphql/revertPullRequest', status: 502, times: 1 });
    const gh = getOctokit(TOKEN, { baseUrl: fake.url });
    const mutation = `mutation($id: ID!) { revertPullRequest(input: { pullRequestId: $id }) { revertPullRequest { number } } }`;
    expect((await failure(gh.graphql(mutation, { id: pr.nodeId }))).status).toBe(502);
    expect(fake.pullRequests('acme/model')).toHaveLength(before);
    await gh.graphql(mutation, { id: pr.nodeId });
    expect(fake.pullRequests('acme/model')).toHaveLength(before + 1);
    fake.faults.clear();
  });

  it('error rates are reproducible from the seed', async () => {
    const run = async (seed: number): Promise<number[]> => {
      fake.faults.clear();
      fake.faults.reseed(seed);
      fake.faults.add({ match: /^GET \/repos\/acme\/model$/, rate: 0.3 });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await fetch(`${fake.url}/repos/acme/model`, {
          headers: { authorization: `token ${TOKEN}` },
        });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
      fake.faults.clear();
      return statuses;
    };
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect(await run(12)).not.toEqual(a);
    const failures = a.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(25);
  });

  it('adds latency before the handler', async () => {
    fake.clearLog();
    fake.faults.add({ match: 'repos/get', latencyMs: 120 });
    await getOctokit(TOKEN, { baseUrl: fake.url }).rest.repos.get(repo);
    fake.faults.clear();
    const call = fake.callsTo('repos/get')[0];
    expect(call?.durationMs).toBeGreaterThanOrEqual(120);
    expect(call?.fault).toBe('latency 120ms');
  });
});
