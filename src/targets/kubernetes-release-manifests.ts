import { createHash } from 'node:crypto';
import { ConfigError } from '../core/errors.js';
import type { ManifestObject } from '../lint/manifests.js';
import {
  cloneForTrack,
  labelValue,
  VERSION_LABEL,
  type Deployment,
  type RecordedRelease,
} from './kubernetes-manifests.js';

/**
 * Pure work on the team's manifests (deploy.kubernetes.manifests): pick the model's
 * Deployment and the other objects, render the canary and the promoted stable from the
 * Deployment as written, and order the other objects for apply.
 */

export interface ReleaseManifests {
  /** The model's Deployment as written, and the file it came from. */
  model: { deployment: Deployment; file: string };
  /** Every other object, in apply order (see APPLY_ORDER). */
  others: ManifestObject[];
}

/** On canary: the digest of the pod spec it was rendered with, so promote ships exactly that. */
export const TEMPLATE_ANNOTATION = 'model-delivery.dev/template';

/**
 * Kinds before the workloads that use them, like `helm install`: a ServiceAccount, Secret
 * or ConfigMap exists before a pod names it; an HPA or PDB after the Deployment it targets.
 * Kinds not listed go after Service.
 */
const APPLY_ORDER = ['ServiceAccount', 'Secret', 'ConfigMap', 'Role', 'RoleBinding', 'Service'];
const LAST = ['HorizontalPodAutoscaler', 'PodDisruptionBudget'];
/** Objects a namespaced CI identity cannot (and should not) change from a model's release. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

function rank(kind: string): number {
  const first = APPLY_ORDER.indexOf(kind);
  if (first >= 0) return first;
  const last = LAST.indexOf(kind);
  return last >= 0 ? APPLY_ORDER.length + 1 + last : APPLY_ORDER.length;
}

export interface SelectOptions {
  deployment: string;
  container?: string;
  namespace: string;
  /** The configured entries, for messages. */
  sources: readonly string[];
}

/** The model's Deployment and the other objects; a ConfigError naming the file when they cannot ship. */
export function selectReleaseObjects(
  objects: readonly ManifestObject[],
  options: SelectOptions,
): ReleaseManifests {
  const problems: string[] = [];
  const where = `deploy.kubernetes.manifests (${options.sources.join(', ')})`;
  const shipped = objects.filter((o) => o.kind !== 'Kustomization');
  for (const o of shipped) {
    if (CLUSTER_SCOPED.has(o.kind)) {
      problems.push(
        `${o.file}:${o.line}: ${o.kind} ${o.name} is cluster-scoped; model-delivery applies only objects in namespace ${options.namespace}: apply it separately, or leave it out of deploy.kubernetes.manifests`,
      );
    }
    const ns = (o.body.metadata as { namespace?: unknown } | undefined)?.namespace;
    if (typeof ns === 'string' && ns !== options.namespace) {
      problems.push(
        `${o.file}:${o.line}: ${o.kind} ${o.name} is in namespace ${ns}, but deploy.kubernetes.namespace is ${options.namespace}; make them the same`,
      );
    }
  }
  const models = shipped.filter((o) => o.kind === 'Deployment' && o.name === options.deployment);
  const model = models[0];
  if (!model) {
    const found = shipped.filter((o) => o.kind === 'Deployment');
    problems.push(
      `${where}: no Deployment named ${options.deployment} (deploy.kubernetes.deployment); ${found.length ? `found: ${found.map((o) => `${o.name} in ${o.file}`).join(', ')}` : 'the manifests hold no Deployment'}`,
    );
  } else if (models.length > 1) {
    problems.push(
      `${where}: Deployment ${options.deployment} is defined ${models.length} times (${models.map((o) => o.file).join(', ')}); keep one`,
    );
  } else {
    problems.push(...containerProblems(model, options.container));
  }
  if (problems.length > 0 || !model) throw new ConfigError(problems);
  const others = shipped
    .filter((o) => o !== model)
    .map((o, i) => ({ o, i }))
    .sort((a, b) => rank(a.o.kind) - rank(b.o.kind) || a.i - b.i)
    .map(({ o }) => o);
  return { model: { deployment: model.body as unknown as Deployment, file: model.file }, others };
}

function containerProblems(model: ManifestObject, name: string | undefined): string[] {
  const d = model.body as unknown as Deployment;
  const containers = d.spec?.template?.spec?.containers ?? [];
  const names = containers.map((c) => c.name).join(', ');
  const at = `${model.file}:${model.line}: Deployment ${model.name}`;
  if (name && !containers.some((c) => c.name === name))
    return [
      `${at} has no container "${name}" (deploy.kubernetes.container); it has: ${names || 'none'}`,
    ];
  if (!name && containers.length !== 1)
    return [
      `${at} has ${containers.length} containers (${names}); name the model's one in deploy.kubernetes.container`,
    ];
  return [];
}

export interface TrackRender {
  container: string;
  image: string;
  release: RecordedRelease;
}

/** The canary: the manifest's Deployment on the canary track, with the built image. */
export function canaryFromManifest(
  manifests: ReleaseManifests,
  render: TrackRender & { replicas: number },
): Deployment {
  const canary = cloneForTrack({
    stable: manifests.model.deployment,
    track: 'canary',
    container: render.container,
    image: render.image,
    replicas: render.replicas,
    release: render.release,
  });
  canary.metadata.annotations = {
    ...canary.metadata.annotations,
    [TEMPLATE_ANNOTATION]: podSpecDigest(canary),
  };
  return canary;
}

/** The promoted stable: the manifest's Deployment as written, with the canary's image and version. */
export function stableFromManifest(manifests: ReleaseManifests, render: TrackRender): Deployment {
  const stable = structuredClone(manifests.model.deployment);
  const template = stable.spec.template;
  template.spec.containers = template.spec.containers.map((c) =>
    c.name === render.container ? { ...c, image: render.image } : c,
  );
  const labels = template.metadata?.labels;
  if (labels && VERSION_LABEL in labels) labels[VERSION_LABEL] = labelValue(render.release.version);
  // The release annotations are written by annotate after the rollout, as without manifests.
  const annotations = Object.fromEntries(
    Object.entries(stable.metadata.annotations ?? {}).filter(
      ([k]) => !k.startsWith('model-delivery.dev/'),
    ),
  );
  return {
    ...stable,
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { ...stable.metadata, annotations },
  };
}

/** What decides the pods' behaviour (containers, volumes…), not their labels: equal for canary and promoted stable. */
export function podSpecDigest(d: Deployment): string {
  return `sha256:${createHash('sha256').update(stableJson(d.spec.template.spec)).digest('hex')}`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The objects of the manifests, for `kubectl apply`: the namespace set, nothing else changed. */
export function objectsForApply(objects: readonly ManifestObject[], namespace: string): object[] {
  return objects.map((o) => {
    const body = structuredClone(o.body);
    body.metadata = { ...(body.metadata as object), namespace };
    return body;
  });
}

/** Rejects a canary whose recorded pod spec is not what the manifests render now. */
export function checkPromotedMatchesCanary(canary: Deployment, promoted: Deployment): string[] {
  const recorded = canary.metadata.annotations?.[TEMPLATE_ANNOTATION];
  if (!recorded)
    return [
      `canary ${canary.metadata.name} was deployed without deploy.kubernetes.manifests, so its pod spec is not the manifests'; run deploy again`,
    ];
  if (recorded !== podSpecDigest(promoted))
    return [
      `the manifests render a different pod spec than canary ${canary.metadata.name} was deployed with (${recorded}); the gate judged that one, so deploy again to promote these manifests`,
    ];
  return [];
}
