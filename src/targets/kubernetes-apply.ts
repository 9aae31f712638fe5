import { CheckFailedError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { FIELD_MANAGER } from './kubectl-args.js';
import type { Kubectl } from './kubectl.js';
import {
  cloneForTrack,
  currentRelease,
  findContainer,
  type Deployment,
  type RecordedRelease,
} from './kubernetes-manifests.js';
import {
  canaryFromManifest,
  checkPromotedMatchesCanary,
  objectsForApply,
  stableFromManifest,
  type ReleaseManifests,
} from './kubernetes-release-manifests.js';

/**
 * What deploy and promote apply on the kubernetes target, with or without the team's
 * manifests (deploy.kubernetes.manifests). Without them the canary is a clone of the live
 * stable with the new image; with them it is the manifest's Deployment as written.
 */

export interface DeployPlan {
  canary: Deployment;
  /** The live stable's spec on the baseline track: like-for-like with what serves today. */
  baseline: Deployment;
  /** Objects of the manifests that do not exist yet, created before the canary (and removed if it fails). */
  create: object[];
}

export interface PlanInput {
  kubectl: Pick<Kubectl, 'getObjects'>;
  stable: Deployment;
  manifests?: ReleaseManifests;
  container: string;
  image: string;
  release: RecordedRelease;
  replicas: number;
  namespace: string;
}

export async function planDeploy(input: PlanInput): Promise<DeployPlan> {
  const { stable, container, replicas } = input;
  const time = input.release.time;
  const stableRelease = currentRelease(stable, container);
  const baseline = cloneForTrack({
    stable,
    track: 'baseline',
    container,
    image: findContainer(stable, container).image,
    replicas,
    release: { ...stableRelease, ...(time ? { time } : {}) },
  });
  const track = { container, image: input.image, release: input.release, replicas };
  if (!input.manifests) {
    return { canary: cloneForTrack({ stable, track: 'canary', ...track }), baseline, create: [] };
  }
  const others = objectsForApply(input.manifests.others, input.namespace);
  const existing = await input.kubectl.getObjects(others);
  const exists = new Set(existing.map(objectKey));
  return {
    canary: canaryFromManifest(input.manifests, track),
    baseline,
    create: others.filter((o) => !exists.has(objectKey(o as Named))),
  };
}

type Named = { kind?: string; metadata: { name: string } };
const objectKey = (o: Named) => `${o.kind ?? ''}/${o.metadata.name}`;

interface ManagedField {
  manager?: string;
  operation?: string;
  time?: string;
  fieldsV1?: Record<string, unknown>;
}

/** Managers that are ours, or the controller's (it writes status and the revision). */
const OWN_MANAGERS = new Set([FIELD_MANAGER, 'kube-controller-manager']);

/**
 * Changes to stable's spec made outside model-delivery since it last wrote stable (a
 * `kubectl edit`, `set image`, `scale`…), from the server's managedFields: the manifests
 * are the release, so promote replaces them.
 */
export function driftReport(stable: Deployment): string[] {
  const fields = (stable.metadata.managedFields ?? []) as ManagedField[];
  const ours = fields
    .filter((f) => f.manager === FIELD_MANAGER)
    .map((f) => Date.parse(f.time ?? ''))
    .filter(Number.isFinite);
  const since = ours.length ? Math.max(...ours) : undefined;
  return fields
    .filter(
      (f) =>
        f.operation === 'Update' &&
        !OWN_MANAGERS.has(f.manager ?? '') &&
        f.fieldsV1?.['f:spec'] !== undefined &&
        (since === undefined || Date.parse(f.time ?? '') > since),
    )
    .map(
      (f) =>
        `${f.manager ?? 'an unnamed manager'} changed the spec of ${stable.metadata.name} at ${f.time ?? 'an unknown time'}${since === undefined ? '' : ', after model-delivery last applied it'}; promote applies the manifests and replaces that change (commit it to the manifests to keep it)`,
    );
}

export interface PromoteInput {
  kubectl: Pick<Kubectl, 'apply'>;
  manifests: ReleaseManifests;
  canary: Deployment;
  container: string;
  release: RecordedRelease;
  namespace: string;
  /** The release records and journal entry (kubernetes-transactions.ts), applied with the spec. */
  annotations: Record<string, string>;
  log: Logger;
}

/**
 * Promote with manifests: the other objects, then the manifest's Deployment as stable
 * with the canary's image, server-side applied with the release records and the journal
 * entry in its annotations, so stable's spec and its journal change in one apply. Refused
 * when the manifests no longer render the pod spec the canary ran. The caller waits for
 * the rollout and, if it fails, applies `restorable(stable)`.
 */
export async function applyPromotedManifests(input: PromoteInput): Promise<void> {
  const image = findContainer(input.canary, input.container).image;
  const promoted = stableFromManifest(input.manifests, {
    container: input.container,
    image,
    release: input.release,
  });
  const mismatch = checkPromotedMatchesCanary(input.canary, promoted);
  if (mismatch.length > 0) throw new CheckFailedError(mismatch.join('; '), 'manifests_changed');
  promoted.metadata.namespace = input.namespace;
  promoted.metadata.annotations = { ...promoted.metadata.annotations, ...input.annotations };
  const others = objectsForApply(input.manifests.others, input.namespace);
  if (others.length > 0) {
    input.log.info(`applying ${others.length} other object(s) of the manifests before stable`);
    await input.kubectl.apply(others);
  }
  await input.kubectl.apply([promoted]);
}

/** Stable as read, for a server-side apply that puts its spec, labels and annotations back. */
export function restorable(stable: Deployment): Deployment {
  const { name, namespace, labels, annotations } = stable.metadata;
  const kept = Object.fromEntries(
    Object.entries(annotations ?? {}).filter(
      ([k]) => !/^(kubectl\.kubernetes\.io|deployment\.kubernetes\.io)\//.test(k),
    ),
  );
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      ...(labels ? { labels } : {}),
      annotations: kept,
    },
    spec: structuredClone(stable.spec),
  };
}
