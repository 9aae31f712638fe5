// GraphQL addComment, addLabelsToLabelable and Repository.label: one state with the REST routes.
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubFake, type GitHubFake, type Issue } from '../../fakes/github/index.js';

const TOKEN = 'ghp_graphql_conversation';
let fake: GitHubFake;
let gh: ReturnType<typeof getOctokit>;
let pr: Issue;
const where = { owner: 'acme', repo: 'model' };

const COMMENT_AND_LABEL = /* GraphQL */ `
  mutation ($subject: ID!, $body: String!, $labelable: ID!, $labels: [ID!]!) {
    addComment(input: { subjectId: $subject, body: $body }) {
      commentEdge {
        node {
          databaseId
          url
          body
        }
      }
    }
    addLabelsToLabelable(input: { labelableId: $labelable, labelIds: $labels }) {
      clientMutationId
    }
  }
`;

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

const labelId = async (name: string) =>
  (
    await gh.graphql<{ repository: { label: { id: string } | null } }>(
      `query ($name: String!) { repository(owner: "acme", name: "model") { label(name: $name) { id } } }`,
      { name },
    )
  ).repository.label?.id;

beforeAll(async () => {
  fake = await startGitHubFake({ tokens: [TOKEN] });
  fake.addRepo('acme/model', { files: { 'm.txt': '1' } });
  pr = fake.addPullRequest('acme/model', { title: 'Ship', merged: true, files: { 'm.txt': '2' } });
  gh = getOctokit(TOKEN, { baseUrl: fake.url });
  // A label exists once something used it (REST creates it on first use, as GitHub does).
  const issue = await gh.rest.issues.create({ ...where, title: 'seed', labels: ['revert'] });
  expect(issue.data.labels).toHaveLength(1);
});

afterAll(async () => {
  await fake?.close();
});

describe('comments and labels over GraphQL', () => {
  it('looks a label up by name with the REST node id; an unknown one is null', async () => {
    const rest = await gh.rest.issues.listForRepo({ ...where, labels: 'revert' });
    const restLabel = rest.data[0]?.labels[0];
    expect(await labelId('revert')).toBe(typeof restLabel === 'object' ? restLabel.node_id : '');
    expect(await labelId('nope')).toBeUndefined();
  });

  it('comments and labels in one document, seen by the REST routes', async () => {
    fake.clearLog();
    const res = await gh.graphql<{
      addComment: { commentEdge: { node: { databaseId: number; url: string; body: string } } };
    }>(COMMENT_AND_LABEL, {
      subject: pr.nodeId,
      body: 'rolled back <!-- marker -->',
      labelable: pr.nodeId,
      labels: [await labelId('revert')],
    });
    const node = res.addComment.commentEdge.node;
    const comments = await gh.rest.issues.listComments({ ...where, issue_number: pr.number });
    expect(comments.data.map((c) => [c.id, c.body, c.html_url])).toEqual([
      [node.databaseId, 'rolled back <!-- marker -->', node.url],
    ]);
    const labels = await gh.rest.issues.get({ ...where, issue_number: pr.number });
    expect(labels.data.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['revert']);
    expect(fake.invalidRequests).toEqual([]);
    expect(fake.unmatchedRequests).toEqual([]);
  });

  it('refuses unknown ids, an empty body, and writes without the permission', async () => {
    expect(
      await graphqlErrors(
        gh.graphql(COMMENT_AND_LABEL, {
          subject: pr.nodeId,
          body: 'x',
          labelable: pr.nodeId,
          labels: ['LA_unknown'],
        }),
      ),
    ).toEqual([expect.objectContaining({ type: 'NOT_FOUND' })]);
    expect(
      await graphqlErrors(
        gh.graphql(
          `mutation ($s: ID!) { addComment(input: { subjectId: $s, body: " " }) { clientMutationId } }`,
          {
            s: pr.nodeId,
          },
        ),
      ),
    ).toEqual([expect.objectContaining({ type: 'UNPROCESSABLE' })]);
    fake.addInstallation(9, ['acme/model'], {
      permissions: { contents: 'read', metadata: 'read' },
    });
    const reader = getOctokit(fake.installationToken(9), { baseUrl: fake.url });
    const errors = await graphqlErrors(
      reader.graphql(COMMENT_AND_LABEL, {
        subject: pr.nodeId,
        body: 'x',
        labelable: pr.nodeId,
        labels: [await labelId('revert')],
      }),
    );
    expect(errors.map((e) => e.type)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    const comments = await gh.rest.issues.listComments({ ...where, issue_number: pr.number });
    // The NOT_FOUND label came after the comment (mutations run in order), so 2 comments.
    expect(comments.data.map((c) => c.body)).toEqual(['rolled back <!-- marker -->', 'x']);
  });
});
