// Pull requests, and the commit → pull requests lookup.
import {
  HttpError,
  intParam,
  notFound,
  pagedList,
  repoOf,
  unprocessable,
  type RouteHandler,
} from '../http.js';
import {
  nodeId,
  type Actor,
  type FakeState,
  type Issue,
  type PullState,
  type Repo,
} from '../state.js';
import { openIssue } from './issues.js';
import { pullView } from '../views.js';

function pulls(repo: Repo): Issue[] {
  return [...repo.issues.values()].filter((i) => i.pull);
}

/**
 * GitHub: "Lists the merged pull request that introduced the commit to the repository. If
 * the commit is not present in the default branch, it will return merged and open pull
 * requests associated with the commit." A branch name lists the pull requests from it.
 */
export function pullsForCommit(repo: Repo, shaOrBranch: string): Issue[] {
  const byBranch = pulls(repo).filter((i) => i.pull?.headRef === shaOrBranch);
  if (byBranch.length) return byBranch;
  const sha = shaOrBranch;
  const related = pulls(repo).filter((i) => {
    const p = i.pull;
    return p && (p.mergeCommitSha === sha || p.headSha === sha || p.commits.includes(sha));
  });
  const merged = related.filter((i) => i.pull?.merged);
  return merged.length ? merged : related;
}

export interface OpenPullFields {
  title: string;
  body?: string | null;
  user: Actor;
  labels?: string[];
  number?: number;
  pull: Pick<PullState, 'headRef' | 'headSha' | 'baseRef' | 'baseSha'> & Partial<PullState>;
}

/** Opens a pull request (an issue with a `pull` part, node id `PR_…`). */
export function openPull(state: FakeState, repo: Repo, fields: OpenPullFields): Issue {
  const issue = openIssue(state, repo, fields);
  state.nodes.delete(issue.nodeId);
  issue.nodeId = nodeId('PR', issue.id);
  issue.pull = {
    merged: false,
    mergedAt: null,
    mergeCommitSha: null,
    draft: false,
    commits: [fields.pull.headSha],
    revertable: true,
    ...fields.pull,
  };
  if (issue.pull.merged) {
    issue.state = 'closed';
    issue.closedAt = issue.pull.mergedAt ??= issue.createdAt;
  }
  state.nodes.set(issue.nodeId, { kind: 'PullRequest', repo: repo.fullName, number: issue.number });
  return issue;
}

export const pullRoutes: Record<string, RouteHandler> = {
  'repos/list-pull-requests-associated-with-commit': (req) => {
    const repo = repoOf(req);
    const ref = req.params.commit_sha ?? '';
    const isKnown = repo.refs.has(`refs/heads/${ref}`) || req.state.resolve(repo, ref);
    if (!isKnown) throw new HttpError(422, `No commit found for SHA: ${ref}`);
    return pagedList(req, pullsForCommit(repo, ref), (i) => pullView(i, repo, req.urls));
  },

  'pulls/list': (req) => {
    const repo = repoOf(req);
    const state = req.query.get('state') ?? 'open';
    const head = req.query.get('head');
    const base = req.query.get('base');
    const all = pulls(repo)
      .filter((i) => state === 'all' || i.state === state)
      // `head` is `user:ref` (or `org:ref`).
      .filter(
        (i) => !head || `${repo.owner}:${i.pull?.headRef}` === head || i.pull?.headRef === head,
      )
      .filter((i) => !base || i.pull?.baseRef === base)
      .sort((a, b) => b.number - a.number);
    return pagedList(req, all, (i) => pullView(i, repo, req.urls));
  },

  'pulls/get': (req) => {
    const repo = repoOf(req);
    const i = repo.issues.get(intParam(req, 'pull_number'));
    if (!i?.pull) throw notFound();
    return { status: 200, body: pullView(i, repo, req.urls) };
  },

  'pulls/create': (req) => {
    const repo = repoOf(req);
    const body = req.body as {
      title?: string;
      body?: string;
      head: string;
      base: string;
      draft?: boolean;
    };
    const headRef = body.head.includes(':') ? (body.head.split(':')[1] ?? '') : body.head;
    const headSha = req.state.resolve(repo, `heads/${headRef}`);
    const baseSha = req.state.resolve(repo, `heads/${body.base}`);
    if (!headSha || !baseSha) {
      throw unprocessable('Validation Failed', [
        { resource: 'PullRequest', field: headSha ? 'base' : 'head', code: 'invalid' },
      ]);
    }
    const issue = openPull(req.state, repo, {
      title: body.title ?? headRef,
      body: body.body,
      user: req.grant.actor,
      pull: {
        headRef,
        headSha,
        baseRef: body.base,
        baseSha,
        draft: body.draft ?? false,
        commits: [headSha],
      },
    });
    return { status: 201, body: pullView(issue, repo, req.urls) };
  },

  'pulls/update': (req) => {
    const repo = repoOf(req);
    const i = repo.issues.get(intParam(req, 'pull_number'));
    if (!i?.pull) throw notFound();
    const body = req.body as {
      title?: string;
      body?: string;
      state?: 'open' | 'closed';
      base?: string;
    };
    if (body.title !== undefined) i.title = body.title;
    if (body.body !== undefined) i.body = body.body;
    if (body.state) {
      if (i.pull.merged && body.state === 'open') throw unprocessable('Validation Failed');
      i.state = body.state;
      i.closedAt = body.state === 'closed' ? new Date().toISOString() : null;
    }
    if (body.base) i.pull.baseRef = body.base;
    i.updatedAt = new Date().toISOString();
    return { status: 200, body: pullView(i, repo, req.urls) };
  },
};
