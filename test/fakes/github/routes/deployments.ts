// Deployments and deployment statuses: the ledger of what is live.
import {
  intParam,
  notFound,
  pagedList,
  repoOf,
  unprocessable,
  type RouteHandler,
  type RouteRequest,
} from '../http.js';
import { nodeId, now, type Deployment, type DeploymentStatus, type Repo } from '../state.js';
import { deploymentStatusView, deploymentView } from '../views.js';

interface CreateDeploymentBody {
  ref: string;
  task?: string;
  auto_merge?: boolean;
  required_contexts?: string[];
  payload?: Record<string, unknown> | string;
  environment?: string;
  description?: string | null;
  transient_environment?: boolean;
  production_environment?: boolean;
}

interface CreateStatusBody {
  state: string;
  target_url?: string;
  log_url?: string;
  description?: string;
  environment?: string;
  environment_url?: string;
  auto_inactive?: boolean;
}

function deploymentOf(req: RouteRequest, repo: Repo): Deployment {
  const d = repo.deployments.get(intParam(req, 'deployment_id'));
  if (!d) throw notFound();
  return d;
}

/** A JSON string payload is stored parsed, as GitHub returns it as an object. */
function normalisePayload(payload: CreateDeploymentBody['payload']): Deployment['payload'] {
  if (typeof payload !== 'string') return payload ?? {};
  try {
    const parsed: unknown = JSON.parse(payload);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : payload;
  } catch {
    return payload;
  }
}

export function createDeployment(
  req: Pick<RouteRequest, 'state' | 'grant'>,
  repo: Repo,
  body: CreateDeploymentBody,
): Deployment {
  const sha = req.state.resolve(repo, body.ref);
  if (!sha) throw unprocessable(`No ref found for: ${body.ref}`);
  const environment = body.environment ?? 'production';
  const id = req.state.id();
  const at = now();
  const deployment: Deployment = {
    id,
    nodeId: nodeId('DE', id),
    sha,
    ref: body.ref,
    task: body.task ?? 'deploy',
    payload: normalisePayload(body.payload),
    environment,
    originalEnvironment: environment,
    description: body.description ?? null,
    transient: body.transient_environment ?? false,
    production: body.production_environment ?? environment === 'production',
    creator: req.grant.actor,
    createdAt: at,
    updatedAt: at,
    statuses: [],
  };
  repo.deployments.set(id, deployment);
  return deployment;
}

export const deploymentRoutes: Record<string, RouteHandler> = {
  'repos/create-deployment': (req) => {
    const repo = repoOf(req);
    const d = createDeployment(req, repo, req.body as CreateDeploymentBody);
    return { status: 201, body: deploymentView(d, repo, req.urls) };
  },

  'repos/list-deployments': (req) => {
    const repo = repoOf(req);
    const q = req.query;
    const all = [...repo.deployments.values()]
      .filter((d) => !q.get('sha') || d.sha === q.get('sha'))
      .filter((d) => !q.get('ref') || d.ref === q.get('ref'))
      .filter((d) => !q.get('task') || d.task === q.get('task'))
      .filter((d) => !q.get('environment') || d.environment === q.get('environment'))
      .sort((a, b) => b.id - a.id);
    return pagedList(req, all, (d) => deploymentView(d, repo, req.urls));
  },

  'repos/get-deployment': (req) => {
    const repo = repoOf(req);
    return { status: 200, body: deploymentView(deploymentOf(req, repo), repo, req.urls) };
  },

  'repos/delete-deployment': (req) => {
    const repo = repoOf(req);
    const d = deploymentOf(req, repo);
    const sameEnv = [...repo.deployments.values()].filter((x) => x.environment === d.environment);
    if (d.statuses.at(-1)?.state !== 'inactive' && sameEnv.length > 1) {
      throw unprocessable(
        'We cannot delete an active deployment unless it is the only deployment in a given environment.',
      );
    }
    repo.deployments.delete(d.id);
    return { status: 204 };
  },

  'repos/create-deployment-status': (req) => {
    const repo = repoOf(req);
    const d = deploymentOf(req, repo);
    const body = req.body as CreateStatusBody;
    if ((body.description ?? '').length > 140) {
      throw unprocessable('Validation Failed', [
        {
          resource: 'DeploymentStatus',
          field: 'description',
          code: 'custom',
          message: 'description is too long (maximum is 140 characters)',
        },
      ]);
    }
    const status = addStatus(req, d, {
      state: body.state,
      description: body.description ?? '',
      environment: body.environment ?? d.environment,
      logUrl: body.log_url ?? body.target_url ?? '',
      environmentUrl: body.environment_url ?? '',
    });
    if (body.environment) d.environment = body.environment;
    if (status.state === 'success' && (body.auto_inactive ?? true)) autoInactivate(req, repo, d);
    return {
      status: 201,
      headers: {
        location: `${req.urls.api}/repos/${repo.fullName}/deployments/${d.id}/statuses/${status.id}`,
      },
      body: deploymentStatusView(status, d, repo, req.urls),
    };
  },

  'repos/list-deployment-statuses': (req) => {
    const repo = repoOf(req);
    const d = deploymentOf(req, repo);
    return pagedList(req, [...d.statuses].reverse(), (s) =>
      deploymentStatusView(s, d, repo, req.urls),
    );
  },

  'repos/get-deployment-status': (req) => {
    const repo = repoOf(req);
    const d = deploymentOf(req, repo);
    const s = d.statuses.find((x) => x.id === intParam(req, 'status_id'));
    if (!s) throw notFound();
    return { status: 200, body: deploymentStatusView(s, d, repo, req.urls) };
  },
};

function addStatus(
  req: Pick<RouteRequest, 'state' | 'grant'>,
  d: Deployment,
  s: Pick<DeploymentStatus, 'state' | 'description' | 'environment' | 'logUrl' | 'environmentUrl'>,
  automatic = false,
): DeploymentStatus {
  const id = req.state.id();
  const status: DeploymentStatus = {
    ...s,
    id,
    nodeId: nodeId('DES', id),
    creator: req.grant.actor,
    createdAt: now(),
    automatic,
  };
  d.statuses.push(status);
  d.updatedAt = status.createdAt;
  return status;
}

/**
 * `auto_inactive` (default true): "Adds a new inactive status to all prior non-transient,
 * non-production environment deployments with the same repository and environment name …
 * only added to deployments that had a success state." RouteOptions.autoInactive chooses
 * whether production environments are included too.
 */
function autoInactivate(req: RouteRequest, repo: Repo, current: Deployment): void {
  const mode = req.options.autoInactive;
  if (mode === 'off') return;
  for (const d of repo.deployments.values()) {
    if (d.id >= current.id || d.environment !== current.environment || d.transient) continue;
    if (mode === 'documented' && d.production) continue;
    const latest = d.statuses.at(-1);
    if (latest?.state !== 'success') continue;
    addStatus(
      req,
      d,
      {
        state: 'inactive',
        description: '',
        environment: d.environment,
        logUrl: '',
        environmentUrl: '',
      },
      true,
    );
  }
}
