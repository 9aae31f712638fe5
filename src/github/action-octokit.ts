import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';

export type ActionOctokit = ReturnType<typeof getOctokit>;

/** The action's Octokit: GITHUB_TOKEN, GITHUB_API_URL (GHES or a fake), transient errors retried. */
export function createActionOctokit(options: {
  token: string;
  apiUrl: string;
  retries?: number;
}): ActionOctokit {
  return getOctokit(
    options.token,
    { baseUrl: options.apiUrl, request: { retries: options.retries ?? 2 } },
    retry,
  );
}

/** `owner/name` → { owner, repo }. */
export function parseRepository(repository: string): { owner: string; repo: string } {
  const [owner, repo, ...rest] = repository.split('/');
  if (!owner || !repo || rest.length)
    throw new Error(`GITHUB_REPOSITORY must be owner/name, got "${repository}"`);
  return { owner, repo };
}
