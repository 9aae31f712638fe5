import { CheckFailedError, ConfigError, EnvironmentError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { KubectlError, type Kubectl } from './kubectl.js';
import {
  ANNOTATION,
  conditionMessages,
  currentRelease,
  findContainer,
  imageForRelease,
  imagePatch,
  readLock,
  readRelease,
  releaseAnnotation,
  selectorSeparatesTracks,
  trackDeploymentName,
  type Deployment,
} from './kubernetes-manifests.js';
import { driftReport, planDeploy, promoteFromManifests } from './kubernetes-apply.js';
import type { ReleaseManifests } from './kubernetes-release-manifests.js';
import { kubernetesPodMetrics } from './kubernetes-pod-metrics.js';
import { takeStableLock, trackStatus, type Tracks } from './kubernetes-state.js';
import { canaryReplicas } from './replicas.js';
import type { DeployTarget, Release, TargetStatus } from './types.js';

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

  /** Deletes canary and baseline and releases the lock; returns problems instead of throwing. */
  async function removeCanary(unlock: boolean): Promise<string[]> {
    const problems: string[] = [];
    await kubectl
      .deleteDeployments([names.canary, names.baseline])
      .catch((e: unknown) => problems.push(errorMessage(e)));
    if (unlock) {
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

  async function setStable(stable: Deployment, release: Release): Promise<void> {
    const container = containerOf(stable);
    await kubectl.patch(
      names.stable,
      imagePatch(stable, container, imageForRelease(release), release.version),
    );
    await waitForRollouts([names.stable]);
  }

  /** After a failed change of stable: its earlier release again; says how that went. */
  async function putBack(stable: Deployment, release: Release): Promise<string> {
    try {
      await setStable(stable, release);
      return `stable put back on ${release.version}`;
    } catch (e) {
      return `putting stable back on ${release.image} failed too (${errorMessage(e)}); check ${where} by hand`;
    }
  }

  function isRolloutFailure(e: unknown): e is KubectlError {
    return e instanceof KubectlError && FAILED_ROLLOUT.has(e.reason);
  }

  return {
    status,

    async deployCanary(release, deployOptions = {}) {
      // The manifests are read and checked first: a mistake in them changes nothing.
      const manifests = await options.manifests?.();
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
      } catch (e) {
        const reason = isRolloutFailure(e) ? await explain(e) : errorMessage(e);
        const problems = await removeCanary(true);
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

    async promote() {
      const { stable, canary } = await read();
      if (!canary)
        throw new CheckFailedError(
          `no canary to promote: ${names.canary} does not exist; run deploy first`,
          'no_canary',
        );
      const container = containerOf(stable);
      const next = readRelease(canary) ?? currentRelease(canary, container);
      const promoted: Release = { ...next, image: findContainer(canary, container).image };
      const previous = currentRelease(stable, container);
      const manifests = await options.manifests?.();
      try {
        if (manifests) {
          const { namespace, timeoutMs } = options;
          await promoteFromManifests({
            kubectl,
            manifests,
            stable,
            canary,
            container,
            release: promoted,
            namespace,
            timeoutMs,
            log,
          });
        } else await setStable(stable, promoted);
      } catch (e) {
        if (!isRolloutFailure(e)) throw e;
        const reason = await explain(e);
        const back = await putBack(stable, previous);
        throw new CheckFailedError(
          `promotion of ${promoted.version} failed: ${reason}; ${back}, canary left in place (run rollback to remove it)`,
          'rollout_failed',
        );
      }
      await kubectl.annotate(names.stable, {
        set: {
          [ANNOTATION.release]: releaseAnnotation(promoted, now()),
          [ANNOTATION.previous]: releaseAnnotation(previous, now()),
        },
        remove: readLock(stable) ? [ANNOTATION.lock] : [],
      });
      await kubectl.deleteDeployments([names.canary, names.baseline]);
      return status();
    },

    async abort() {
      const { stable } = await read();
      const problems = await removeCanary(!!readLock(stable));
      if (problems.length)
        throw new CheckFailedError(
          `could not remove the canary: ${problems.join('; ')}`,
          'abort_failed',
        );
      return status();
    },

    async rollback(to) {
      const { stable, canary, baseline } = await read();
      if (canary || baseline || readLock(stable)) {
        const problems = await removeCanary(!!readLock(stable));
        if (problems.length)
          throw new CheckFailedError(
            `could not remove the canary: ${problems.join('; ')}`,
            'rollback_failed',
          );
      }
      const container = containerOf(stable);
      const from = currentRelease(stable, container);
      const target = to ?? readRelease(stable, ANNOTATION.previous);
      try {
        if (target) {
          log.info(
            `rolling ${names.stable} back from ${from.version} to ${target.version} (${imageForRelease(target)})`,
          );
          await setStable(stable, target);
        } else {
          log.info(`no previous release recorded on ${names.stable}: kubectl rollout undo`);
          await kubectl.rolloutUndo(names.stable);
          await waitForRollouts([names.stable]);
        }
      } catch (e) {
        if (!isRolloutFailure(e)) throw e;
        const reason = await explain(e);
        const back = await putBack(stable, from);
        throw new CheckFailedError(
          `rollback of ${names.stable} failed: ${reason}; ${back}`,
          'rollout_failed',
        );
      }
      const after = (await read()).stable;
      const landed = target
        ? { ...target, image: imageForRelease(target) }
        : currentRelease(after, container);
      await kubectl.annotate(names.stable, {
        set: {
          [ANNOTATION.release]: releaseAnnotation(landed, now()),
          [ANNOTATION.previous]: releaseAnnotation(from, now()),
        },
        // rollout undo restores the annotations the old ReplicaSet kept, a lock among them.
        remove: readLock(after) ? [ANNOTATION.lock] : [],
      });
      return status();
    },

    podMetrics: kubernetesPodMetrics({
      kubectl,
      namespace: options.namespace,
      deployments: { canary: names.canary, baseline: names.baseline },
    }),

    async dispose() {
      await options.dispose?.();
    },
  };
}
