import { NO_RETRY, statusOf, type BotOctokit, type RepoRef } from './bot-octokit.js';

export interface ShippedPullRequest {
  number: number;
  nodeId: string;
  title: string;
  url: string;
  merged: boolean;
  /** The repository's default branch and web address, from the pull request's base. */
  defaultBranch: string;
  repoUrl: string;
}

export interface CreatedPullRequest {
  number: number;
  nodeId: string;
  url: string;
  headSha: string;
}

/** Reverting the pull request that shipped a commit. */
export interface PullRequestReverter {
  /** The merged pull request that introduced `sha` (commits/{sha}/pulls), if any. */
  shippedBy(sha: string): Promise<ShippedPullRequest | undefined>;
  /** GraphQL `revertPullRequest`; `refused` when GitHub will not revert it. */
  revert(options: {
    pullRequestId: string;
    title: string;
    body: string;
  }): Promise<CreatedPullRequest | 'refused'>;
  addLabels(issueNumber: number, labels: string[]): Promise<void>;
}

const REVERT_MUTATION = /* GraphQL */ `
  mutation ($input: RevertPullRequestInput!) {
    revertPullRequest(input: $input) {
      revertPullRequest {
        id
        number
        url
        headRefOid
      }
    }
  }
`;

interface RevertResponse {
  revertPullRequest: {
    revertPullRequest: { id: string; number: number; url: string; headRefOid: string } | null;
  } | null;
}

export function createPullRequestReverter(
  octokit: BotOctokit,
  where: RepoRef,
): PullRequestReverter {
  return {
    async shippedBy(sha) {
      const res = await octokit.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', {
        ...where,
        commit_sha: sha,
        per_page: 10,
      });
      const pr = res.data.find((p) => p.merged_at) ?? res.data[0];
      if (!pr) return undefined;
      return {
        number: pr.number,
        nodeId: pr.node_id,
        title: pr.title,
        url: pr.html_url,
        merged: Boolean(pr.merged_at),
        defaultBranch: pr.base.repo.default_branch ?? pr.base.ref,
        repoUrl: pr.base.repo.html_url,
      };
    },
    async revert({ pullRequestId, title, body }) {
      try {
        const res = await octokit.graphql<RevertResponse>(REVERT_MUTATION, {
          input: { pullRequestId, title, body },
          ...NO_RETRY,
        });
        const created = res.revertPullRequest?.revertPullRequest;
        return created
          ? {
              number: created.number,
              nodeId: created.id,
              url: created.url,
              headSha: created.headRefOid,
            }
          : 'refused';
      } catch (error) {
        // A GraphQL error (HTTP 200 with `errors`) has no status: GitHub refused the revert.
        if (isGraphqlRefusal(error)) return 'refused';
        throw error;
      }
    },
    async addLabels(issueNumber, labels) {
      await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
        ...where,
        issue_number: issueNumber,
        labels,
      });
    },
  };
}

function isGraphqlRefusal(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as { name?: string }).name === 'GraphqlResponseError') return true;
  const status = statusOf(error);
  return status === 422;
}
