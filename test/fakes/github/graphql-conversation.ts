// GraphQL `addComment`, `addLabelsToLabelable` and `Repository.label(name:)`: the same state as
// the REST routes (a comment made here is listed by issues/list-comments), and label node ids
// equal REST's `node_id`.
import { GraphQLError } from 'graphql';
import type { Urls } from './http.js';
import { addComment } from './routes/issues.js';
import type { Comment, FakeState, Issue, Repo, TokenGrant } from './state.js';
import { labelView } from './views.js';

export interface AddCommentInput {
  subjectId: string;
  body: string;
  clientMutationId?: string | null;
}

export interface AddLabelsInput {
  labelableId: string;
  labelIds: string[];
  clientMutationId?: string | null;
}

/** The GraphQL `Label` of a label the repository has (REST adds labels as they are used). */
export function labelNode(repo: Repo, name: string, urls: Urls): Record<string, unknown> {
  const rest = labelView(name, repo, urls);
  return {
    __typename: 'Label',
    id: rest.node_id,
    name,
    color: rest.color,
    description: null,
    isDefault: false,
    url: `${urls.html}/${repo.fullName}/labels/${encodeURIComponent(name)}`,
  };
}

export function commentNode(repo: Repo, c: Comment, urls: Urls): Record<string, unknown> {
  return {
    __typename: 'IssueComment',
    id: c.nodeId,
    databaseId: c.id,
    body: c.body,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    url: `${urls.html}/${repo.fullName}/issues/${c.issueNumber}#issuecomment-${c.id}`,
  };
}

export function createComment(
  state: FakeState,
  grant: TokenGrant,
  repo: Repo,
  issue: Issue,
  body: string,
): Comment {
  if (!body.trim()) {
    throw new GraphQLError("Body can't be blank", { extensions: { type: 'UNPROCESSABLE' } });
  }
  return addComment(state, repo, issue, body, grant.actor);
}

/** Adds labels by node id; an id that is not a label of this repository → NOT_FOUND. */
export function addLabelsById(repo: Repo, issue: Issue, labelIds: string[], urls: Urls): void {
  const byId = new Map([...repo.labels].map((name) => [labelView(name, repo, urls).node_id, name]));
  const names = labelIds.map((id) => {
    const name = byId.get(id);
    if (name === undefined) {
      throw new GraphQLError(`Could not resolve to a node with the global id of '${id}'.`, {
        extensions: { type: 'NOT_FOUND' },
      });
    }
    return name;
  });
  for (const name of names) if (!issue.labels.includes(name)) issue.labels.push(name);
}
