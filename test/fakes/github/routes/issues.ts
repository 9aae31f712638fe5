// Issues, issue comments (also on pull requests), labels and comment reactions.
import {
  intParam,
  notFound,
  pagedList,
  repoOf,
  type RouteHandler,
  type RouteRequest,
} from '../http.js';
import { nodeId, now, type Actor, type Comment, type Issue, type Repo } from '../state.js';
import { commentView, issueView, labelView, reactionView } from '../views.js';

type LabelInput = string | { name: string };

function issueOf(req: RouteRequest, repo: Repo): Issue {
  const issue = repo.issues.get(intParam(req, 'issue_number'));
  if (!issue) throw notFound();
  return issue;
}

function commentOf(req: RouteRequest, repo: Repo): Comment {
  const c = repo.comments.get(intParam(req, 'comment_id'));
  if (!c) throw notFound();
  return c;
}

function labelNames(input: unknown): string[] {
  const list = Array.isArray(input)
    ? input
    : input && typeof input === 'object' && 'labels' in input
      ? (input as { labels: unknown }).labels
      : [];
  return (Array.isArray(list) ? (list as LabelInput[]) : []).map((l) =>
    typeof l === 'string' ? l : l.name,
  );
}

export function openIssue(
  state: RouteRequest['state'],
  repo: Repo,
  fields: {
    title: string;
    body?: string | null;
    labels?: string[];
    user: Actor;
    assignees?: string[];
    number?: number;
  },
): Issue {
  const number = fields.number ?? Math.max(0, ...repo.issues.keys()) + 1;
  const id = state.id();
  const at = now();
  const issue: Issue = {
    number,
    id,
    nodeId: nodeId('I', id),
    title: fields.title,
    body: fields.body ?? null,
    state: 'open',
    labels: [...new Set(fields.labels ?? [])],
    assignees: fields.assignees ?? [],
    user: fields.user,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
  };
  for (const l of issue.labels) repo.labels.add(l);
  repo.issues.set(number, issue);
  state.nodes.set(issue.nodeId, { kind: 'Issue', repo: repo.fullName, number });
  return issue;
}

export function addComment(
  state: RouteRequest['state'],
  repo: Repo,
  issue: Issue,
  body: string,
  user: Actor,
): Comment {
  const id = state.id();
  const at = now();
  const c: Comment = {
    id,
    nodeId: nodeId('IC', id),
    issueNumber: issue.number,
    body,
    user,
    createdAt: at,
    updatedAt: at,
    reactions: [],
  };
  repo.comments.set(id, c);
  issue.updatedAt = at;
  return c;
}

export const issueRoutes: Record<string, RouteHandler> = {
  'issues/create': (req) => {
    const repo = repoOf(req);
    const body = req.body as {
      title: string | number;
      body?: string | null;
      labels?: LabelInput[];
      assignees?: string[];
    };
    const issue = openIssue(req.state, repo, {
      title: String(body.title),
      body: body.body,
      labels: labelNames(body.labels ?? []),
      assignees: body.assignees,
      user: req.grant.actor,
    });
    return { status: 201, body: issueView(issue, repo, req.urls) };
  },

  'issues/get': (req) => {
    const repo = repoOf(req);
    return { status: 200, body: issueView(issueOf(req, repo), repo, req.urls) };
  },

  'issues/list-for-repo': (req) => {
    const repo = repoOf(req);
    const state = req.query.get('state') ?? 'open';
    const labels = (req.query.get('labels') ?? '').split(',').filter(Boolean);
    const all = [...repo.issues.values()]
      .filter((i) => state === 'all' || i.state === state)
      .filter((i) => labels.every((l) => i.labels.includes(l)))
      .sort((a, b) => b.number - a.number);
    return pagedList(req, all, (i) => issueView(i, repo, req.urls));
  },

  'issues/update': (req) => {
    const repo = repoOf(req);
    const issue = issueOf(req, repo);
    const body = req.body as {
      title?: string | number | null;
      body?: string | null;
      state?: 'open' | 'closed';
      labels?: LabelInput[];
    };
    if (body.title !== undefined && body.title !== null) issue.title = String(body.title);
    if (body.body !== undefined) issue.body = body.body;
    if (body.state) {
      issue.closedAt = body.state === 'closed' ? now() : null;
      issue.state = body.state;
    }
    if (body.labels) issue.labels = labelNames(body.labels);
    issue.updatedAt = now();
    return { status: 200, body: issueView(issue, repo, req.urls) };
  },

  'issues/add-labels': (req) => {
    const repo = repoOf(req);
    const issue = issueOf(req, repo);
    for (const l of labelNames(req.body)) {
      repo.labels.add(l);
      if (!issue.labels.includes(l)) issue.labels.push(l);
    }
    return { status: 200, body: issue.labels.map((l) => labelView(l, repo, req.urls)) };
  },

  'issues/list-comments': (req) => {
    const repo = repoOf(req);
    const issue = issueOf(req, repo);
    const all = [...repo.comments.values()].filter((c) => c.issueNumber === issue.number);
    return pagedList(req, all, (c) => commentView(c, repo, req.urls));
  },

  'issues/create-comment': (req) => {
    const repo = repoOf(req);
    const issue = issueOf(req, repo);
    const c = addComment(
      req.state,
      repo,
      issue,
      (req.body as { body: string }).body,
      req.grant.actor,
    );
    return {
      status: 201,
      headers: { location: `${req.urls.api}/repos/${repo.fullName}/issues/comments/${c.id}` },
      body: commentView(c, repo, req.urls),
    };
  },

  'issues/get-comment': (req) => {
    const repo = repoOf(req);
    return { status: 200, body: commentView(commentOf(req, repo), repo, req.urls) };
  },

  'issues/update-comment': (req) => {
    const repo = repoOf(req);
    const c = commentOf(req, repo);
    c.body = (req.body as { body: string }).body;
    c.updatedAt = now();
    return { status: 200, body: commentView(c, repo, req.urls) };
  },

  'issues/delete-comment': (req) => {
    const repo = repoOf(req);
    repo.comments.delete(commentOf(req, repo).id);
    return { status: 204 };
  },

  'reactions/create-for-issue-comment': (req) => {
    const repo = repoOf(req);
    const c = commentOf(req, repo);
    const content = (req.body as { content: string }).content;
    const existing = c.reactions.find(
      (r) => r.content === content && r.user.login === req.grant.actor.login,
    );
    if (existing) return { status: 200, body: reactionView(existing, req.urls) };
    const id = req.state.id();
    const reaction = {
      id,
      nodeId: nodeId('REA', id),
      content,
      user: req.grant.actor,
      createdAt: now(),
    };
    c.reactions.push(reaction);
    return { status: 201, body: reactionView(reaction, req.urls) };
  },

  'reactions/list-for-issue-comment': (req) => {
    const repo = repoOf(req);
    const c = commentOf(req, repo);
    const content = req.query.get('content');
    return pagedList(
      req,
      c.reactions.filter((r) => !content || r.content === content),
      (r) => reactionView(r, req.urls),
    );
  },

  'reactions/delete-for-issue-comment': (req) => {
    const repo = repoOf(req);
    const c = commentOf(req, repo);
    const i = c.reactions.findIndex((r) => r.id === intParam(req, 'reaction_id'));
    if (i >= 0) c.reactions.splice(i, 1);
    return { status: 204 };
  },
};
