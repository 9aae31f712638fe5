// The fake's world: repositories with commits, refs, issues and pull requests, deployments,
// workflows, installations and tokens. Plain data that tests may read directly.
import { createHash } from 'node:crypto';

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface Actor {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export interface Commit {
  sha: string;
  message: string;
  parents: string[];
  /** The full tree at this commit: path → content. */
  files: Record<string, string>;
  author: string;
  date: string;
}

export interface Comment {
  id: number;
  nodeId: string;
  issueNumber: number;
  body: string;
  user: Actor;
  createdAt: string;
  updatedAt: string;
  reactions: Reaction[];
}

export interface Reaction {
  id: number;
  nodeId: string;
  content: string;
  user: Actor;
  createdAt: string;
}

export interface PullState {
  headRef: string;
  headSha: string;
  baseRef: string;
  baseSha: string;
  merged: boolean;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  draft: boolean;
  /** Shas of the commits the pull request carries (for commits → pulls). */
  commits: string[];
  /** False: GraphQL revertPullRequest refuses this pull request. */
  revertable: boolean;
  /** The number this pull request reverts, when it is a revert. */
  revertOf?: number;
}

export interface Issue {
  number: number;
  id: number;
  nodeId: string;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  labels: string[];
  assignees: string[];
  user: Actor;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Present when the issue is a pull request. */
  pull?: PullState;
}

export interface DeploymentStatus {
  id: number;
  nodeId: string;
  state: string;
  description: string;
  environment: string;
  logUrl: string;
  environmentUrl: string;
  creator: Actor;
  createdAt: string;
  /** True when the fake added it because of `auto_inactive`. */
  automatic: boolean;
}

export interface Deployment {
  id: number;
  nodeId: string;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown> | string;
  environment: string;
  originalEnvironment: string;
  description: string | null;
  transient: boolean;
  production: boolean;
  creator: Actor;
  createdAt: string;
  updatedAt: string;
  /** Oldest first. */
  statuses: DeploymentStatus[];
}

export interface Workflow {
  id: number;
  nodeId: string;
  path: string;
  name: string;
  /** Declared workflow_dispatch inputs; undefined: accept any. */
  inputs?: Record<string, { required?: boolean }>;
}

export interface Dispatch {
  repo: string;
  workflow: string;
  workflowId: number;
  ref: string;
  inputs: Record<string, unknown>;
  returnRunDetails: boolean;
  runId: number;
  actor: string;
  at: string;
}

export interface Repo {
  owner: string;
  name: string;
  fullName: string;
  id: number;
  nodeId: string;
  private: boolean;
  defaultBranch: string;
  commits: Map<string, Commit>;
  /** Full ref name (`refs/heads/main`) → sha. */
  refs: Map<string, string>;
  issues: Map<number, Issue>;
  comments: Map<number, Comment>;
  deployments: Map<number, Deployment>;
  workflows: Map<string, Workflow>;
  permissions: Map<string, Permission>;
  labels: Set<string>;
}

export interface Installation {
  id: number;
  account: string;
  repos: string[];
  permissions: Record<string, string>;
}

export interface TokenGrant {
  kind: 'installation' | 'pat';
  /** Who writes with it (comments, deployments). */
  actor: Actor;
  installationId?: number;
  /** Undefined: every repository. */
  repos?: string[];
  expiresAt?: string;
  /** Installation tokens: what the token may do (permissions.ts); undefined: anything. */
  permissions?: Record<string, string>;
}

export class FakeState {
  readonly repos = new Map<string, Repo>();
  readonly installations = new Map<number, Installation>();
  readonly tokens = new Map<string, TokenGrant>();
  readonly users = new Map<string, Actor>();
  readonly dispatches: Dispatch[] = [];
  /** Node id → what it names. */
  readonly nodes = new Map<
    string,
    { kind: 'PullRequest' | 'Issue'; repo: string; number: number }
  >();
  private nextId = 1000;

  id(): number {
    return ++this.nextId;
  }

  user(login: string, type: Actor['type'] = login.endsWith('[bot]') ? 'Bot' : 'User'): Actor {
    let u = this.users.get(login);
    if (!u) {
      u = { login, id: this.id(), type };
      this.users.set(login, u);
    }
    return u;
  }

  repo(fullName: string): Repo | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  /** Resolves a branch, tag, `heads/x`, `refs/heads/x` or (short) sha to a commit sha. */
  resolve(repo: Repo, ref: string): string | undefined {
    const candidates = ref.startsWith('refs/')
      ? [ref]
      : [`refs/${ref}`, `refs/heads/${ref}`, `refs/tags/${ref}`];
    for (const c of candidates) {
      const sha = repo.refs.get(c);
      if (sha) return sha;
    }
    if (/^[0-9a-f]{7,40}$/.test(ref)) {
      for (const sha of repo.commits.keys()) if (sha.startsWith(ref)) return sha;
    }
    return undefined;
  }
}

export function nodeId(prefix: string, id: number): string {
  return `${prefix}_kwDO${Buffer.from(String(id)).toString('base64url')}`;
}

export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
