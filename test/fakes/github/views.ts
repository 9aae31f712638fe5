// REST representations of the fake's state. Missing required fields are filled from the
// response schema afterwards (skeleton.ts); the values here are the ones clients read.
import type { Urls } from './http.js';
import { nodeId } from './state.js';
import type {
  Actor,
  Comment,
  Deployment,
  DeploymentStatus,
  Issue,
  Reaction,
  Repo,
} from './state.js';

export function userView(u: Actor, urls: Urls): Record<string, unknown> {
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(u.type === 'Bot' ? 'BOT' : 'U', u.id),
    type: u.type,
    site_admin: false,
    url: `${urls.api}/users/${encodeURIComponent(u.login)}`,
    html_url: `${urls.html}/${encodeURIComponent(u.login)}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
  };
}

export function repoView(r: Repo, urls: Urls): Record<string, unknown> {
  const api = `${urls.api}/repos/${r.fullName}`;
  return {
    id: r.id,
    node_id: r.nodeId,
    name: r.name,
    full_name: r.fullName,
    private: r.private,
    visibility: r.private ? 'private' : 'public',
    default_branch: r.defaultBranch,
    owner: { login: r.owner, id: r.id + 1, node_id: nodeId('O', r.id + 1), type: 'Organization' },
    html_url: `${urls.html}/${r.fullName}`,
    url: api,
    deployments_url: `${api}/deployments`,
    pulls_url: `${api}/pulls{/number}`,
  };
}

export function labelView(name: string, repo: Repo, urls: Urls): Record<string, unknown> {
  const id = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, repo.id);
  return {
    id,
    node_id: nodeId('LA', id),
    name,
    color: 'ededed',
    default: false,
    description: null,
    url: `${urls.api}/repos/${repo.fullName}/labels/${encodeURIComponent(name)}`,
  };
}

export function issueView(i: Issue, repo: Repo, urls: Urls): Record<string, unknown> {
  const api = `${urls.api}/repos/${repo.fullName}`;
  const kind = i.pull ? 'pull' : 'issues';
  return {
    id: i.id,
    node_id: i.nodeId,
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    locked: false,
    user: userView(i.user, urls),
    labels: i.labels.map((l) => labelView(l, repo, urls)),
    assignees: i.assignees.map((a) => userView({ login: a, id: 1, type: 'User' }, urls)),
    assignee: null,
    milestone: null,
    comments: [...repo.comments.values()].filter((c) => c.issueNumber === i.number).length,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    author_association: 'MEMBER',
    url: `${api}/issues/${i.number}`,
    repository_url: api,
    labels_url: `${api}/issues/${i.number}/labels{/name}`,
    comments_url: `${api}/issues/${i.number}/comments`,
    events_url: `${api}/issues/${i.number}/events`,
    html_url: `${urls.html}/${repo.fullName}/${kind}/${i.number}`,
    ...(i.pull
      ? {
          pull_request: {
            url: `${api}/pulls/${i.number}`,
            html_url: `${urls.html}/${repo.fullName}/pull/${i.number}`,
            diff_url: `${urls.html}/${repo.fullName}/pull/${i.number}.diff`,
            patch_url: `${urls.html}/${repo.fullName}/pull/${i.number}.patch`,
            merged_at: i.pull.mergedAt,
          },
        }
      : {}),
  };
}

export function pullView(i: Issue, repo: Repo, urls: Urls): Record<string, unknown> {
  const p = i.pull;
  if (!p) throw new Error(`#${i.number} is not a pull request`);
  const api = `${urls.api}/repos/${repo.fullName}`;
  const branch = (ref: string, sha: string): Record<string, unknown> => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: {
      login: repo.owner,
      id: repo.id + 1,
      node_id: nodeId('O', repo.id + 1),
      type: 'Organization',
    },
    repo: repoView(repo, urls),
  });
  const base = issueView(i, repo, urls);
  delete base.pull_request;
  delete base.comments;
  delete base.repository_url;
  delete base.labels_url;
  delete base.events_url;
  return {
    ...base,
    url: `${api}/pulls/${i.number}`,
    html_url: `${urls.html}/${repo.fullName}/pull/${i.number}`,
    diff_url: `${urls.html}/${repo.fullName}/pull/${i.number}.diff`,
    patch_url: `${urls.html}/${repo.fullName}/pull/${i.number}.patch`,
    issue_url: `${api}/issues/${i.number}`,
    commits_url: `${api}/pulls/${i.number}/commits`,
    review_comments_url: `${api}/pulls/${i.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${i.number}/comments`,
    statuses_url: `${api}/statuses/${p.headSha}`,
    head: branch(p.headRef, p.headSha),
    base: branch(p.baseRef, p.baseSha),
    draft: p.draft,
    merged: p.merged,
    merged_at: p.mergedAt,
    merge_commit_sha: p.mergeCommitSha,
    mergeable: p.merged ? null : true,
    merged_by: null,
    requested_reviewers: [],
    requested_teams: [],
    active_lock_reason: null,
    auto_merge: null,
    commits: p.commits.length,
    _links: {
      self: { href: `${api}/pulls/${i.number}` },
      html: { href: `${urls.html}/${repo.fullName}/pull/${i.number}` },
      issue: { href: `${api}/issues/${i.number}` },
      comments: { href: `${api}/issues/${i.number}/comments` },
      review_comments: { href: `${api}/pulls/${i.number}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${api}/pulls/${i.number}/commits` },
      statuses: { href: `${api}/statuses/${p.headSha}` },
    },
  };
}

export function commentView(c: Comment, repo: Repo, urls: Urls): Record<string, unknown> {
  const api = `${urls.api}/repos/${repo.fullName}`;
  const counts: Record<string, number> = {};
  for (const r of c.reactions) counts[r.content] = (counts[r.content] ?? 0) + 1;
  return {
    id: c.id,
    node_id: c.nodeId,
    body: c.body,
    user: userView(c.user, urls),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: 'MEMBER',
    url: `${api}/issues/comments/${c.id}`,
    html_url: `${urls.html}/${repo.fullName}/issues/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${api}/issues/${c.issueNumber}`,
    reactions: {
      url: `${api}/issues/comments/${c.id}/reactions`,
      total_count: c.reactions.length,
      '+1': counts['+1'] ?? 0,
      '-1': counts['-1'] ?? 0,
      laugh: counts.laugh ?? 0,
      confused: counts.confused ?? 0,
      heart: counts.heart ?? 0,
      hooray: counts.hooray ?? 0,
      eyes: counts.eyes ?? 0,
      rocket: counts.rocket ?? 0,
    },
  };
}

export function reactionView(r: Reaction, urls: Urls): Record<string, unknown> {
  return {
    id: r.id,
    node_id: r.nodeId,
    content: r.content,
    user: userView(r.user, urls),
    created_at: r.createdAt,
  };
}

export function deploymentView(d: Deployment, repo: Repo, urls: Urls): Record<string, unknown> {
  const api = `${urls.api}/repos/${repo.fullName}`;
  return {
    id: d.id,
    node_id: d.nodeId,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.originalEnvironment,
    environment: d.environment,
    description: d.description,
    creator: userView(d.creator, urls),
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    transient_environment: d.transient,
    production_environment: d.production,
    url: `${api}/deployments/${d.id}`,
    statuses_url: `${api}/deployments/${d.id}/statuses`,
    repository_url: api,
    performed_via_github_app: null,
  };
}

export function deploymentStatusView(
  s: DeploymentStatus,
  d: Deployment,
  repo: Repo,
  urls: Urls,
): Record<string, unknown> {
  const api = `${urls.api}/repos/${repo.fullName}`;
  return {
    id: s.id,
    node_id: s.nodeId,
    state: s.state,
    description: s.description,
    environment: s.environment,
    target_url: s.logUrl,
    log_url: s.logUrl,
    environment_url: s.environmentUrl,
    creator: userView(s.creator, urls),
    created_at: s.createdAt,
    updated_at: s.createdAt,
    url: `${api}/deployments/${d.id}/statuses/${s.id}`,
    deployment_url: `${api}/deployments/${d.id}`,
    repository_url: api,
    performed_via_github_app: null,
  };
}
