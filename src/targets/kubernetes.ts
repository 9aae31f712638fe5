import { CheckFailedError, ConfigError, EnvironmentError, errorMessage } from '../core/errors.js';
import { formatDuration } from '../core/duration.js';
import type { Logger } from '../core/log.js';
import { KubectlError, type Kubectl } from './kubectl.js';
import {
  ANNOTATION,
  cloneForTrack,
  conditionMessages,
  currentRelease,
  findContainer,
  imageForRelease,
  isRolledOut,
  lockAnnotation,
  lockIsStale,
  readLock,
  readRelease,
  selectorSeparatesTracks,
  trackDeploymentName,
  type Deployment,
} from './kubernetes-manifests.js';
import { readGate, readOperation } from './kubernetes-journal.js';
import * as transactions from './kubernetes-transactions.js';
import type { KubernetesSteps } from './kubernetes-transactions.js';
import { canaryReplicas } from './replicas.js';
import type { DeployTarget, TargetStatus, Track, TrackStatus } from './types.js';

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
  /** Removes what the options made (a temporary kubeconfig). */
  dispose?: () => Promise<void>;
}

interface Tracks {
  stable: Deployment;
  canary?: Deployment;
  baseline?: Deployment;
}

const FAILED_ROLLOUT = new Set(['rollout_failed']);
/** Tries to take the lock while stable changes under us (its status, by the controller). */
const LOCK_ATTEMPTS = 3;

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

  function statusOf(tracks: Tracks): TargetStatus {
    const container = containerOf(tracks.stable);
    const track = (name: Track, d: Deployment | undefined): TrackStatus[] =>
      d
        ? [
            {
              track: name,
              release:
                name === 'stable'
                  ? currentRelease(d, container)
                  : (readRelease(d) ?? currentRelease(d, container)),
              ready: isRolledOut(d),
              replicas: d.spec.replicas ?? 1,
              ...(name === 'canary' && readRelease(d)?.time
                ? { deployedAt: readRelease(d)?.time }
                : {}),
            },
          ]
        : [];
    const lock = readLock(tracks.stable);
    const gate = tracks.canary && readGate(tracks.canary);
    const op = readOperation(tracks.stable);
    return {
      tracks: [
        ...track('stable', tracks.stable),
        ...track('baseline', tracks.baseline),
        ...track('canary', tracks.canary),
      ],
      ...(options.frontUrl ? { frontUrl: options.frontUrl } : {}),
      ...(lock ? { lock } : {}),
      ...(gate ? { gate } : {}),
      ...(op ? { interrupted: { operation: op.operation, version: op.version } } : {}),
      ...(op
        ? {
            warnings: [
              `a ${op.operation} of ${op.version} by ${op.holder} (since ${op.since}) was interrupted; the next deploy, promote or rollback finishes it first`,
            ],
          }
        : {}),
    };
  }

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

  /**
   * Reads stable and takes the lock on it, only if stable is unchanged since the read, so
   * two deploys cannot both take it. A conflict with no lock in sight (the controller
   * updating stable's status) is retried on a fresh read. Returns stable as read.
   */
  async function takeLock(force: boolean): Promise<Deployment> {
    for (let attempt = 1; ; attempt += 1) {
      const { stable } = await read();
      const held = readLock(stable);
      if (held) {
        const stale = lockIsStale(held, now(), options.timeoutMs);
        if (!force || !stale) {
          throw new CheckFailedError(
            `a canary is already out on ${where}: locked by ${held.holder} since ${held.since}; wait for it to be promoted or rolled back${stale ? ', or run again with --force' : `, or run with --force once the lock is older than deploy.timeout (${formatDuration(options.timeoutMs)})`}`,
            'locked',
            { holder: held.holder, since: held.since },
          );
        }
        log.warn(
          `breaking the lock of ${held.holder} (since ${held.since}, older than deploy.timeout) because of --force`,
        );
      }
      const lock = { holder: options.holder, since: now().toISOString() };
      try {
        await kubectl.annotate(names.stable, {
          set: { [ANNOTATION.lock]: lockAnnotation(lock) },
          resourceVersion: stable.metadata.resourceVersion,
        });
        return stable;
      } catch (e) {
        if (!(e instanceof KubectlError && e.reason === 'conflict')) throw e;
        if (attempt >= LOCK_ATTEMPTS) {
          throw new CheckFailedError(
            `${where} kept changing while taking the lock (${LOCK_ATTEMPTS} attempts); run status and try again`,
            'locked',
          );
        }
      }
    }
  }

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
  };

  return {
    status,

    async deployCanary(release, deployOptions = {}) {
      await transactions.recover(steps);
      const stable = await takeLock(deployOptions.force ?? false);
      const container = containerOf(stable);
      const replicas = canaryReplicas(stable.spec.replicas ?? 1, options.canaryPercent);
      if (!selectorSeparatesTracks(stable)) {
        log.warn(
          `${where}: its selector has no track=stable, so its ReplicaSets may count canary and baseline pods; add track: stable to its selector and pod labels`,
        );
      }
      const time = now().toISOString();
      const canary = cloneForTrack({
        stable,
        track: 'canary',
        container,
        image: imageForRelease(release),
        replicas,
        release: { ...release, time },
      });
      const stableRelease = currentRelease(stable, container);
      const stableImage = findContainer(stable, container).image;
      const baseline = cloneForTrack({
        stable,
        track: 'baseline',
        container,
        image: stableImage,
        replicas,
        release: { ...stableRelease, time },
      });
      log.info(
        `canary ${release.version} (${imageForRelease(release)}) and baseline ${stableRelease.version}: ${replicas} replica(s) each beside ${stable.spec.replicas ?? 1} stable`,
      );
      try {
        await kubectl.apply([canary, baseline]);
        await waitForRollouts([names.canary, names.baseline]);
      } catch (e) {
        const reason = isRolloutFailure(e) ? await explain(e) : errorMessage(e);
        const problems = await removeCanary(true);
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

    async recordVerdict(record) {
      await transactions.recordVerdict(steps, record);
    },

    async liveness() {
      return transactions.liveness(steps);
    },

    async dispose() {
      await options.dispose?.();
    },
  };
}
