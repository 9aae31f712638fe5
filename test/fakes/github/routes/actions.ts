// Workflows: dispatch (with and without `return_run_details`) and the runs it creates.
import {
  HttpError,
  notFound,
  paginate,
  repoOf,
  unprocessable,
  type RouteHandler,
  type RouteRequest,
  type RouteResponse,
} from '../http.js';
import { nodeId, now, type Dispatch, type Repo, type Workflow } from '../state.js';
import { userView } from '../views.js';

interface DispatchBody {
  ref: string;
  inputs?: Record<string, unknown>;
  return_run_details?: boolean;
}

/** `workflow_id` is the numeric id or the file name (`rollback.yml`). */
function workflowOf(req: RouteRequest, repo: Repo): Workflow {
  const key = req.params.workflow_id ?? '';
  const byName = repo.workflows.get(key.replace(/^\.github\/workflows\//, ''));
  const wf = byName ?? [...repo.workflows.values()].find((w) => String(w.id) === key);
  if (!wf) throw notFound();
  return wf;
}

function runUrls(
  req: RouteRequest,
  repo: Repo,
  runId: number,
): { run_url: string; html_url: string } {
  return {
    run_url: `${req.urls.api}/repos/${repo.fullName}/actions/runs/${runId}`,
    html_url: `${req.urls.html}/${repo.fullName}/actions/runs/${runId}`,
  };
}

export const actionRoutes: Record<string, RouteHandler> = {
  'actions/create-workflow-dispatch': (req) => {
    const repo = repoOf(req);
    const wf = workflowOf(req, repo);
    const body = req.body as DispatchBody;
    if (req.options.rejectReturnRunDetails && body.return_run_details !== undefined) {
      // What a server without the 2026-02 parameter says about an unknown key.
      throw new HttpError(422, 'Invalid request.\n\n"return_run_details" is not a permitted key.');
    }
    if (!req.state.resolve(repo, body.ref)) throw unprocessable(`No ref found for: ${body.ref}`);
    const inputs = body.inputs ?? {};
    if (wf.inputs) {
      const unexpected = Object.keys(inputs).filter((k) => !(k in (wf.inputs ?? {})));
      if (unexpected.length)
        throw unprocessable(`Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
      const missing = Object.entries(wf.inputs).find(
        ([k, v]) => v.required && inputs[k] === undefined,
      );
      if (missing) throw unprocessable(`Required input '${missing[0]}' not provided`);
    }
    const runId = req.state.id();
    req.state.dispatches.push({
      repo: repo.fullName,
      workflow: wf.path.split('/').pop() ?? wf.path,
      workflowId: wf.id,
      ref: body.ref,
      inputs,
      returnRunDetails: body.return_run_details === true,
      runId,
      actor: req.grant.actor.login,
      at: now(),
    });
    if (body.return_run_details !== true) return { status: 204 };
    return { status: 200, body: { workflow_run_id: runId, ...runUrls(req, repo, runId) } };
  },

  'actions/get-workflow': (req) => {
    const repo = repoOf(req);
    const wf = workflowOf(req, repo);
    return {
      status: 200,
      body: {
        id: wf.id,
        node_id: wf.nodeId,
        name: wf.name,
        path: wf.path,
        state: 'active',
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
        url: `${req.urls.api}/repos/${repo.fullName}/actions/workflows/${wf.id}`,
        html_url: `${req.urls.html}/${repo.fullName}/blob/${repo.defaultBranch}/${wf.path}`,
        badge_url: `${req.urls.html}/${repo.fullName}/workflows/${encodeURIComponent(wf.name)}/badge.svg`,
      },
    };
  },

  'actions/get-workflow-run': (req) => {
    const repo = repoOf(req);
    const d = req.state.dispatches.find(
      (x) => x.runId === Number(req.params.run_id) && x.repo === repo.fullName,
    );
    if (!d) throw notFound();
    return { status: 200, body: runView(req, repo, d) };
  },

  'actions/list-workflow-runs': (req) => {
    const repo = repoOf(req);
    const wf = workflowOf(req, repo);
    return listRuns(req, repo, (d) => d.workflowId === wf.id);
  },

  'actions/list-workflow-runs-for-repo': (req) => {
    const repo = repoOf(req);
    return listRuns(req, repo, () => true);
  },
};

/** Runs exist only for dispatches (event workflow_dispatch, status queued), newest first. */
function listRuns(req: RouteRequest, repo: Repo, keep: (d: Dispatch) => boolean): RouteResponse {
  const q = req.query;
  const eventOk = !q.get('event') || q.get('event') === 'workflow_dispatch';
  const statusOk = !q.get('status') || q.get('status') === 'queued';
  const runs = req.state.dispatches
    .filter((d) => eventOk && statusOk && d.repo === repo.fullName && keep(d))
    .filter((d) => !q.get('branch') || d.ref === q.get('branch'))
    .filter((d) => !q.get('actor') || d.actor === q.get('actor'))
    .filter((d) => !q.get('head_sha') || req.state.resolve(repo, d.ref) === q.get('head_sha'))
    .sort((a, b) => b.runId - a.runId);
  const page = paginate(req, runs);
  return {
    status: 200,
    headers: page.headers,
    body: { total_count: runs.length, workflow_runs: page.items.map((d) => runView(req, repo, d)) },
  };
}

function runView(req: RouteRequest, repo: Repo, d: Dispatch): Record<string, unknown> {
  const urls = runUrls(req, repo, d.runId);
  const short = { id: repo.id, node_id: repo.nodeId, name: repo.name, full_name: repo.fullName };
  return {
    id: d.runId,
    node_id: nodeId('WFR', d.runId),
    name: d.workflow,
    path: `.github/workflows/${d.workflow}`,
    workflow_id: d.workflowId,
    head_branch: d.ref,
    head_sha: req.state.resolve(repo, d.ref) ?? '',
    event: 'workflow_dispatch',
    status: 'queued',
    conclusion: null,
    run_number: d.runId,
    run_attempt: 1,
    display_title: d.workflow,
    created_at: d.at,
    updated_at: d.at,
    url: urls.run_url,
    html_url: urls.html_url,
    actor: userView(req.state.user(d.actor), req.urls),
    triggering_actor: userView(req.state.user(d.actor), req.urls),
    repository: short,
    head_repository: short,
    head_commit: null,
    pull_requests: [],
  };
}
