import { existsSync, readFileSync } from 'node:fs';
import type { GitHubContext } from '../core/run-context.js';

export { runUrl, type GitHubContext } from '../core/run-context.js';

export function readGitHubContext(env: Record<string, string | undefined>): GitHubContext {
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const pr = (event.pull_request as { number?: number } | undefined)?.number;
  const repository = event.repository as { default_branch?: string } | undefined;
  return {
    actions: env.GITHUB_ACTIONS === 'true',
    eventName: env.GITHUB_EVENT_NAME || undefined,
    sha: env.GITHUB_SHA || undefined,
    ref: env.GITHUB_REF || undefined,
    refName: env.GITHUB_REF_NAME || undefined,
    baseRef: env.GITHUB_BASE_REF || undefined,
    headRef: env.GITHUB_HEAD_REF || undefined,
    defaultBranch: repository?.default_branch,
    repository: env.GITHUB_REPOSITORY || undefined,
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    runId: env.GITHUB_RUN_ID || undefined,
    runAttempt: env.GITHUB_RUN_ATTEMPT || undefined,
    actor: env.GITHUB_ACTOR || undefined,
    // The action's github-token input (default github.token); GITHUB_TOKEN for the CLI.
    token: env['INPUT_GITHUB-TOKEN']?.trim() || env.GITHUB_TOKEN || undefined,
    pullRequestNumber: typeof pr === 'number' ? pr : undefined,
    workspace: env.GITHUB_WORKSPACE || undefined,
    outputFile: env.GITHUB_OUTPUT || undefined,
    summaryFile: env.GITHUB_STEP_SUMMARY || undefined,
  };
}

function readEvent(path: string | undefined): Record<string, unknown> {
  if (!path || !existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    // A malformed event file is the runner's problem, not the user's; the context stays partial.
    return {};
  }
}
