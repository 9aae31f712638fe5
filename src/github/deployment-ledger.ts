import type { BotOctokit, RepoRef } from './bot-octokit.js';

/** One deployment of the ledger with the state of its newest status. */
export interface LedgerEntry {
  deploymentId: number;
  sha: string;
  createdAt: string;
  /** Newest status state (success, failure, inactive, …), or undefined without statuses. */
  state: string | undefined;
  /** When that status was set. */
  stateAt: string | undefined;
  /** `payload.version` or `payload.image` as the deploy stage recorded them. */
  version: string | undefined;
}

export interface Release {
  deploymentId: number;
  sha: string;
  since: string;
  version: string | undefined;
}

export interface Releases {
  /** The newest successful deployment: what is live. */
  live: Release | undefined;
  /** The last successful deployment before it, of another commit: the rollback target. */
  lastGood: Release | undefined;
}

/**
 * Pure: live is the newest entry whose newest status is success; the last good release is
 * the next older one that succeeded (its newest status is success, or inactive because a
 * later success replaced it, as `auto_inactive` does) with a different sha.
 * Entries are newest first.
 */
export function chooseReleases(entries: readonly LedgerEntry[]): Releases & { complete: boolean } {
  let live: Release | undefined;
  for (const e of entries) {
    if (!live) {
      if (e.state === 'success') live = toRelease(e);
      continue;
    }
    if ((e.state === 'success' || e.state === 'inactive') && e.sha !== live.sha) {
      return { live, lastGood: toRelease(e), complete: true };
    }
  }
  return { live, lastGood: undefined, complete: false };
}

function toRelease(e: LedgerEntry): Release {
  return {
    deploymentId: e.deploymentId,
    sha: e.sha,
    since: e.stateAt ?? e.createdAt,
    version: e.version,
  };
}

export interface DeploymentLedger {
  releases(environment: string): Promise<Releases>;
  /** Distinct shas of the environment's newest deployments, newest first. */
  recentShas(environment: string, count: number): Promise<string[]>;
}

/**
 * Reads the ledger over REST: the environment's deployments (newest first), then the newest
 * status of each until live and last good are known (usually the first two, read together).
 */
export function createDeploymentLedger(octokit: BotOctokit, where: RepoRef): DeploymentLedger {
  return {
    async recentShas(environment, count) {
      const res = await octokit.request('GET /repos/{owner}/{repo}/deployments', {
        ...where,
        environment,
        per_page: Math.min(100, count * 3),
      });
      return [...new Set(res.data.map((d) => d.sha))].slice(0, count);
    },
    async releases(environment) {
      const res = await octokit.request('GET /repos/{owner}/{repo}/deployments', {
        ...where,
        environment,
        per_page: 30,
      });
      const entry = async (d: (typeof res.data)[number]): Promise<LedgerEntry> => {
        const statuses = await octokit.request(
          'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
          { ...where, deployment_id: Number(d.id), per_page: 1 },
        );
        const newest = statuses.data[0];
        return {
          deploymentId: Number(d.id),
          sha: d.sha,
          createdAt: d.created_at,
          state: newest?.state,
          stateAt: newest?.created_at,
          version: payloadVersion(d.payload),
        };
      };
      // Usually live and last good are the two newest: read those two at once, then one by one.
      const entries = await Promise.all(res.data.slice(0, 2).map(entry));
      for (const d of res.data.slice(2)) {
        const chosen = chooseReleases(entries);
        if (chosen.complete) return chosen;
        entries.push(await entry(d));
      }
      return chooseReleases(entries);
    },
  };
}

function payloadVersion(payload: unknown): string | undefined {
  let p = payload;
  if (typeof p === 'string') {
    try {
      p = JSON.parse(p);
    } catch {
      return undefined;
    }
  }
  if (typeof p !== 'object' || p === null) return undefined;
  const { version, image } = p as { version?: unknown; image?: unknown };
  if (typeof version === 'string') return version;
  return typeof image === 'string' ? image : undefined;
}
