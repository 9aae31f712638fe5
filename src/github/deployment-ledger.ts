import type { Release } from '../core/release.js';
import type { BotOctokit, RepoRef } from './bot-octokit.js';
import { payloadVersion } from './ledger-payload.js';
import type { ShippedPullRequest } from './revert-pull-request.js';

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
  /** The pull request that shipped the sha, read with the ledger: null when none; undefined when not read. */
  shippedBy?: ShippedPullRequest | null;
}

/** A release as the ledger recorded it: which deployment, since when, of which commit. */
export interface LedgerRelease extends Pick<Release, 'sha'>, Partial<Pick<Release, 'version'>> {
  deploymentId: number;
  /** When the deployment was created: alerts that started before it are not its fault. */
  createdAt: string;
  since: string;
  /** See LedgerEntry.shippedBy. */
  shippedBy?: ShippedPullRequest | null;
}

export interface Releases {
  /** The newest successful deployment: what is live. */
  live: LedgerRelease | undefined;
  /** The last successful deployment before it, of another commit: the rollback target. */
  lastGood: LedgerRelease | undefined;
  /** Node id of the repository's revert label (read with the ledger), if the label exists. */
  revertLabelId?: string;
}

/**
 * Pure: live is the newest entry whose newest status is success; the last good release is
 * the next older one that succeeded (its newest status is success, or inactive because a
 * later success replaced it, as `auto_inactive` does) with a different sha.
 * Entries are newest first.
 */
export function chooseReleases(entries: readonly LedgerEntry[]): Releases & { complete: boolean } {
  let live: LedgerRelease | undefined;
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

function toRelease(e: LedgerEntry): LedgerRelease {
  return {
    deploymentId: e.deploymentId,
    sha: e.sha,
    createdAt: e.createdAt,
    since: e.stateAt ?? e.createdAt,
    version: e.version,
    ...(e.shippedBy !== undefined ? { shippedBy: e.shippedBy } : {}),
  };
}

export interface DeploymentLedger {
  releases(environment: string): Promise<Releases>;
  /** Distinct shas of the environment's newest deployments, newest first. */
  recentShas(environment: string, count: number): Promise<string[]>;
}

const LEDGER_QUERY = /* GraphQL */ `
  query (
    $owner: String!
    $name: String!
    $environment: String!
    $first: Int!
    $after: String
    $label: String!
  ) {
    repository(owner: $owner, name: $name) {
      url
      label(name: $label) {
        id
      }
      defaultBranchRef {
        name
      }
      deployments(
        environments: [$environment]
        orderBy: { field: CREATED_AT, direction: DESC }
        first: $first
        after: $after
      ) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          databaseId
          commitOid
          createdAt
          payload
          latestStatus {
            state
            createdAt
          }
          commit {
            associatedPullRequests(first: 10) {
              nodes {
                id
                number
                title
                url
                merged
                baseRefName
              }
            }
          }
        }
      }
    }
  }
`;

interface AssociatedPull {
  id: string;
  number: number;
  title: string;
  url: string;
  merged: boolean;
  baseRefName: string;
}

interface LedgerPage {
  repository: {
    url: string;
    label: { id: string } | null;
    defaultBranchRef: { name: string } | null;
    deployments: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: ({
        databaseId: number | null;
        commitOid: string;
        createdAt: string;
        payload: string | null;
        latestStatus: { state: string; createdAt: string } | null;
        commit: { associatedPullRequests: { nodes: (AssociatedPull | null)[] } | null } | null;
      } | null)[];
    };
  } | null;
}

/** Deployments per page; live and last good are nearly always among the newest few. */
const PAGE_SIZE = 30;
/** Pages read at most when no live or last good release is found (an odd ledger). */
const MAX_PAGES = 4;

/**
 * Reads the ledger with one GraphQL query: the environment's deployments newest first, each
 * with its newest status (REST would need a request per deployment for that). Another page is
 * read only while live and last good are not both found.
 */
export function createDeploymentLedger(
  octokit: BotOctokit,
  where: RepoRef,
  options: { revertLabel?: string | undefined } = {},
): DeploymentLedger {
  async function page(environment: string, first: number, after: string | null) {
    const res = await octokit.graphql<LedgerPage>(LEDGER_QUERY, {
      owner: where.owner,
      name: where.repo,
      environment,
      first,
      after,
      // No label asked for: an empty name, which names no label (null).
      label: options.revertLabel ?? '',
    });
    const repository = res.repository;
    if (!repository) return { entries: [], next: null, labelId: undefined };
    const { deployments } = repository;
    const entries = deployments.nodes.flatMap((d): LedgerEntry[] =>
      d
        ? [
            {
              deploymentId: d.databaseId ?? 0,
              sha: d.commitOid,
              createdAt: d.createdAt,
              // GraphQL enums are upper case; the ledger (and REST) speaks lower case.
              state: d.latestStatus?.state.toLowerCase(),
              stateAt: d.latestStatus?.createdAt,
              version: payloadVersion(d.payload),
              // Unknown (undefined) when GitHub did not answer for the commit: read it later.
              shippedBy: d.commit?.associatedPullRequests
                ? shippedBy(repository, d.commit.associatedPullRequests.nodes)
                : undefined,
            },
          ]
        : [],
    );
    const next = deployments.pageInfo.hasNextPage ? deployments.pageInfo.endCursor : null;
    return { entries, next, labelId: repository.label?.id };
  }

  return {
    async recentShas(environment, count) {
      const { entries } = await page(environment, Math.min(100, count * 3), null);
      return [...new Set(entries.map((e) => e.sha))].slice(0, count);
    },
    async releases(environment) {
      const entries: LedgerEntry[] = [];
      let after: string | null = null;
      let revertLabelId: string | undefined;
      for (let i = 0; i < MAX_PAGES; i++) {
        const read = await page(environment, PAGE_SIZE, after);
        revertLabelId ??= read.labelId;
        entries.push(...read.entries);
        if (chooseReleases(entries).complete || !read.next) break;
        after = read.next;
      }
      const { live, lastGood } = chooseReleases(entries);
      return { live, lastGood, ...(revertLabelId ? { revertLabelId } : {}) };
    },
  };
}

/** As `commits/{sha}/pulls` is read for a revert: the merged pull request, else the first. */
function shippedBy(
  repository: NonNullable<LedgerPage['repository']>,
  nodes: readonly (AssociatedPull | null)[],
): ShippedPullRequest | null {
  const pulls = nodes.filter((p): p is AssociatedPull => p !== null);
  const pr = pulls.find((p) => p.merged) ?? pulls[0];
  if (!pr) return null;
  return {
    number: pr.number,
    nodeId: pr.id,
    title: pr.title,
    url: pr.url,
    merged: pr.merged,
    defaultBranch: repository.defaultBranchRef?.name ?? pr.baseRefName,
    repoUrl: repository.url,
  };
}
