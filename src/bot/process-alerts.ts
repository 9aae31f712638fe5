import type { Logger } from 'pino';
import { isTransient, type RepoRef } from '../github/bot-octokit.js';
import { createConversations } from '../github/comments.js';
import { createWorkflowDispatcher } from '../github/dispatch.js';
import { createIncidentRefs } from '../github/incident-lock.js';
import { createPullRequestReverter } from '../github/revert-pull-request.js';
import { incidentMessage } from '../notify/incident-message.js';
import type { SlackClient } from '../notify/slack-client.js';
import type { DeliveryOutcome } from './alerts/intake.js';
import type { Alert } from './alerts/types.js';
import { actionName, refComponent } from './incident/keys.js';
import { missingWorkflowBody } from './incident/messages.js';
import type { IncidentMemory } from './incident/memory.js';
import {
  groupAlerts,
  isStale,
  predatesRelease,
  splitByAction,
  type ActionGroup,
  type AlertGroup,
  type AlertMapping,
} from './incident/plan.js';
import { resolveIncidentOutcome } from './incident/outcome.js';
import {
  runFiringIncident,
  type IncidentContext,
  type IncidentResult,
} from './incident/run-incident.js';
import { runResolvedIncident } from './incident/resolve-incident.js';
import type { LedgerRelease } from '../github/deployment-ledger.js';
import type { RepositoryContexts, RepositoryServices } from './repository-context.js';

export interface AlertProcessorOptions {
  contexts: RepositoryContexts;
  mapping: AlertMapping;
  memory: IncidentMemory<IncidentResult>;
  /** Missing-workflow notices this process has made or seen (not asked again). */
  noticed: Set<string>;
  leaseMs: number;
  slack: SlackClient | undefined;
  log: Pick<Logger, 'info' | 'warn' | 'debug' | 'error'>;
  now?: () => number;
}

type Result = Record<string, unknown> & { retry?: boolean; failed?: boolean };

/** Alerts → incidents: groups them by repository and environment and acts on each group. */
export function createAlertProcessor(options: AlertProcessorOptions) {
  return async (_source: string, alerts: Alert[]): Promise<DeliveryOutcome> => {
    const { groups, unmapped } = groupAlerts(alerts, options.mapping);
    if (unmapped > 0) {
      options.log.warn(
        { unmapped, label: options.mapping.repositoryLabel },
        'alerts without a repository label ignored',
      );
    }
    const results = (await Promise.all(groups.map((g) => handleGroup(options, g)))).flat();
    if (unmapped > 0) results.push({ outcome: 'unmapped', alerts: unmapped });
    return {
      retry: results.some((r) => r.retry),
      failed: results.some((r) => r.failed),
      results: results.map(({ retry: _r, failed: _f, ...rest }) => rest),
    };
  };
}

async function handleGroup(options: AlertProcessorOptions, group: AlertGroup): Promise<Result[]> {
  const where: RepoRef = { owner: group.owner, repo: group.repo };
  const repository = `${group.owner}/${group.repo}`;
  try {
    const services = await options.contexts.get(where);
    if (!services) {
      options.log.warn(
        { repository },
        'the app is not installed on this repository; alerts ignored',
      );
      return [{ repository, outcome: 'not-installed' }];
    }
    if (!services.config.ok && services.config.missing) {
      options.log.info(
        { repository },
        'the repository has not opted in (no config file); alerts ignored',
      );
      return [{ repository, outcome: 'ignored', reason: 'not_opted_in' }];
    }
    if (!services.config.ok) {
      options.log.error(
        { repository, problems: services.config.problems },
        'invalid bot config; alerts ignored',
      );
      return [{ repository, outcome: 'invalid-config', problems: services.config.problems }];
    }
    const config = services.config.config;
    const environment = group.environment ?? config.defaultEnvironment;
    const actions = splitByAction(group.alerts, config);
    return await Promise.all(actions.map((a) => handleAction(options, services, environment, a)));
  } catch (error) {
    return [failure(options, { repository, environment: group.environment }, error)];
  }
}

async function handleAction(
  options: AlertProcessorOptions,
  services: RepositoryServices,
  environment: string,
  group: ActionGroup,
): Promise<Result> {
  const repository = `${services.where.owner}/${services.where.repo}`;
  const base = { repository, environment, action: actionName(group.action) };
  const ctx = incidentContext(options, services);
  try {
    if (group.status === 'resolved') {
      const shas = await services.recentShas(environment, 3);
      const r = await runResolvedIncident(
        ctx,
        { ...services.where, environment, action: group.action },
        shas,
        group.alerts,
      );
      return { ...base, ...resolveIncidentOutcome(r) };
    }
    const firing = group.alerts.filter((a) => a.status === 'firing');
    let { live, lastGood, revertLabelId } = await services.releases(environment);
    // A cached ledger may predate a new release: never call an alert stale without a fresh read.
    if (!live || firing.every((a) => isStale(a, live as LedgerRelease))) {
      ({ live, lastGood, revertLabelId } = await services.releases(environment, { fresh: true }));
    }
    if (!live) {
      options.log.warn(base, 'no successful deployment of this environment; nothing to roll back');
      return { ...base, outcome: 'no-live-release' };
    }
    const current = firing.filter((a) => !isStale(a, live));
    if (current.length === 0) {
      options.log.info(
        { ...base, live: live.sha },
        'stale alert: it names a release that is not live; no action',
      );
      return { ...base, outcome: 'stale', live: live.sha };
    }
    // A replayed or long-firing alert that started before this release cannot be its fault.
    const fresh = current.filter((a) => !predatesRelease(a, live));
    if (fresh.length === 0) {
      options.log.info(
        { ...base, live: live.sha },
        'alert started before the live release; no action',
      );
      return { ...base, outcome: 'ignored', reason: 'alert_predates_release', live: live.sha };
    }
    const workflow =
      group.action.kind === 'rollback'
        ? services.config.ok && services.config.config.rollbackWorkflow
        : group.action.workflow;
    const ref = await services.dispatchRef();
    if (workflow && !(await services.workflowPresent(workflow, ref))) {
      return {
        ...base,
        ...(await reportMissingWorkflow(options, services, { workflow, ref, sha: live.sha })),
      };
    }
    const key = { ...services.where, environment, sha: live.sha, action: group.action };
    const r = await runFiringIncident(ctx, {
      key,
      alerts: fresh,
      live,
      lastGood,
      ...(revertLabelId ? { revertLabelId } : {}),
    });
    return {
      ...base,
      outcome: r.outcome,
      live: live.sha,
      revert: r.revert,
      retry: r.outcome === 'busy',
    };
  } catch (error) {
    return failure(options, base, error);
  }
}

/**
 * The repository opted in but the workflow its config names is not on the dispatch ref:
 * nothing is written for the incident; one issue says so (a ref per workflow and ref makes it
 * once across replicas and repeats). Answered 200: the sender's retries cannot fix it.
 */
async function reportMissingWorkflow(
  options: AlertProcessorOptions,
  services: RepositoryServices,
  missing: { workflow: string; ref: string; sha: string },
): Promise<Result> {
  const name = `model-delivery/notices/missing-workflow/${refComponent(missing.workflow)}/${refComponent(missing.ref)}`;
  const outcome = { outcome: 'ignored', reason: 'workflow_missing' };
  if (options.noticed.has(`${services.where.owner}/${services.where.repo}/${name}`)) return outcome;
  const refs = createIncidentRefs(services.octokit, services.where);
  if ((await refs.create(name, missing.sha)) === 'created') {
    const config = services.config.ok ? services.config.config : undefined;
    await createConversations(services.octokit, services.where).openIssue({
      title: `model-delivery: workflow ${missing.workflow} is missing on ${missing.ref}`,
      body: missingWorkflowBody(missing.workflow, missing.ref),
      labels: config ? [config.labels.incident] : [],
    });
  }
  options.noticed.add(`${services.where.owner}/${services.where.repo}/${name}`);
  options.log.warn(
    { repository: `${services.where.owner}/${services.where.repo}`, workflow: missing.workflow },
    'rollback workflow missing; alerts not acted on',
  );
  return outcome;
}

function failure(
  options: AlertProcessorOptions,
  base: Record<string, unknown>,
  error: unknown,
): Result {
  const transient = isTransient(error);
  const err = error instanceof Error ? error.message.slice(0, 200) : String(error);
  options.log[transient ? 'warn' : 'error'](
    { ...base, err },
    transient ? 'incident step failed; will retry' : 'incident failed',
  );
  // A permanent failure (a missing workflow, refused inputs) is not retried at once: the sender
  // gets 422 and delivers again at its repeat interval, when this process resumes the incident.
  return { ...base, outcome: 'error', error: err, retry: transient, failed: !transient };
}

function incidentContext(
  options: AlertProcessorOptions,
  services: RepositoryServices,
): IncidentContext {
  const { octokit, where } = services;
  const config = services.config.ok ? services.config.config : undefined;
  if (!config) throw new Error('unreachable: config checked before');
  const slack = options.slack;
  return {
    github: {
      refs: createIncidentRefs(octokit, where),
      reverter: createPullRequestReverter(octokit, where),
      dispatcher: createWorkflowDispatcher(octokit, where),
      conversations: createConversations(octokit, where),
    },
    memory: options.memory,
    config,
    workflowRef: () => services.dispatchRef(),
    notify: slack
      ? async (facts, revert) => {
          const repoUrl = (await services.info().catch(() => undefined))?.htmlUrl;
          const first = facts.alerts[0];
          await slack.post(
            incidentMessage({
              repository: `${where.owner}/${where.repo}`,
              environment: facts.key.environment,
              alertNames: [...new Set(facts.alerts.map((a) => a.labels.alertname ?? 'alert'))],
              summary: first?.annotations.summary,
              liveSha: facts.live.sha,
              targetSha: facts.lastGood?.sha,
              revert:
                revert && repoUrl
                  ? {
                      kind: revert.kind,
                      url: `${repoUrl}/${revert.kind === 'pr' ? 'pull' : 'issues'}/${revert.number}`,
                    }
                  : undefined,
              runUrl: facts.run?.runUrl,
            }),
          );
        }
      : undefined,
    log: options.log,
    leaseMs: options.leaseMs,
    now: options.now ?? Date.now,
  };
}
