// GraphQL `repository.deployments`: the ledger read in one call, served from the same state as
// the REST routes and validated against @octokit/graphql-schema like every document.
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubFake, type Deployment, type GitHubFake } from '../../fakes/github/index.js';

const TOKEN = 'ghp_graphql_deployments';
let fake: GitHubFake;
let gh: ReturnType<typeof getOctokit>;
const ids: Record<string, Deployment> = {};

const LEDGER = /* GraphQL */ `
  query Ledger($owner: String!, $name: String!, $envs: [String!], $first: Int, $after: String) {
    repository(owner: $owner, name: $name) {
      deployments(
        environments: $envs
        orderBy: { field: CREATED_AT, direction: DESC }
        first: $first
        after: $after
      ) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          databaseId
          commitOid
          state
          payload
          createdAt
          environment
          task
          latestStatus {
            state
            createdAt
            description
            logUrl
          }
          statuses(first: 5) {
            nodes {
              state
            }
          }
        }
      }
    }
  }
`;

interface LedgerNode {
  databaseId: number;
  commitOid: string;
  state: string;
  payload: string | null;
  createdAt: string;
  environment: string;
  task: string;
  latestStatus: {
    state: string;
    createdAt: string;
    description: string | null;
    logUrl: string | null;
  } | null;
  statuses: { nodes: { state: string }[] };
}

interface LedgerResult {
  repository: {
    deployments: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: LedgerNode[];
    };
  };
}

async function graphqlErrors(p: Promise<unknown>): Promise<{ message: string; type?: string }[]> {
  try {
    await p;
  } catch (e) {
    const errors = (e as { errors?: { message: string; type?: string }[] }).errors;
    if (errors) return errors;
    throw e;
  }
  throw new Error('expected GraphQL errors');
}

beforeAll(async () => {
  fake = await startGitHubFake({ tokens: [TOKEN], autoInactive: 'off' });
  fake.addRepo('acme/model', { files: { 'model.txt': 'v1\n' } });
  const sha = (n: number) =>
    fake.addCommit('acme/model', { branch: 'main', files: { 'model.txt': `v${n}\n` } }).sha;
  const seed = (key: string, n: number, environment: string, statuses: string[]) => {
    ids[key] = fake.addDeployment('acme/model', {
      ref: sha(n),
      environment,
      payload: { version: `v${n}`, image: `registry/model:v${n}` },
      statuses,
    });
  };
  seed('v1', 1, 'production', ['in_progress', 'success']);
  seed('s1', 1, 'staging', ['success']);
  seed('v2', 2, 'production', ['in_progress', 'success', 'inactive']);
  seed('v3', 3, 'production', ['in_progress', 'success']);
  seed('v4', 4, 'production', ['in_progress', 'failure']);
  seed('v5', 5, 'production', []);
  gh = getOctokit(TOKEN, { baseUrl: fake.url });
});

afterAll(async () => {
  await fake?.close();
});

const read = (variables: Record<string, unknown>) =>
  gh.graphql<LedgerResult>(LEDGER, { owner: 'acme', name: 'model', ...variables });

describe('repository.deployments', () => {
  it('lists one environment newest first, with the latest status and the payload as JSON text', async () => {
    fake.clearLog();
    const res = await read({ envs: ['production'], first: 10 });
    const d = res.repository.deployments;
    expect(d.totalCount).toBe(5);
    expect(d.pageInfo.hasNextPage).toBe(false);
    expect(d.nodes.map((n) => n.databaseId)).toEqual(
      ['v5', 'v4', 'v3', 'v2', 'v1'].map((k) => ids[k]?.id),
    );
    expect(d.nodes.map((n) => [n.state, n.latestStatus?.state ?? null])).toEqual([
      ['PENDING', null],
      ['FAILURE', 'FAILURE'],
      ['ACTIVE', 'SUCCESS'],
      ['INACTIVE', 'INACTIVE'],
      ['ACTIVE', 'SUCCESS'],
    ]);
    const v3 = d.nodes[2] as LedgerNode;
    expect(v3.commitOid).toBe(ids.v3?.sha);
    expect(JSON.parse(v3.payload ?? 'null')).toEqual({ version: 'v3', image: 'registry/model:v3' });
    expect(v3.environment).toBe('production');
    expect(v3.task).toBe('deploy');
    // An empty description or log URL is null, as the schema's nullable fields are on GitHub.
    expect(v3.latestStatus).toMatchObject({ description: null, logUrl: null });
    // Statuses are newest first, like the REST list.
    expect(d.nodes[3]?.statuses.nodes.map((s) => s.state)).toEqual([
      'INACTIVE',
      'SUCCESS',
      'IN_PROGRESS',
    ]);
    expect(fake.invalidRequests).toEqual([]);
    expect(fake.unmatchedRequests).toEqual([]);
  });

  it('agrees with the REST ledger (deployments, then the newest status of each)', async () => {
    const rest = await gh.rest.repos.listDeployments({
      owner: 'acme',
      repo: 'model',
      environment: 'production',
    });
    const newest = await Promise.all(
      rest.data.map(async (d) => {
        const s = await gh.rest.repos.listDeploymentStatuses({
          owner: 'acme',
          repo: 'model',
          deployment_id: d.id,
          per_page: 1,
        });
        return [d.id, d.sha, s.data[0]?.state.toUpperCase() ?? null];
      }),
    );
    const res = await read({ envs: ['production'], first: 100 });
    expect(
      res.repository.deployments.nodes.map((n) => [
        n.databaseId,
        n.commitOid,
        n.latestStatus?.state ?? null,
      ]),
    ).toEqual(newest);
  });

  it('pages with first/after, orders ascending by default and filters by several environments', async () => {
    const page1 = await read({ envs: ['production'], first: 2 });
    expect(page1.repository.deployments.pageInfo.hasNextPage).toBe(true);
    const page2 = await read({
      envs: ['production'],
      first: 2,
      after: page1.repository.deployments.pageInfo.endCursor,
    });
    expect(page2.repository.deployments.nodes.map((n) => n.databaseId)).toEqual([
      ids.v3?.id,
      ids.v2?.id,
    ]);
    const asc = await gh.graphql<LedgerResult>(
      `query { repository(owner: "acme", name: "model") {
        deployments(environments: ["staging", "production"], last: 2) {
          totalCount pageInfo { hasNextPage endCursor } nodes { databaseId environment }
        } } }`,
    );
    expect(asc.repository.deployments.totalCount).toBe(6);
    expect(asc.repository.deployments.nodes.map((n) => n.databaseId)).toEqual([
      ids.v4?.id,
      ids.v5?.id,
    ]);
    const none = await read({ envs: ['nowhere'], first: 5 });
    expect(none.repository.deployments).toMatchObject({ totalCount: 0, nodes: [] });
  });

  it('refuses a connection without first/last, or more than 100, as GitHub does', async () => {
    const query = (args: string) =>
      gh.graphql(
        `query { repository(owner: "acme", name: "model") { deployments(${args}) { nodes { commitOid } } } }`,
      );
    expect(await graphqlErrors(query('environments: ["production"]'))).toEqual([
      expect.objectContaining({
        type: 'MISSING_PAGINATION_BOUNDARIES',
        message: expect.stringContaining('`first` or `last`'),
      }),
    ]);
    expect(await graphqlErrors(query('first: 101'))).toEqual([
      expect.objectContaining({
        type: 'EXCESSIVE_PAGINATION',
        message: expect.stringContaining('limit of 100 records'),
      }),
    ]);
  });

  it('rejects what the schema does not have (REST names, lower-case enums) before executing', async () => {
    fake.clearLog();
    const errors = await graphqlErrors(
      gh.graphql(
        `query { repository(owner: "acme", name: "model") {
          deployments(environment: "production", first: 1) { nodes { sha latestStatus { state } } } } }`,
      ),
    );
    expect(errors.map((e) => e.message).join('\n')).toMatch(/Unknown argument "environment"/);
    expect(errors.map((e) => e.message).join('\n')).toMatch(/Cannot query field "sha"/);
    expect(fake.invalidRequests).toHaveLength(1);
  });

  it('needs the deployments permission with an installation token', async () => {
    fake.addInstallation(77, ['acme/model'], {
      permissions: { contents: 'write', metadata: 'read' },
    });
    const app = getOctokit(fake.installationToken(77), { baseUrl: fake.url });
    const errors = await graphqlErrors(
      app.graphql(LEDGER, { owner: 'acme', name: 'model', envs: ['production'], first: 1 }),
    );
    expect(errors).toEqual([
      expect.objectContaining({
        type: 'FORBIDDEN',
        message: 'Resource not accessible by integration',
      }),
    ]);
    fake.addInstallation(78, ['acme/model'], {
      permissions: { deployments: 'read', metadata: 'read' },
    });
    const reader = getOctokit(fake.installationToken(78), { baseUrl: fake.url });
    const ok = await reader.graphql<LedgerResult>(LEDGER, {
      owner: 'acme',
      name: 'model',
      envs: ['production'],
      first: 1,
    });
    expect(ok.repository.deployments.nodes[0]?.databaseId).toBe(ids.v5?.id);
  });

  it("reaches the commit's merged pull request, as commits/{sha}/pulls does", async () => {
    const pr = fake.addPullRequest('acme/model', {
      title: 'Ship v6',
      head: 'ship-v6',
      merged: true,
      files: { 'model.txt': 'v6\n' },
    });
    const sha = pr.pull?.mergeCommitSha as string;
    fake.addDeployment('acme/model', { ref: sha, environment: 'preview', statuses: ['success'] });
    fake.clearLog();
    const res = await gh.graphql<{
      repository: {
        deployments: {
          nodes: {
            commit: {
              oid: string;
              associatedPullRequests: {
                nodes: { id: string; number: number; merged: boolean; baseRefName: string }[];
              };
            };
          }[];
        };
      };
    }>(`query { repository(owner: "acme", name: "model") {
      deployments(environments: ["preview"], first: 1) { nodes { commit { oid
        associatedPullRequests(first: 5, orderBy: { field: CREATED_AT, direction: DESC }) {
          nodes { id number merged baseRefName } } } } } } }`);
    const rest = await gh.rest.repos.listPullRequestsAssociatedWithCommit({
      owner: 'acme',
      repo: 'model',
      commit_sha: sha,
    });
    const commit = res.repository.deployments.nodes[0]?.commit;
    expect(commit?.oid).toBe(sha);
    expect(commit?.associatedPullRequests.nodes).toEqual(
      rest.data.map((p) => ({
        id: p.node_id,
        number: p.number,
        merged: p.merged_at !== null,
        baseRefName: p.base.ref,
      })),
    );
    expect(commit?.associatedPullRequests.nodes.map((p) => p.number)).toEqual([pr.number]);
    expect(fake.invalidRequests).toEqual([]);
    expect(fake.unmatchedRequests).toEqual([]);
  });
});
