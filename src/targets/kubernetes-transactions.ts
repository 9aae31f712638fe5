import { CheckFailedError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { checkEvidence, type GateRecord, type PromoteOptions } from './evidence.js';
import type { Kubectl } from './kubectl.js';
import { restorable } from './kubernetes-apply.js';
import {
  JOURNAL_ANNOTATION,
  canaryOf,
  nextPrevious,
  operationAnnotation,
  readGate,
  readOperation,
  type KubernetesOperation,
  type OperationRecord,
} from './kubernetes-journal.js';
import {
  ANNOTATION,
  currentRelease,
  findContainer,
  imageForRelease,
  imagePatch,
  parseJson,
  readLock,
  readRelease,
  releaseAnnotation,
  type Deployment,
} from './kubernetes-manifests.js';
import type { RouteTraffic } from './kubernetes-traffic.js';
import type { Liveness, Release } from './types.js';

/**
 * Promote, rollback and abort on the kubernetes target as transactions. Stable's image and
 * the release records (release, previous, operation) change in ONE patch, so the cluster
 * never holds a new image without the journal naming the operation; the lock and the
 * journal are removed only by the last step, after canary and baseline are gone. The next
 * command finishes an operation it finds in the journal before doing its own (recover).
 * docs/deploy.md lists the steps.
 */
export interface KubernetesSteps {
  kubectl: Kubectl;
  log: Logger;
  now: () => Date;
  holder: string;
  names: { stable: string; canary: string; baseline: string };
  read(): Promise<{ stable: Deployment; canary?: Deployment; baseline?: Deployment }>;
  containerOf(d: Deployment): string;
  waitForRollouts(names: string[]): Promise<void>;
  isRolloutFailure(e: unknown): boolean;
  explain(e: unknown): Promise<string>;
  /**
   * With deploy.kubernetes.manifests: applies the manifests' stable (the other objects first)
   * with the given annotations, and puts stable's spec back as read after a failed rollout.
   */
  manifests?: {
    promote(input: {
      stable: Deployment;
      canary: Deployment;
      release: Release;
      annotations: Record<string, string>;
    }): Promise<void>;
    restore(stable: Deployment): Promise<void>;
  };
  /** With traffic gateway-api: the route's split (kubernetes-traffic.ts). */
  traffic?: RouteTraffic;
}

interface StableChange {
  to: Release;
  previous?: Release;
  operation?: KubernetesOperation;
  /** The spec stable ran before (full-spec changes only); absent: the record is left as it is. */
  previousSpec?: Deployment['spec'];
}

/** Stable's new release, the previous one and the journal entry (null: removed). */
function releaseRecords(k: KubernetesSteps, change: StableChange): Record<string, string | null> {
  const record: OperationRecord | undefined = change.operation && {
    operation: change.operation,
    version: change.to.version,
    holder: k.holder,
    since: k.now().toISOString(),
  };
  return {
    [ANNOTATION.release]: releaseAnnotation(change.to, k.now()),
    [ANNOTATION.previous]: change.previous ? releaseAnnotation(change.previous, k.now()) : null,
    [JOURNAL_ANNOTATION.operation]: record ? operationAnnotation(record) : null,
    ...(change.previousSpec && {
      [ANNOTATION.previousSpec]: JSON.stringify(change.previousSpec),
    }),
  };
}

/** The records as annotations for a server-side apply (one leaves out what it removes). */
function appliedRecords(k: KubernetesSteps, change: StableChange): Record<string, string> {
  return Object.fromEntries(
    Object.entries(releaseRecords(k, change)).filter((e): e is [string, string] => e[1] !== null),
  );
}

/**
 * The spec stable ran with `release`, recorded by the manifest promote that replaced it;
 * undefined when none is recorded or it ran another image (an older record).
 */
function recordedSpec(
  stable: Deployment,
  container: string,
  release: Release,
): Deployment['spec'] | undefined {
  const parsed = parseJson(stable.metadata.annotations?.[ANNOTATION.previousSpec]);
  const spec = parsed as Deployment['spec'] | undefined;
  const containers: unknown = spec?.template?.spec?.containers;
  // Written by someone else in another shape: no record to trust.
  if (!Array.isArray(containers)) return undefined;
  const image = (containers as Deployment['spec']['template']['spec']['containers']).find(
    (c) => c.name === container,
  )?.image;
  return image === imageForRelease(release) ? spec : undefined;
}

/** Stable's new release, the previous one and the journal entry, with the image, in one patch. */
function stablePatch(k: KubernetesSteps, stable: Deployment, change: StableChange): object {
  const container = k.containerOf(stable);
  const patch = imagePatch(stable, container, imageForRelease(change.to), change.to.version);
  return { ...patch, metadata: { annotations: releaseRecords(k, change) } };
}

/**
 * The last step: the route back on stable alone (before its backends go), canary and
 * baseline gone, then lock and journal removed together.
 */
async function closeOut(k: KubernetesSteps): Promise<void> {
  await k.traffic?.restore();
  await k.kubectl.deleteDeployments([k.names.canary, k.names.baseline]);
  const { stable } = await k.read();
  const remove = [ANNOTATION.lock, JOURNAL_ANNOTATION.operation].filter(
    (key) => stable.metadata.annotations?.[key] !== undefined,
  );
  if (remove.length) await k.kubectl.annotate(k.names.stable, { remove });
}

/**
 * Finishes an operation an earlier call left in stable's journal: each is past its point of
 * no return once written (promote and rollback wrote the image with it), so it is finished,
 * never undone. Returns what was finished.
 */
export async function recover(k: KubernetesSteps): Promise<OperationRecord | undefined> {
  const { stable } = await k.read();
  const op = readOperation(stable);
  if (!op) return undefined;
  k.log.warn(
    `a previous ${op.operation} of ${op.version} by ${op.holder} (since ${op.since}) was interrupted; finishing it first`,
  );
  if (op.operation !== 'abort') await k.waitForRollouts([k.names.stable]);
  await closeOut(k);
  return op;
}

export async function promote(
  k: KubernetesSteps,
  options: PromoteOptions,
): Promise<string | undefined> {
  const recovered = await recover(k);
  const { stable, canary } = await k.read();
  if (!canary) {
    if (recovered?.operation === 'promote') return undefined;
    throw new CheckFailedError(
      `no canary to promote: ${k.names.canary} does not exist; run deploy first`,
      'no_canary',
    );
  }
  const container = k.containerOf(stable);
  const image = findContainer(canary, container).image;
  const next = readRelease(canary) ?? currentRelease(canary, container);
  const promoted: Release = { ...next, image };
  const live = canaryOf(canary, image);
  const evidence = checkEvidence(
    live ?? { version: next.version, image, deployedAt: 'unknown' },
    live ? readGate(canary) : undefined,
    options,
  );
  const from = currentRelease(stable, container);
  const previous = nextPrevious(from, promoted, readRelease(stable, ANNOTATION.previous));
  const change: StableChange = { to: promoted, previous, operation: 'promote' };
  if (k.manifests) {
    // The spec replaced is kept beside the previous release, for a rollback to restore.
    const annotations = appliedRecords(k, { ...change, previousSpec: stable.spec });
    await k.manifests.promote({ stable, canary, release: promoted, annotations });
  } else await k.kubectl.patch(k.names.stable, stablePatch(k, stable, change));
  try {
    await k.waitForRollouts([k.names.stable]);
  } catch (e) {
    if (!k.isRolloutFailure(e)) throw e;
    const reason = await k.explain(e);
    const back = k.manifests
      ? await restoreSpec(k.manifests, stable)
      : await putBack(k, from, readRelease(stable, ANNOTATION.previous));
    throw new CheckFailedError(
      `promotion of ${promoted.version} failed: ${reason}; ${back}, canary left in place (run rollback to remove it)`,
      'rollout_failed',
    );
  }
  await closeOut(k);
  return evidence.forced;
}

/** After a failed rollout of a full-spec change: stable's spec and records as read. */
async function restoreSpec(
  manifests: Pick<NonNullable<KubernetesSteps['manifests']>, 'restore'>,
  stable: Deployment,
): Promise<string> {
  try {
    await manifests.restore(stable);
    return `stable's spec put back as it was`;
  } catch (e) {
    return `putting stable's spec back failed too (${errorMessage(e)}); check deployment ${stable.metadata.name} by hand`;
  }
}

/** After a failed rollout of stable: its release before, journal cleared; says how that went. */
async function putBack(k: KubernetesSteps, release: Release, previous?: Release): Promise<string> {
  try {
    const { stable } = await k.read();
    await k.kubectl.patch(k.names.stable, stablePatch(k, stable, { to: release, previous }));
    await k.waitForRollouts([k.names.stable]);
    return `stable put back on ${release.version}`;
  } catch (e) {
    return `putting stable back on ${release.image} failed too (${errorMessage(e)}); check deployment ${k.names.stable} by hand`;
  }
}

/** Canary and baseline removed; the lock released only once both are gone. */
export async function abort(k: KubernetesSteps): Promise<void> {
  await recover(k);
  const { stable, canary, baseline } = await k.read();
  if (!canary && !baseline && !readLock(stable)) return;
  const version = (canary && readRelease(canary)?.version) ?? '';
  const record: OperationRecord = {
    operation: 'abort',
    version,
    holder: k.holder,
    since: k.now().toISOString(),
  };
  await k.kubectl.annotate(k.names.stable, {
    set: { [JOURNAL_ANNOTATION.operation]: operationAnnotation(record) },
  });
  try {
    await closeOut(k);
  } catch (e) {
    throw new CheckFailedError(
      `could not remove the canary: ${errorMessage(e)}; the lock stays until it is gone (run rollback again)`,
      'abort_failed',
    );
  }
}

export async function rollback(k: KubernetesSteps, to: Release | undefined): Promise<void> {
  const recovered = await recover(k);
  // The rollback asked for again after a crash is the one just finished: not twice.
  if (recovered?.operation === 'rollback' && (!to || recovered.version === to.version)) return;
  await abort(k);
  const { stable } = await k.read();
  const container = k.containerOf(stable);
  const from = currentRelease(stable, container);
  const recorded = readRelease(stable, ANNOTATION.previous);
  const target = to ?? recorded;
  if (!target) {
    k.log.info(`no previous release recorded on ${k.names.stable}: kubectl rollout undo`);
    await k.kubectl.rolloutUndo(k.names.stable);
    await waitOrPutBack(k, from, recorded);
    const after = (await k.read()).stable;
    const landed = currentRelease(after, container);
    await k.kubectl.annotate(k.names.stable, {
      set: {
        [ANNOTATION.release]: releaseAnnotation(landed, k.now()),
        [ANNOTATION.previous]: releaseAnnotation(from, k.now()),
      },
      // rollout undo restores the annotations the old ReplicaSet kept, a lock among them.
      remove: readLock(after) ? [ANNOTATION.lock] : [],
    });
    return;
  }
  k.log.info(
    `rolling ${k.names.stable} back from ${from.version} to ${target.version} (${imageForRelease(target)})`,
  );
  const landed = { ...target, image: imageForRelease(target) };
  const previous = nextPrevious(from, landed, recorded);
  const change: StableChange = { to: landed, previous, operation: 'rollback' };
  const spec = recordedSpec(stable, container, target);
  if (spec) {
    // The whole spec it ran (env, resources…), in one apply with the records; the spec left
    // becomes the recorded one, so a second rollback comes back.
    const restored = restorable({ ...stable, spec });
    const records = releaseRecords(k, { ...change, previousSpec: stable.spec });
    restored.metadata.annotations = Object.fromEntries(
      Object.entries({ ...restored.metadata.annotations, ...records }).filter(
        (e): e is [string, string] => e[1] !== null,
      ),
    );
    await k.kubectl.apply([restored]);
  } else await k.kubectl.patch(k.names.stable, stablePatch(k, stable, change));
  await waitOrPutBack(k, from, recorded, spec ? stable : undefined);
  await closeOut(k);
}

async function waitOrPutBack(
  k: KubernetesSteps,
  from: Release,
  previous?: Release,
  /** Stable as read, when its whole spec was replaced: put back whole. */
  asRead?: Deployment,
): Promise<void> {
  try {
    await k.waitForRollouts([k.names.stable]);
  } catch (e) {
    if (!k.isRolloutFailure(e)) throw e;
    const reason = await k.explain(e);
    const back = asRead
      ? await restoreSpec({ restore: (d) => k.kubectl.apply([restorable(d)]) }, asRead)
      : await putBack(k, from, previous);
    throw new CheckFailedError(
      `rollback of ${k.names.stable} failed: ${reason}; ${back}`,
      'rollout_failed',
    );
  }
}

export async function recordVerdict(k: KubernetesSteps, record: GateRecord): Promise<void> {
  await k.kubectl.annotate(k.names.canary, {
    set: { [JOURNAL_ANNOTATION.gate]: JSON.stringify(record) },
  });
}

export async function liveness(k: KubernetesSteps): Promise<Liveness> {
  const found = await k.kubectl.getDeployments([k.names.canary, k.names.baseline]);
  const up = (name: string) =>
    (found.find((d) => d.metadata.name === name)?.status?.availableReplicas ?? 0) > 0;
  return { canary: up(k.names.canary), baseline: up(k.names.baseline) };
}
