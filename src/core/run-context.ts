// The typed GitHub context the CLI reads once (settings/github-context.ts), as plain data
// that stages and renderers share without reaching the input module.

/** What the job knows about GitHub, read from the runner's env (empty locally). */
export interface GitHubContext {
  actions: boolean;
  eventName?: string;
  sha?: string;
  ref?: string;
  refName?: string;
  /** The base branch of a pull request. */
  baseRef?: string;
  headRef?: string;
  defaultBranch?: string;
  repository?: string;
  serverUrl: string;
  apiUrl: string;
  runId?: string;
  runAttempt?: string;
  actor?: string;
  token?: string;
  pullRequestNumber?: number;
  workspace?: string;
  outputFile?: string;
  summaryFile?: string;
}

/** The run's page; with the attempt, the page whose Summary shows this attempt's job summaries. */
export function runUrl(ctx: GitHubContext): string | undefined {
  if (!ctx.repository || !ctx.runId) return undefined;
  const run = `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}`;
  return ctx.runAttempt ? `${run}/attempts/${ctx.runAttempt}` : run;
}
