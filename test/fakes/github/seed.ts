// Helpers that put the fake's world in place, so a test reads as its setup.
import { randomBytes } from 'node:crypto';
import type { RouteOptions } from './http.js';
import { createDeployment } from './routes/deployments.js';
import { addComment, openIssue } from './routes/issues.js';
import { openPull } from './routes/pulls.js';
import {
  fakeSha,
  nodeId,
  now,
  type Comment,
  type Commit,
  type Deployment,
  type FakeState,
  type Issue,
  type Permission,
  type Repo,
  type Workflow,
} from './state.js';

export interface RepoSeed {
  defaultBranch?: string;
  /** Files of the first commit on the default branch: path → text. */
  files?: Record<string, string>;
  private?: boolean;
}

export interface CommitSeed {
  message?: string;
  /** Changes from the parent: path → text, or null to delete. */
  files?: Record<string, string | null>;
  /** Move this branch to the new commit (created from the default branch when missing). */
  branch?: string;
  /** Default: the branch head, or the default branch head. */
  parents?: string[];
  sha?: string;
  author?: string;
}

export interface PullRequestSeed {
  number?: number;
  title?: string;
  body?: string;
  /** Head branch name (default `feature-<n>`); created if missing. */
  head?: string;
  base?: string;
  headSha?: string;
  author?: string;
  labels?: string[];
  draft?: boolean;
  /** Merged into `base`: a merge commit is made there unless `mergeCommitSha` is given. */
  merged?: boolean;
  mergeCommitSha?: string;
  /** Files the pull request changes (default a file named after it). */
  files?: Record<string, string | null>;
  /** False: GraphQL revertPullRequest refuses it (as on a conflict). */
  revertable?: boolean;
  state?: 'open' | 'closed';
}

export interface DeploymentSeed {
  ref: string;
  environment?: string;
  task?: string;
  payload?: Record<string, unknown>;
  description?: string;
  transient?: boolean;
  production?: boolean;
  /** Status states, oldest first (e.g. ['in_progress', 'success']). No auto_inactive here. */
  statuses?: string[];
  creator?: string;
}

export class Seeder {
  constructor(
    readonly state: FakeState,
    readonly behaviour: RouteOptions,
  ) {}

  addRepo(fullName: string, seed: RepoSeed = {}): Repo {
    const [owner, name] = fullName.split('/');
    if (!owner || !name) throw new Error(`repository must be owner/name, got ${fullName}`);
    const id = this.state.id();
    const repo: Repo = {
      owner,
      name,
      fullName,
      id,
      nodeId: nodeId('R', id),
      private: seed.private ?? false,
      defaultBranch: seed.defaultBranch ?? 'main',
      commits: new Map(),
      refs: new Map(),
      issues: new Map(),
      comments: new Map(),
      deployments: new Map(),
      workflows: new Map(),
      permissions: new Map(),
      labels: new Set(),
    };
    this.state.repos.set(fullName.toLowerCase(), repo);
    const first = this.commitIn(repo, {
      message: 'Initial commit',
      files: seed.files ?? {},
      parents: [],
    });
    repo.refs.set(`refs/heads/${repo.defaultBranch}`, first.sha);
    return repo;
  }

  addCommit(fullName: string, seed: CommitSeed = {}): Commit {
    const repo = this.repoOrThrow(fullName);
    const branchRef = seed.branch ? `refs/heads/${seed.branch}` : undefined;
    const defaultHead = repo.refs.get(`refs/heads/${repo.defaultBranch}`);
    const parentSha = (branchRef && repo.refs.get(branchRef)) ?? defaultHead;
    const commit = this.commitIn(repo, {
      ...seed,
      parents: seed.parents ?? (parentSha ? [parentSha] : []),
    });
    if (branchRef) repo.refs.set(branchRef, commit.sha);
    return commit;
  }

  /** Creates (or moves) a branch; default: at the default branch head. */
  addBranch(fullName: string, branch: string, sha?: string): string {
    const repo = this.repoOrThrow(fullName);
    const target = sha ?? repo.refs.get(`refs/heads/${repo.defaultBranch}`);
    if (!target || !repo.commits.has(target))
      throw new Error(`unknown commit ${String(target)} in ${fullName}`);
    repo.refs.set(`refs/heads/${branch}`, target);
    return target;
  }

  addInstallation(
    id: number,
    repos: string[],
    o: { account?: string; permissions?: Record<string, string> } = {},
  ): void {
    const account = o.account ?? repos[0]?.split('/')[0] ?? 'fake-org';
    this.state.installations.set(id, {
      id,
      account,
      repos: repos.map((r) => this.repoOrThrow(r).fullName),
      permissions: o.permissions ?? {
        contents: 'write',
        pull_requests: 'write',
        issues: 'write',
        actions: 'write',
        deployments: 'read',
        metadata: 'read',
      },
    });
  }

  /** An installation token, as `POST /app/installations/{id}/access_tokens` would give. */
  installationToken(installationId: number): string {
    const inst = this.state.installations.get(installationId);
    if (!inst) throw new Error(`no installation ${installationId}`);
    const token = `ghs_${randomBytes(18).toString('base64url')}`;
    this.state.tokens.set(token, {
      kind: 'installation',
      actor: this.state.user(`${this.behaviour.appSlug}[bot]`, 'Bot'),
      installationId,
      repos: inst.repos.map((r) => r.toLowerCase()),
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      permissions: { ...inst.permissions },
    });
    return token;
  }

  /** A PAT / GITHUB_TOKEN. Default identity `github-actions[bot]`; `repos` limits it. */
  addToken(token: string, o: { login?: string; repos?: string[] } = {}): void {
    this.state.tokens.set(token, {
      kind: 'pat',
      actor: this.state.user(o.login ?? 'github-actions[bot]'),
      repos: o.repos?.map((r) => r.toLowerCase()),
    });
  }

  setPermission(fullName: string, login: string, permission: Permission): void {
    this.repoOrThrow(fullName).permissions.set(login.toLowerCase(), permission);
    this.state.user(login);
  }

  addWorkflow(
    fullName: string,
    file: string,
    o: { name?: string; inputs?: Workflow['inputs']; onDefaultBranch?: boolean } = {},
  ): Workflow {
    const repo = this.repoOrThrow(fullName);
    // As on GitHub, a workflow is a file in the repository: committed to the default branch
    // unless the test models one that exists on no branch (`onDefaultBranch: false`).
    const head = repo.refs.get(`refs/heads/${repo.defaultBranch}`);
    const path = `.github/workflows/${file}`;
    if (o.onDefaultBranch !== false && !(head && repo.commits.get(head)?.files[path] !== undefined))
      this.addCommit(fullName, {
        message: `Add ${file}`,
        files: { [path]: `name: ${o.name ?? file}\non: workflow_dispatch\n` },
        branch: repo.defaultBranch,
      });
    const id = this.state.id();
    const wf: Workflow = {
      id,
      nodeId: nodeId('W', id),
      path: `.github/workflows/${file}`,
      name: o.name ?? file,
      inputs: o.inputs,
    };
    repo.workflows.set(file, wf);
    return wf;
  }

  addIssue(
    fullName: string,
    o: { title: string; body?: string; labels?: string[]; author?: string },
  ): Issue {
    const repo = this.repoOrThrow(fullName);
    return openIssue(this.state, repo, { ...o, user: this.state.user(o.author ?? 'octocat') });
  }

  addComment(
    fullName: string,
    issueNumber: number,
    body: string,
    o: { author?: string } = {},
  ): Comment {
    const repo = this.repoOrThrow(fullName);
    const issue = repo.issues.get(issueNumber);
    if (!issue) throw new Error(`no issue #${issueNumber} in ${fullName}`);
    return addComment(this.state, repo, issue, body, this.state.user(o.author ?? 'octocat'));
  }

  /** A pull request with its head commit; `merged: true` also makes the merge commit on base. */
  addPullRequest(fullName: string, seed: PullRequestSeed = {}): Issue {
    const repo = this.repoOrThrow(fullName);
    const number = seed.number ?? Math.max(0, ...repo.issues.keys()) + 1;
    const base = seed.base ?? repo.defaultBranch;
    const head = seed.head ?? `feature-${number}`;
    const baseSha = repo.refs.get(`refs/heads/${base}`);
    if (!baseSha) throw new Error(`no branch ${base} in ${fullName}`);
    const files = seed.files ?? { [`changes/pr-${number}.txt`]: `change ${number}\n` };
    const headSha =
      seed.headSha ??
      (repo.refs.get(`refs/heads/${head}`) && !seed.files
        ? (repo.refs.get(`refs/heads/${head}`) as string)
        : this.addCommit(fullName, {
            branch: head,
            message: seed.title ?? `Change ${number}`,
            files,
          }).sha);
    if (!repo.refs.has(`refs/heads/${head}`)) repo.refs.set(`refs/heads/${head}`, headSha);
    let mergeCommitSha = seed.mergeCommitSha ?? null;
    if (seed.merged && !mergeCommitSha) {
      const merge = this.addCommit(fullName, {
        branch: base,
        parents: [baseSha, headSha],
        message: `Merge pull request #${number} from ${repo.owner}/${head}`,
        files,
      });
      mergeCommitSha = merge.sha;
    }
    const issue = openPull(this.state, repo, {
      number,
      title: seed.title ?? `Change ${number}`,
      body: seed.body ?? null,
      user: this.state.user(seed.author ?? 'octocat'),
      labels: seed.labels,
      pull: {
        headRef: head,
        headSha,
        baseRef: base,
        baseSha,
        draft: seed.draft ?? false,
        merged: seed.merged ?? false,
        mergedAt: seed.merged ? now() : null,
        mergeCommitSha,
        commits: [headSha],
        revertable: seed.revertable ?? true,
      },
    });
    if (seed.state === 'closed') {
      issue.state = 'closed';
      issue.closedAt = now();
    }
    return issue;
  }

  /** A deployment as the ledger would have written it, with its statuses. */
  addDeployment(fullName: string, seed: DeploymentSeed): Deployment {
    const repo = this.repoOrThrow(fullName);
    const grant = {
      kind: 'pat' as const,
      actor: this.state.user(seed.creator ?? 'github-actions[bot]'),
    };
    const d = createDeployment({ state: this.state, grant }, repo, {
      ref: seed.ref,
      environment: seed.environment,
      task: seed.task,
      payload: seed.payload,
      description: seed.description,
      transient_environment: seed.transient,
      production_environment: seed.production,
    });
    for (const state of seed.statuses ?? []) {
      const id = this.state.id();
      d.statuses.push({
        id,
        nodeId: nodeId('DES', id),
        state,
        description: '',
        environment: d.environment,
        logUrl: '',
        environmentUrl: '',
        creator: grant.actor,
        createdAt: now(),
        automatic: false,
      });
    }
    return d;
  }

  // Readers, for assertions.

  repo(fullName: string): Repo {
    return this.repoOrThrow(fullName);
  }

  pullRequests(fullName: string): Issue[] {
    return [...this.repoOrThrow(fullName).issues.values()].filter((i) => i.pull);
  }

  issues(fullName: string): Issue[] {
    return [...this.repoOrThrow(fullName).issues.values()].filter((i) => !i.pull);
  }

  comments(fullName: string, issueNumber: number): Comment[] {
    return [...this.repoOrThrow(fullName).comments.values()].filter(
      (c) => c.issueNumber === issueNumber,
    );
  }

  /** Newest first, as the API lists them. */
  deployments(fullName: string, environment?: string): Deployment[] {
    return [...this.repoOrThrow(fullName).deployments.values()]
      .filter((d) => !environment || d.environment === environment)
      .sort((a, b) => b.id - a.id);
  }

  /** The sha a ref (`heads/main`, `refs/heads/x`, `main`) points at, or undefined. */
  refSha(fullName: string, ref: string): string | undefined {
    return this.state.resolve(this.repoOrThrow(fullName), ref);
  }

  private repoOrThrow(fullName: string): Repo {
    const repo = this.state.repo(fullName);
    if (!repo) throw new Error(`the GitHub fake has no repository ${fullName} (addRepo first)`);
    return repo;
  }

  private commitIn(repo: Repo, seed: CommitSeed & { parents: string[] }): Commit {
    const parent = seed.parents[0] ? repo.commits.get(seed.parents[0]) : undefined;
    const files: Record<string, string> = { ...(parent?.files ?? {}) };
    for (const [path, text] of Object.entries(seed.files ?? {})) {
      if (text === null) delete files[path];
      else files[path] = text;
    }
    const commit: Commit = {
      sha:
        seed.sha ??
        fakeSha(
          `${repo.fullName}:${repo.commits.size}:${seed.message ?? ''}:${JSON.stringify(files)}`,
        ),
      message: seed.message ?? `Commit ${repo.commits.size + 1}`,
      parents: seed.parents,
      files,
      author: seed.author ?? 'octocat',
      date: now(),
    };
    repo.commits.set(commit.sha, commit);
    return commit;
  }
}
