// GraphQL: documents validated against @octokit/graphql-schema, revertPullRequest and lookups.
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubFake, type GitHubFake, type Issue } from '../../fakes/github/index.js';

const TOKEN = 'ghp_graphql';
let fake: GitHubFake;
let gh: ReturnType<typeof getOctokit>;
let shipped: Issue;

const REVERT = `
  mutation Revert($id: ID!, $title: String, $body: String, $draft: Boolean) {
    revertPullRequest(input: { pullRequestId: $id, title: $title, body: $body, draft: $draft }) {
      revertPullRequest { id number url title body isDraft headRefName baseRefName state }
      pullRequest { number merged mergeCommit { oid } }
    }
  }`;

interface RevertResult {
  revertPullRequest: {
    revertPullRequest: {
      id: string;
      number: number;
      url: string;
      title: string;
      body: string;
      isDraft: boolean;
      headRefName: string;
      baseRefName: string;
      state: string;
    };
    pullRequest: { number: number; merged: boolean; mergeCommit: { oid: string } };
  };
}

/** The GraphQL errors of a failed call (GraphqlResponseError carries them). */
async function graphqlErrors(
  p: Promise<unknown>,
): Promise<{ message: string; type?: string; locations?: unknown[] }[]> {
  try {
    await p;
  } catch (e) {
    const errors = (e as { errors?: { message: string; type?: string; locations?: unknown[] }[] })
      .errors;
    if (errors) return errors;
    throw e;
  }
  throw new Error('expected GraphQL errors');
}

beforeAll(async () => {
  fake = await startGitHubFake({ tokens: [TOKEN] });
  fake.addRepo('acme/model', { files: { 'model/version.txt': 'v1\n' } });
  shipped = fake.addPullRequest('acme/model', {
    title: 'Ship v2',
    head: 'ship-v2',
    merged: true,
    files: { 'model/version.txt': 'v2\n', 'model/new.txt': 'new\n' },
  });
  gh = getOctokit(TOKEN, { baseUrl: fake.url });
});

afterAll(async () => {
  await fake?.close();
});

describe('revertPullRequest', () => {
  it('opens a revert pull request with the input title, body and draft flag', async () => {
    fake.clearLog();
    const res = await gh.graphql<RevertResult>(REVERT, {
      id: shipped.nodeId,
      title: 'Revert v2: alert HighErrorRate',
      body: 'Alert…\n<!-- incident: acme/model/production/abc -->',
      draft: false,
    });
    const revert = res.revertPullRequest.revertPullRequest;
    expect(revert).toMatchObject({
      title: 'Revert v2: alert HighErrorRate',
      body: 'Alert…\n<!-- incident: acme/model/production/abc -->',
      isDraft: false,
      headRefName: `revert-${shipped.number}-ship-v2`,
      baseRefName: 'main',
      state: 'OPEN',
      url: `https://github.com/acme/model/pull/${revert.number}`,
    });
    expect(res.revertPullRequest.pullRequest).toEqual({
      number: shipped.number,
      merged: true,
      mergeCommit: { oid: shipped.pull?.mergeCommitSha },
    });
    const stored = fake.pullRequests('acme/model').find((p) => p.number === revert.number);
    expect(stored?.pull?.revertOf).toBe(shipped.number);
    expect(stored?.nodeId).toBe(revert.id);
    // The revert branch's tree undoes what the merge changed.
    const files = fake.repo('acme/model').commits.get(stored?.pull?.headSha ?? '')?.files;
    expect(files).toEqual({ 'model/version.txt': 'v1\n' });
    expect(fake.invalidRequests).toEqual([]);
  });

  it('defaults the title and body as GitHub does, and picks a free branch name', async () => {
    const res = await gh.graphql<RevertResult>(REVERT, { id: shipped.nodeId, draft: true });
    expect(res.revertPullRequest.revertPullRequest).toMatchObject({
      title: 'Revert "Ship v2"',
      body: `Reverts acme/model#${shipped.number}`,
      isDraft: true,
      headRefName: `revert-${shipped.number}-ship-v2-2`,
    });
  });

  it('refuses a pull request that is not merged, one that conflicts, and an unknown id', async () => {
    const open = fake.addPullRequest('acme/model', { title: 'Open' });
    const conflicting = fake.addPullRequest('acme/model', {
      title: 'Conflicts',
      merged: true,
      revertable: false,
    });
    const before = fake.pullRequests('acme/model').length;
    const e1 = await graphqlErrors(gh.graphql(REVERT, { id: open.nodeId }));
    expect(e1).toEqual([
      expect.objectContaining({ type: 'UNPROCESSABLE', message: 'Pull request is not merged' }),
    ]);
    const e2 = await graphqlErrors(gh.graphql(REVERT, { id: conflicting.nodeId }));
    expect(e2[0]?.type).toBe('UNPROCESSABLE');
    const e3 = await graphqlErrors(gh.graphql(REVERT, { id: 'PR_nope' }));
    expect(e3).toEqual([
      expect.objectContaining({
        type: 'NOT_FOUND',
        message: "Could not resolve to a node with the global id of 'PR_nope'",
      }),
    ]);
    expect(fake.pullRequests('acme/model')).toHaveLength(before);
  });

  it('hides pull requests of repositories an installation token cannot see', async () => {
    fake.addRepo('acme/other');
    fake.addInstallation(7, ['acme/other']);
    const scoped = getOctokit(fake.installationToken(7), { baseUrl: fake.url });
    const errors = await graphqlErrors(scoped.graphql(REVERT, { id: shipped.nodeId }));
    expect(errors[0]?.type).toBe('NOT_FOUND');
  });
});

describe('lookups', () => {
  it('finds a pull request by repository and number, and by node id', async () => {
    const byNumber = await gh.graphql<{
      repository: {
        pullRequest: {
          id: string;
          number: number;
          title: string;
          url: string;
          mergeCommit: { oid: string };
        };
      };
    }>(
      `query($owner: String!, $name: String!, $number: Int!) {
        repository(owner: $owner, name: $name) { pullRequest(number: $number) { id number title url mergeCommit { oid } } }
      }`,
      { owner: 'acme', name: 'model', number: shipped.number },
    );
    expect(byNumber.repository.pullRequest).toEqual({
      id: shipped.nodeId,
      number: shipped.number,
      title: 'Ship v2',
      url: `https://github.com/acme/model/pull/${shipped.number}`,
      mergeCommit: { oid: shipped.pull?.mergeCommitSha },
    });
    const byNode = await gh.graphql<{ node: { __typename: string; number: number } }>(
      `query($id: ID!) { node(id: $id) { __typename ... on PullRequest { number } } }`,
      { id: shipped.nodeId },
    );
    expect(byNode.node).toEqual({ __typename: 'PullRequest', number: shipped.number });
  });

  it('answers through a GHE base URL (/api/graphql)', async () => {
    const ghe = getOctokit(TOKEN, { baseUrl: fake.gheUrl });
    const res = await ghe.graphql<{ repository: { nameWithOwner: string } }>(
      `{ repository(owner: "acme", name: "model") { nameWithOwner } }`,
    );
    expect(res.repository.nameWithOwner).toBe('acme/model');
    expect(fake.calls.at(-1)).toMatchObject({
      path: '/api/graphql',
      operationId: 'graphql',
      status: 200,
    });
  });
});

describe('documents GitHub would refuse', () => {
  it('rejects unknown fields with locations, records them, and changes nothing', async () => {
    fake.clearLog();
    const before = fake.pullRequests('acme/model').length;
    const errors = await graphqlErrors(
      gh.graphql(
        `mutation { revertPullRequest(input: { pullRequestId: "${shipped.nodeId}", titel: "t" }) { revertPullRequest { urll } } }`,
      ),
    );
    expect(errors.map((e) => e.message)).toEqual([
      'Field "titel" is not defined by type "RevertPullRequestInput". Did you mean "title"?',
      'Cannot query field "urll" on type "PullRequest". Did you mean "url"?',
    ]);
    expect(errors[0]?.locations).toEqual([{ line: 1, column: 71 }]);
    expect(fake.invalidRequests).toHaveLength(1);
    expect(fake.pullRequests('acme/model')).toHaveLength(before);
  });

  it('rejects a missing required argument and a syntax error', async () => {
    const missing = await graphqlErrors(
      gh.graphql(`mutation { revertPullRequest(input: { title: "t" }) { clientMutationId } }`),
    );
    expect(missing[0]?.message).toBe(
      'Field "RevertPullRequestInput.pullRequestId" of required type "ID!" was not provided.',
    );
    const syntax = await graphqlErrors(
      gh.graphql(`query { repository(owner: "acme", name: "model") { id }`),
    );
    expect(syntax[0]?.message).toMatch(/^Syntax Error/);
  });

  it('refuses an unauthenticated call with 401', async () => {
    const res = await fetch(`${fake.url}/graphql`, {
      method: 'POST',
      body: JSON.stringify({ query: '{ viewer { login } }' }),
    });
    expect(res.status).toBe(401);
  });
});
