import type { ProbotOctokit } from 'probot';

/** The two Octokit methods the bot's slices use; tests pass an Octokit pointed at the fake. */
export type BotOctokit = Pick<InstanceType<typeof ProbotOctokit>, 'request' | 'graphql'>;

export interface RepoRef {
  owner: string;
  repo: string;
}

/** For calls that must not be repeated blindly (they create something): no automatic retry. */
export const NO_RETRY = { request: { retries: 0 } } as const;

/** The HTTP status of an Octokit error, when it has one. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error) {
    const s = (error as { status: unknown }).status;
    return typeof s === 'number' ? s : undefined;
  }
  return undefined;
}

/**
 * Errors worth a retry later: server errors, rate limits (403 with retry-after or a rate
 * message, 429) and network failures (no status).
 */
export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status === undefined) return true;
  if (status >= 500 || status === 429 || status === 408) return true;
  if (status === 403) {
    const message = error instanceof Error ? error.message : '';
    return /rate limit|abuse/i.test(message) || hasRetryAfter(error);
  }
  return false;
}

function hasRetryAfter(error: unknown): boolean {
  const headers = (error as { response?: { headers?: Record<string, unknown> } }).response?.headers;
  return headers !== undefined && headers['retry-after'] !== undefined;
}
