import { NO_RETRY, statusOf, type BotOctokit, type RepoRef } from './bot-octokit.js';

export interface DispatchedRun {
  /** Present when the server returned run details (`return_run_details`). */
  runId?: number;
  runUrl?: string;
}

export interface WorkflowDispatcher {
  dispatch(options: {
    workflow: string;
    ref: string;
    inputs: Record<string, string>;
  }): Promise<DispatchedRun>;
}

/**
 * `POST .../actions/workflows/{workflow}/dispatches` asking for `return_run_details` (GitHub,
 * 2026-02). Servers that do not know the parameter answer 400/422: the dispatch is then sent
 * again without it (as gh-aw does), and the run link is the workflow's runs page.
 */
export function createWorkflowDispatcher(
  octokit: BotOctokit,
  where: RepoRef & { htmlUrl?: string },
): WorkflowDispatcher {
  return {
    async dispatch({ workflow, ref, inputs }) {
      const route = 'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches';
      const base = { owner: where.owner, repo: where.repo, workflow_id: workflow, ref, inputs };
      try {
        const res = await octokit.request(route, {
          ...base,
          return_run_details: true,
          ...NO_RETRY,
        });
        const data =
          res.status === 200 ? (res.data as { workflow_run_id?: number; html_url?: string }) : {};
        return { runId: data.workflow_run_id, runUrl: data.html_url ?? runsPage(where, workflow) };
      } catch (error) {
        const status = statusOf(error);
        if (status !== 400 && status !== 422) throw error;
        if (!mentionsRunDetails(error) && status === 422) throw error;
        await octokit.request(route, { ...base, ...NO_RETRY });
        return { runUrl: runsPage(where, workflow) };
      }
    },
  };
}

/** A 422 about inputs must not be retried: only one about the new parameter is. */
function mentionsRunDetails(error: unknown): boolean {
  return (
    error instanceof Error &&
    /return_run_details|not a permitted key|additional propert/i.test(error.message)
  );
}

function runsPage(where: RepoRef & { htmlUrl?: string }, workflow: string): string | undefined {
  return where.htmlUrl
    ? `${where.htmlUrl}/actions/workflows/${encodeURIComponent(workflow)}`
    : undefined;
}
