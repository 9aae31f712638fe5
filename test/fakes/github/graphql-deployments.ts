// GraphQL `Repository.deployments` and the Deployment / DeploymentStatus objects, served from
// the same state as the REST routes (field names and arguments after @octokit/graphql-schema).
import { GraphQLError } from 'graphql';
import { missingPermission } from './permissions.js';
import type { Actor, Deployment, DeploymentStatus, Repo, TokenGrant } from './state.js';

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export interface DeploymentsArgs extends ConnectionArgs {
  environments?: string[] | null;
  orderBy?: { field: 'CREATED_AT'; direction: 'ASC' | 'DESC' } | null;
}

/** How the views need to draw what deployments point at (supplied by graphql.ts). */
export interface DeploymentViewContext {
  repo: Repo;
  grant: TokenGrant;
  actor(a: Actor): Record<string, unknown>;
  commit(sha: string): Record<string, unknown>;
  repository(): Record<string, unknown>;
}

const MAX_PAGE = 100;

/**
 * GitHub's connection rules: `first` or `last` is required, each in 1..100; cursors are opaque
 * (here base64 of the position). Returns the slice with pageInfo, edges, nodes, totalCount.
 */
export function connection<T>(
  name: string,
  edgeType: string,
  all: readonly T[],
  args: ConnectionArgs,
  view: (item: T) => Record<string, unknown>,
): Record<string, unknown> {
  const { first, last } = args;
  if (first == null && last == null) {
    throw new GraphQLError(
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
      { extensions: { type: 'MISSING_PAGINATION_BOUNDARIES' } },
    );
  }
  for (const [arg, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (value != null && (value < 0 || value > MAX_PAGE)) {
      throw new GraphQLError(
        value < 0
          ? `\`${arg}\` on the \`${name}\` connection cannot be less than zero.`
          : `Requesting ${value} records on the \`${name}\` connection exceeds the \`${arg}\` limit of ${MAX_PAGE} records.`,
        { extensions: { type: 'EXCESSIVE_PAGINATION' } },
      );
    }
  }
  let start = 0;
  let end = all.length;
  if (args.after != null) start = Math.min(end, decodeCursor(args.after) + 1);
  if (args.before != null) end = Math.max(start, Math.min(end, decodeCursor(args.before)));
  if (first != null) end = Math.min(end, start + first);
  if (last != null) start = Math.max(start, end - last);
  const edges = all.slice(start, end).map((item, i) => ({
    __typename: edgeType,
    cursor: encodeCursor(start + i),
    node: view(item),
  }));
  return {
    totalCount: all.length,
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      __typename: 'PageInfo',
      hasNextPage: end < all.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

function encodeCursor(index: number): string {
  return Buffer.from(`cursor:v2:${index}`).toString('base64');
}

function decodeCursor(cursor: string): number {
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m) {
    throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`, {
      extensions: { type: 'INVALID_CURSOR_ARGUMENTS' },
    });
  }
  return Number(m[1]);
}

/** `Repository.deployments(environments, orderBy, first/last/after/before)`. */
export function deploymentsField(
  ctx: DeploymentViewContext,
): (args: DeploymentsArgs) => Record<string, unknown> {
  return (args) => {
    if (
      ctx.grant.permissions &&
      missingPermission('repos/list-deployments', ctx.grant.permissions)
    ) {
      throw new GraphQLError('Resource not accessible by integration', {
        extensions: { type: 'FORBIDDEN' },
      });
    }
    const environments = args.environments ?? undefined;
    const direction = args.orderBy?.direction ?? 'ASC';
    const all = [...ctx.repo.deployments.values()]
      .filter((d) => !environments || environments.includes(d.environment))
      // Equal timestamps (same millisecond) keep creation order: the id breaks the tie.
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
    if (direction === 'DESC') all.reverse();
    return connection('deployments', 'DeploymentEdge', all, args, (d) => deploymentNode(ctx, d));
  };
}

/** GitHub's `Deployment.state`: derived from the newest status (`success` reads ACTIVE). */
function deploymentState(d: Deployment): string {
  const newest = d.statuses.at(-1)?.state;
  if (!newest) return 'PENDING';
  if (newest === 'success') return 'ACTIVE';
  if (newest === 'inactive' && d.transient) return 'DESTROYED';
  return newest.toUpperCase();
}

/** The REST payload (object, or a string that was not JSON) as GraphQL's `String`. */
function payloadString(payload: Deployment['payload']): string {
  return typeof payload === 'string' ? payload : JSON.stringify(payload);
}

function deploymentNode(ctx: DeploymentViewContext, d: Deployment): Record<string, unknown> {
  const ref = ctx.repo.refs.has(`refs/heads/${d.ref}`)
    ? { __typename: 'Ref', id: `REF_${d.ref}`, name: d.ref, prefix: 'refs/heads/' }
    : null;
  const node: Record<string, unknown> = {
    __typename: 'Deployment',
    id: d.nodeId,
    databaseId: d.id,
    commitOid: d.sha,
    commit: () => ctx.commit(d.sha),
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    creator: ctx.actor(d.creator),
    description: d.description,
    environment: d.environment,
    latestEnvironment: d.environment,
    originalEnvironment: d.originalEnvironment,
    payload: payloadString(d.payload),
    ref: ref && { ...ref, target: () => ctx.commit(d.sha) },
    repository: () => ctx.repository(),
    state: deploymentState(d),
    task: d.task,
    latestStatus: () => {
      const s = d.statuses.at(-1);
      return s ? statusNode(ctx, s, node) : null;
    },
    // GitHub lists a deployment's statuses newest first, as the REST route does.
    statuses: (args: ConnectionArgs) =>
      connection('statuses', 'DeploymentStatusEdge', [...d.statuses].reverse(), args, (s) =>
        statusNode(ctx, s, node),
      ),
  };
  return node;
}

function statusNode(
  ctx: DeploymentViewContext,
  s: DeploymentStatus,
  deployment: Record<string, unknown>,
): Record<string, unknown> {
  return {
    __typename: 'DeploymentStatus',
    id: s.nodeId,
    createdAt: s.createdAt,
    updatedAt: s.createdAt,
    creator: ctx.actor(s.creator),
    deployment,
    description: s.description || null,
    environment: s.environment,
    environmentUrl: s.environmentUrl || null,
    logUrl: s.logUrl || null,
    state: s.state.toUpperCase(),
  };
}
