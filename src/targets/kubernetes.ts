import { CheckFailedError, ConfigError, EnvironmentError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { KubectlError, type Kubectl } from './kubectl.js';
import {
  ANNOTATION,
  conditionMessages,
  findContainer,
  imageForRelease,
  readRelease,
  selectorSeparatesTracks,
  trackDeploymentName,
  type Deployment,
} from './kubernetes-manifests.js';
import { applyPromotedManifests, driftReport, planDeploy, restorable } from './kubernetes-apply.js';
import type { ReleaseManifests } from './kubernetes-release-manifests.js';
import { kubernetesPodMetrics } from './kubernetes-pod-metrics.js';
import { takeStableLock, trackStatus, type Tracks } from './kubernetes-state.js';
import * as transactions from './kubernetes-transactions.js';
import type { KubernetesSteps } from './kubernetes-transactions.js';
import type { RouteNames } from './kubernetes-route.js';
import { setTrafficShare } from './kubernetes-share.js';
import { createRouteTraffic } from './kubernetes-traffic.js';
import { canaryReplicas } from './replicas.js';
import type { DeployTarget, TargetStatus } from './types.js';

export interface KubernetesTargetOptions {
  kubectl: Kubectl;
  /** The stable Deployment's name; canary and baseline are `<name>-canary`, `<name>-baseline`. */
  deployment: string;
  namespace: string;
  container?: string;
  canaryPercent: number;
  /** deploy.timeout: how long each rollout may take, and the age at which --force may break a lock. */
  timeoutMs: number;
  /** Who holds the lock while a canary is out (a workflow run, or user@host). */
  holder: string;
  /** Where users reach the Service (deploy.url), reported as the status's frontUrl. */
  frontUrl?: string;
  log: Logger;
  now?: () => Date;
  /** Where kubectl reads its kubeconfig from, when not from the environment (for messages and tests). */
  kubeconfig?: string;
  /** The team's manifests (deploy.kubernetes.manifests), read and checked; absent: clone stable. */
  manifests?: () => Promise<ReleaseManifests>;
  /** traffic gateway-api: the HTTPRoute split by weights, and its stable Service; absent: by replicas. */
  route?: RouteNames;
  /** Removes what the options made (a temporary kubeconfig). */
  dispose?: () => Promise<void>;
}

const FAILED_ROLLOUT = new Set(['rollout_failed']);

/** Canary and baseline Deployments beside a stable one, through the real kubectl. */
export function createKubernetesTarget(options: KubernetesTargetOptions): DeployTarget {
  const { kubectl, log } = options;
  const now = options.now ?? (() => new Date());
  const names = {
    stable: options.deployment,
    canary: trackDeploymentName(options.deployment, 'canary'),
    baseline: trackDeploymentName(options.deployment, 'baseline'),
  };
  const where = `deployment ${names.stable} in namespace ${options.namespace}`;

  async function read(): Promise<Tracks> {
    const found = await kubectl.getDeployments([names.stable, names.canary, names.baseline]);
    const byName = (name: string) => found.find((d) => d.metadata.name === name);
    const stable = byName(names.stable);
    if (!stable) {
      throw new ConfigError([
        `deploy.kubernetes: ${where} not found; create it first (for the example: kubectl apply -k k8s) or fix deploy.kubernetes.deployment / namespace`,
      ]);
    }
    return { stable, canary: byName(names.canary), baseline: byName(names.baseline) };
  }

  const containerOf = (d: Deployment) => findContainer(d, options.container).name;

  const statusOf = (tracks: Tracks): TargetStatus =>
    trackStatus(tracks, containerOf(tracks.stable), options.frontUrl);

  async function status(): Promise<TargetStatus> {
    return statusOf(await read());
  }

  /**
   * Deletes canary and baseline, then releases the lock, only once both are gone (a canary
   * left serving keeps its lock). Returns problems instead of throwing.
   */
  async function removeCanary(unlock: boolean): Promise<string[]> {
    const problems: string[] = [];
    await kubectl
      .deleteDeployments([names.canary, names.baseline])
      .catch((e: unknown) => problems.push(errorMessage(e)));
    if (unlock && problems.length === 0) {
      await kubectl
        .annotate(names.stable, { remove: [ANNOTATION.lock] })
        .catch((e: unknown) => problems.push(errorMessage(e)));
    }
    return problems;
  }

  const takeLock = (force: boolean): Promise<Deployment> =>
    takeStableLock({
      kubectl,
      deployment: names.stable,
      holder: options.holder,
      timeoutMs: options.timeoutMs,
      read: async () => (await read()).stable,
      log,
      where,
      force,
      now,
    });

  /** Waits for every rollout (none left running), then fails with kubectl's reasons. */
  async function waitForRollouts(deployments: string[]): Promise<void> {
    const results = await Promise.allSettled(
      deployments.map((name) => kubectl.rolloutStatus(name, options.timeoutMs)),
    );
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length > 0) throw failures[0];
  }

  /** Why a rollout failed, in kubectl's words, with the Deployment's conditions when they say more. */
  async function explain(e: unknown): Promise<string> {
    const said = errorMessage(e);
    const name = e instanceof KubectlError ? e.deployment : undefined;
    if (!name) return said;
    // Best effort: without the conditions the message still has kubectl's reason.
    const found = await kubectl.getDeployments([name]).catch(() => []);
    const conditions = found[0] ? conditionMessages(found[0]) : [];
    return conditions.length ? `${said} (${conditions.join('; ')})` : said;
  }

  function isRolloutFailure(e: unknown): e is KubectlError {
    return e instanceof KubectlError && FAILED_ROLLOUT.has(e.reason);
  }

  const traffic = options.route && createRouteTraffic({ kubectl, names: options.route, log });
  const loadManifests = options.manifests;
  const steps: KubernetesSteps = {
    kubectl,
    log,
    now,
    holder: options.holder,
    names,
    read,
    containerOf,
    waitForRollouts,
    isRolloutFailure,
    explain,
    ...(traffic && { traffic }),
    ...(loadManifests && {
      manifests: {
        // Read and checked before anything is applied: a mistake in them changes nothing.
        promote: async ({ stable, canary, release, annotations }) =>
          applyPromotedManifests({
            kubectl,
            manifests: await loadManifests(),
            canary,
            container: containerOf(stable),
            release,
            namespace: options.namespace,
            annotations,
            log,
          }),
        restore: (stable) => kubectl.apply([restorable(stable)]),
      },
    }),
  };

  return {
    status,

    async deployCanary(release, deployOptions = {}) {
      // The manifests are read and checked first: a mistake in them changes nothing.
      const manifests = await options.manifests?.();
      // So is the route (and the cluster's consent to change it): a dry run on the server.
      await traffic?.check(options.canaryPercent);
      await transactions.recover(steps);
      const stable = await takeLock(deployOptions.force ?? false);
      const container = containerOf(stable);
      const replicas = canaryReplicas(stable.spec.replicas ?? 1, options.canaryPercent);
      if (!selectorSeparatesTracks(stable)) {
        log.warn(
          `${where}: its selector has no track=stable, so its ReplicaSets may count canary and baseline pods; add track: stable to its selector and pod labels`,
        );
      }
      if (manifests) for (const drift of driftReport(stable)) log.warn(drift);
      const image = imageForRelease(release);
      const time = now().toISOString();
      const plan = await planDeploy({
        kubectl,
        stable,
        manifests,
        container,
        image,
        release: { ...release, time },
        replicas,
        namespace: options.namespace,
      }).catch(async (e: unknown) => {
        await removeCanary(true);
        throw e;
      });
      const { canary, baseline } = plan;
      log.info(
        `canary ${release.version} (${image}${manifests ? `, from ${manifests.model.file}` : ''}) and baseline ${readRelease(baseline)?.version ?? '?'}: ${replicas} replica(s) each beside ${stable.spec.replicas ?? 1} stable`,
      );
      try {
        if (plan.create.length > 0) await kubectl.apply(plan.create);
        await kubectl.apply([canary, baseline]);
        await waitForRollouts([names.canary, names.baseline]);
        await traffic?.split(options.canaryPercent);
      } catch (e) {
        const reason = isRolloutFailure(e) ? await explain(e) : errorMessage(e);
        // The route first: it must not send to backends about to go.
        const routeProblems: string[] = [];
        await traffic?.restore().catch((err: unknown) => routeProblems.push(errorMessage(err)));
        // A route still split keeps the lock: rollback finishes it.
        const problems = [...routeProblems, ...(await removeCanary(routeProblems.length === 0))];
        // What this deploy created for the canary goes too: the cluster is as before.
        await kubectl
          .deleteObjects(plan.create)
          .catch((err: unknown) => problems.push(errorMessage(err)));
        const cleanup = problems.length
          ? `; cleanup failed, remove ${names.canary} and ${names.baseline} by hand: ${problems.join('; ')}`
          : '; canary and baseline removed, stable untouched';
        if (isRolloutFailure(e)) {
          throw new CheckFailedError(
            `canary ${release.version} failed: ${reason}${cleanup}`,
            'rollout_failed',
            { kubectl: e.kubectlMessage },
          );
        }
        // The cluster refused or could not be reached: an environment problem (exit 3).
        if (e instanceof EnvironmentError) {
          throw new EnvironmentError(
            `canary ${release.version} could not be applied: ${reason}${cleanup}`,
            e.reason,
            e.details,
          );
        }
        throw e;
      }
      return status();
    },

    async promote(promoteOptions = {}) {
      const forced = await transactions.promote(steps, promoteOptions);
      return { ...(await status()), ...(forced ? { forced } : {}) };
    },

    async abort() {
      await transactions.abort(steps);
      return status();
    },

    async rollback(to) {
      await transactions.rollback(steps, to);
      return status();
    },

    async setTrafficShare(percent) {
      await setTrafficShare(steps, percent);
      return status();
    },

    async recordVerdict(record) {
      await transactions.recordVerdict(steps, record);
    },

    async liveness() {
      return transactions.liveness(steps);
    },

    podMetrics: kubernetesPodMetrics({
      kubectl,
      namespace: options.namespace,
      deployments: { canary: names.canary, baseline: names.baseline, stable: names.stable },
    }),

    async dispose() {
      await options.dispose?.();
    },
  };
}
