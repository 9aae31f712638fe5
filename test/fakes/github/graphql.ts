// POST /graphql: every document is validated against GitHub's published schema
// (@octokit/graphql-schema) and executed by graphql-js against the fake's state, so answers
// have exactly the schema's shapes and a field the fake does not model fails loudly.
import { readFileSync } from 'node:fs';
import {
  buildClientSchema,
  execute,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import {
  addLabelsById,
  commentNode,
  createComment,
  labelNode,
  type AddCommentInput,
  type AddLabelsInput,
} from './graphql-conversation.js';
import { connection, deploymentsField, type ConnectionArgs } from './graphql-deployments.js';
import type { Urls } from './http.js';
import { missingPermission } from './permissions.js';
import { openPull, pullsForCommit } from './routes/pulls.js';
import {
  fakeSha,
  now,
  type Commit,
  type FakeState,
  type Issue,
  type Repo,
  type TokenGrant,
} from './state.js';

let loading: Promise<GraphQLSchema> | undefined;

export function loadGraphQLSchema(): Promise<GraphQLSchema> {
  loading ??= Promise.resolve().then(() => {
    // The package exports only its index (which builds a second schema at import).
    const file = new URL('./schema.json', import.meta.resolve('@octokit/graphql-schema'));
    const json = JSON.parse(readFileSync(file, 'utf8')) as {
      data?: IntrospectionQuery;
    } & IntrospectionQuery;
    return buildClientSchema(json.data ?? json);
  });
  return loading;
}

export interface GraphQLRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface ParsedGraphQL {
  document?: DocumentNode;
  /** Top-level field names of the operation(s), e.g. `revertPullRequest`. */
  fields: string[];
  errors: GraphQLErrorJson[];
}

export interface GraphQLErrorJson {
  message: string;
  type?: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
}

/** Parses and validates; errors keep their locations (graphql-tag's path drops them). */
export function parseGraphQL(schema: GraphQLSchema, body: GraphQLRequestBody): ParsedGraphQL {
  if (typeof body.query !== 'string') {
    return {
      fields: [],
      errors: [{ message: 'A query attribute must be specified and must be a string.' }],
    };
  }
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (e) {
    return { fields: [], errors: [toJson(e)] };
  }
  const fields = document.definitions.flatMap((d) =>
    d.kind === Kind.OPERATION_DEFINITION
      ? d.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []))
      : [],
  );
  const errors = validate(schema, document).map(toJson);
  return { document, fields, errors };
}

export interface ExecuteOptions {
  schema: GraphQLSchema;
  document: DocumentNode;
  body: GraphQLRequestBody;
  state: FakeState;
  grant: TokenGrant;
  urls: Urls;
}

export async function executeGraphQL(
  o: ExecuteOptions,
): Promise<{ data?: unknown; errors?: GraphQLErrorJson[] }> {
  const result = await execute({
    schema: o.schema,
    document: o.document,
    rootValue: rootValue(o),
    variableValues: (o.body.variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: typeof o.body.operationName === 'string' ? o.body.operationName : undefined,
  });
  return result.errors?.length
    ? { data: result.data ?? null, errors: result.errors.map(toJson) }
    : { data: result.data };
}

function toJson(e: unknown): GraphQLErrorJson {
  if (e instanceof GraphQLError) {
    const type = e.extensions.type;
    return {
      message: e.message,
      ...(typeof type === 'string' ? { type } : {}),
      ...(e.path ? { path: e.path } : {}),
      ...(e.locations ? { locations: e.locations } : {}),
    };
  }
  return { message: e instanceof Error ? e.message : String(e) };
}

function fail(type: 'NOT_FOUND' | 'UNPROCESSABLE' | 'FORBIDDEN', message: string): never {
  throw new GraphQLError(message, { extensions: { type } });
}

function rootValue(o: ExecuteOptions): Record<string, unknown> {
  const canSee = (repo: Repo): boolean =>
    !o.grant.repos || o.grant.repos.includes(repo.fullName.toLowerCase());
  const findNode = (id: string): { repo: Repo; issue: Issue } | undefined => {
    const ref = o.state.nodes.get(id);
    const repo = ref && o.state.repo(ref.repo);
    const issue = ref && repo?.issues.get(ref.number);
    return repo && issue && canSee(repo) ? { repo, issue } : undefined;
  };
  const views = new Views(o.urls, o.grant);
  return {
    node: ({ id }: { id: string }) => {
      const found = findNode(id);
      if (!found) fail('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`);
      return found.issue.pull
        ? views.pull(found.repo, found.issue)
        : views.issue(found.repo, found.issue);
    },
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = o.state.repo(`${owner}/${name}`);
      if (!repo || !canSee(repo)) {
        fail('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
      }
      return views.repository(repo);
    },
    addComment: ({ input }: { input: AddCommentInput }) => {
      const found = findNode(input.subjectId);
      if (!found) {
        fail('NOT_FOUND', `Could not resolve to a node with the global id of '${input.subjectId}'`);
      }
      const c = createComment(o.state, o.grant, found.repo, found.issue, input.body);
      const subject = found.issue.pull
        ? views.pull(found.repo, found.issue)
        : views.issue(found.repo, found.issue);
      return {
        clientMutationId: input.clientMutationId ?? null,
        commentEdge: {
          __typename: 'IssueCommentEdge',
          cursor: Buffer.from(`cursor:v2:${c.id}`).toString('base64'),
          node: {
            ...commentNode(found.repo, c, o.urls),
            author: views.actor(c.user.login, c.user.type),
          },
        },
        subject,
        timelineEdge: null,
      };
    },
    addLabelsToLabelable: ({ input }: { input: AddLabelsInput }) => {
      const found = findNode(input.labelableId);
      if (!found) {
        fail(
          'NOT_FOUND',
          `Could not resolve to a node with the global id of '${input.labelableId}'`,
        );
      }
      addLabelsById(found.repo, found.issue, input.labelIds, o.urls);
      return {
        clientMutationId: input.clientMutationId ?? null,
        labelable: found.issue.pull
          ? views.pull(found.repo, found.issue)
          : views.issue(found.repo, found.issue),
      };
    },
    revertPullRequest: ({ input }: { input: RevertInput }) => {
      const found = findNode(input.pullRequestId);
      if (!found?.issue.pull) {
        fail(
          'NOT_FOUND',
          `Could not resolve to a node with the global id of '${input.pullRequestId}'`,
        );
      }
      const revert = revertPull(o, found.repo, found.issue, input);
      return {
        clientMutationId: input.clientMutationId ?? null,
        pullRequest: views.pull(found.repo, found.issue),
        revertPullRequest: views.pull(found.repo, revert),
      };
    },
  };
}

interface PullRequestOrder {
  field: 'CREATED_AT' | 'UPDATED_AT';
  direction: 'ASC' | 'DESC';
}

interface RevertInput {
  pullRequestId: string;
  title?: string | null;
  body?: string | null;
  draft?: boolean | null;
  clientMutationId?: string | null;
}

/** Opens `revert-<n>-<head>` on a new commit that restores the files the merge changed. */
function revertPull(o: ExecuteOptions, repo: Repo, original: Issue, input: RevertInput): Issue {
  const p = original.pull;
  if (!p?.merged || !p.mergeCommitSha) fail('UNPROCESSABLE', 'Pull request is not merged');
  if (!p.revertable)
    fail('UNPROCESSABLE', `Could not revert pull request #${original.number}: merge conflict`);
  const baseSha = o.state.resolve(repo, `heads/${p.baseRef}`);
  const baseCommit = baseSha ? repo.commits.get(baseSha) : undefined;
  if (!baseSha || !baseCommit) fail('UNPROCESSABLE', `Base branch ${p.baseRef} does not exist`);
  const merge = repo.commits.get(p.mergeCommitSha);
  const before = merge?.parents[0] ? repo.commits.get(merge.parents[0]) : undefined;
  const files = { ...baseCommit.files };
  if (merge && before) {
    for (const path of new Set([...Object.keys(merge.files), ...Object.keys(before.files)])) {
      if (merge.files[path] === before.files[path]) continue;
      const old = before.files[path];
      if (old === undefined) delete files[path];
      else files[path] = old;
    }
  }
  const commit: Commit = {
    sha: fakeSha(`revert:${repo.fullName}:${p.mergeCommitSha}:${repo.commits.size}`),
    message: `Revert "${original.title}"\n\nThis reverts commit ${p.mergeCommitSha}.`,
    parents: [baseSha],
    files,
    author: o.grant.actor.login,
    date: now(),
  };
  repo.commits.set(commit.sha, commit);
  let branch = `revert-${original.number}-${p.headRef}`;
  for (let i = 2; repo.refs.has(`refs/heads/${branch}`); i++)
    branch = `revert-${original.number}-${p.headRef}-${i}`;
  repo.refs.set(`refs/heads/${branch}`, commit.sha);
  return openPull(o.state, repo, {
    title: input.title ?? `Revert "${original.title}"`,
    body: input.body ?? `Reverts ${repo.fullName}#${original.number}`,
    user: o.grant.actor,
    pull: {
      headRef: branch,
      headSha: commit.sha,
      baseRef: p.baseRef,
      baseSha,
      draft: input.draft ?? false,
      commits: [commit.sha],
      revertOf: original.number,
    },
  });
}

/** GraphQL objects for the types the fake models; functions are fields with arguments. */
class Views {
  constructor(
    private readonly urls: Urls,
    private readonly grant: TokenGrant,
  ) {}

  actor(login: string, type: 'User' | 'Bot'): Record<string, unknown> {
    return {
      __typename: type,
      login,
      url: `${this.urls.html}/${login}`,
      avatarUrl: `https://avatars.githubusercontent.com/${login}`,
    };
  }

  commit(repo: Repo, sha: string): Record<string, unknown> {
    const c = repo.commits.get(sha);
    return {
      __typename: 'Commit',
      id: `C_${sha}`,
      oid: sha,
      abbreviatedOid: sha.slice(0, 7),
      url: `${this.urls.html}/${repo.fullName}/commit/${sha}`,
      message: c?.message ?? '',
      messageHeadline: (c?.message ?? '').split('\n')[0],
      committedDate: c?.date ?? now(),
      // The REST route's rule (commits/{sha}/pulls): the merged pull requests that brought it.
      associatedPullRequests: (args: ConnectionArgs & { orderBy?: PullRequestOrder | null }) => {
        const granted = this.grant.permissions;
        if (
          granted &&
          missingPermission('repos/list-pull-requests-associated-with-commit', granted)
        )
          fail('FORBIDDEN', 'Resource not accessible by integration');
        const order = args.orderBy ?? { field: 'CREATED_AT', direction: 'ASC' };
        const key = (i: Issue) => (order.field === 'UPDATED_AT' ? i.updatedAt : i.createdAt);
        const all = pullsForCommit(repo, sha).sort(
          (a, b) => key(a).localeCompare(key(b)) || a.number - b.number,
        );
        if (order.direction === 'DESC') all.reverse();
        return connection('associatedPullRequests', 'PullRequestEdge', all, args, (i) =>
          this.pull(repo, i),
        );
      },
    };
  }

  repository(repo: Repo): Record<string, unknown> {
    const head = repo.refs.get(`refs/heads/${repo.defaultBranch}`);
    return {
      __typename: 'Repository',
      id: repo.nodeId,
      databaseId: repo.id,
      name: repo.name,
      nameWithOwner: repo.fullName,
      isPrivate: repo.private,
      url: `${this.urls.html}/${repo.fullName}`,
      owner: {
        __typename: 'Organization',
        id: `O_${repo.owner}`,
        login: repo.owner,
        url: `${this.urls.html}/${repo.owner}`,
      },
      defaultBranchRef: head
        ? {
            __typename: 'Ref',
            id: `REF_${repo.defaultBranch}`,
            name: repo.defaultBranch,
            prefix: 'refs/heads/',
            target: this.commit(repo, head),
          }
        : null,
      pullRequest: ({ number }: { number: number }) => {
        const issue = repo.issues.get(number);
        if (!issue?.pull)
          fail('NOT_FOUND', `Could not resolve to a PullRequest with the number of ${number}.`);
        return this.pull(repo, issue);
      },
      deployments: deploymentsField({
        repo,
        grant: this.grant,
        actor: (a) => this.actor(a.login, a.type),
        commit: (sha) => this.commit(repo, sha),
        repository: () => this.repository(repo),
      }),
      label: ({ name }: { name: string }) =>
        repo.labels.has(name) ? labelNode(repo, name, this.urls) : null,
      issue: ({ number }: { number: number }) => {
        const issue = repo.issues.get(number);
        if (!issue || issue.pull)
          fail('NOT_FOUND', `Could not resolve to an Issue with the number of ${number}.`);
        return this.issue(repo, issue);
      },
    };
  }

  private common(repo: Repo, i: Issue, kind: 'pull' | 'issues'): Record<string, unknown> {
    return {
      id: i.nodeId,
      databaseId: i.id,
      number: i.number,
      title: i.title,
      body: i.body ?? '',
      url: `${this.urls.html}/${repo.fullName}/${kind}/${i.number}`,
      resourcePath: `/${repo.fullName}/${kind}/${i.number}`,
      createdAt: i.createdAt,
      updatedAt: i.updatedAt,
      closed: i.state === 'closed',
      closedAt: i.closedAt,
      author: this.actor(i.user.login, i.user.type),
      repository: () => this.repository(repo),
      labels: ({ first }: { first?: number }) => {
        const nodes = i.labels
          .slice(0, first ?? 100)
          .map((name) => labelNode(repo, name, this.urls));
        return { __typename: 'LabelConnection', totalCount: i.labels.length, nodes };
      },
    };
  }

  issue(repo: Repo, i: Issue): Record<string, unknown> {
    return { __typename: 'Issue', ...this.common(repo, i, 'issues'), state: i.state.toUpperCase() };
  }

  pull(repo: Repo, i: Issue): Record<string, unknown> {
    const p = i.pull;
    if (!p) return this.issue(repo, i);
    return {
      __typename: 'PullRequest',
      ...this.common(repo, i, 'pull'),
      permalink: `${this.urls.html}/${repo.fullName}/pull/${i.number}`,
      state: p.merged ? 'MERGED' : i.state.toUpperCase(),
      merged: p.merged,
      mergedAt: p.mergedAt,
      isDraft: p.draft,
      headRefName: p.headRef,
      headRefOid: p.headSha,
      baseRefName: p.baseRef,
      baseRefOid: p.baseSha,
      mergeCommit: p.mergeCommitSha ? this.commit(repo, p.mergeCommitSha) : null,
    };
  }
}
