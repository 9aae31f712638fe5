import { ConfigError } from '../core/errors.js';
import type { Release, Track } from './types.js';

/**
 * Pure manifest work for the kubernetes target: clone stable into canary and baseline,
 * read and write the release and lock annotations, decide readiness.
 */

export interface Container {
  name: string;
  image: string;
  [key: string]: unknown;
}

export interface Deployment {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    generation?: number;
    [key: string]: unknown;
  };
  spec: {
    replicas?: number;
    selector: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
    template: {
      metadata?: {
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
        [key: string]: unknown;
      };
      spec: { containers: Container[]; [key: string]: unknown };
    };
    [key: string]: unknown;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
  };
}

export const ANNOTATION = {
  /** The release stable (or a canary/baseline) runs: JSON {version, sha, image, digest, time}. */
  release: 'model-delivery.dev/release',
  /** On stable: the release before the current one, for rollback without --to. */
  previous: 'model-delivery.dev/previous-release',
  /** On stable while a canary is out: JSON {holder, since}. */
  lock: 'model-delivery.dev/lock',
  /**
   * On stable after a manifest promote (or a rollback that used it): the spec it ran
   * before, as JSON, so rollback restores all of it (env, resources…), not only the image.
   */
  previousSpec: 'model-delivery.dev/previous-spec',
} as const;

export const TRACK_LABEL = 'track';
export const VERSION_LABEL = 'version';

export interface RecordedRelease extends Release {
  time?: string;
}

export interface Lock {
  holder: string;
  since: string;
}

export function trackDeploymentName(stable: string, track: Track): string {
  return track === 'stable' ? stable : `${stable}-${track}`;
}

/** The container to change: the configured one, or the only one. */
export function findContainer(deployment: Deployment, name?: string): Container {
  const containers = deployment.spec.template.spec.containers;
  const names = containers.map((c) => c.name).join(', ');
  if (name) {
    const found = containers.find((c) => c.name === name);
    if (!found) {
      throw new ConfigError([
        `deploy.kubernetes.container: deployment ${deployment.metadata.name} has no container "${name}"; it has: ${names}`,
      ]);
    }
    return found;
  }
  if (containers.length !== 1) {
    throw new ConfigError([
      `deploy.kubernetes.container: deployment ${deployment.metadata.name} has ${containers.length} containers (${names}); name the model's one`,
    ]);
  }
  return containers[0] as Container;
}

/** What to run for a release: by digest when it is known, so the canary runs exactly what was built. */
export function imageForRelease(release: Release): string {
  if (release.image.includes('@') || !release.digest) return release.image;
  // Drop the tag: `registry:5000/repo:tag` → `registry:5000/repo`.
  const repository = release.image.replace(/:[^/:]+$/, '');
  return `${repository}@${release.digest}`;
}

/** A label value (63 characters of [A-Za-z0-9._-], alphanumeric at both ends). */
export function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

export interface CloneOptions {
  stable: Deployment;
  track: 'canary' | 'baseline';
  container: string;
  image: string;
  replicas: number;
  release: RecordedRelease;
}

/**
 * A canary or baseline Deployment cloned from stable for server-side apply: the same pod
 * template with the track label (in the selector too, so its pods never join stable's
 * ReplicaSets), the given image and replicas, and only what the server does not own.
 */
export function cloneForTrack(options: CloneOptions): Deployment {
  const { stable, track } = options;
  const spec = structuredClone(stable.spec);
  // A paused stable must not leave its clones paused.
  delete spec.paused;
  const template = spec.template;
  const templateLabels = { ...(template.metadata?.labels ?? {}), [TRACK_LABEL]: track };
  if (VERSION_LABEL in templateLabels && track === 'canary') {
    templateLabels[VERSION_LABEL] = labelValue(options.release.version);
  }
  const templateMeta: NonNullable<Deployment['spec']['template']['metadata']> = {
    ...(template.metadata ?? {}),
    labels: templateLabels,
  };
  delete templateMeta.creationTimestamp;
  const containers = template.spec.containers.map((c) =>
    c.name === options.container ? { ...c, image: options.image } : c,
  );
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: trackDeploymentName(stable.metadata.name, track),
      ...(stable.metadata.namespace ? { namespace: stable.metadata.namespace } : {}),
      labels: { ...(stable.metadata.labels ?? {}), [TRACK_LABEL]: track },
      annotations: {
        ...userAnnotations(stable.metadata.annotations),
        [ANNOTATION.release]: JSON.stringify(options.release),
      },
    },
    spec: {
      ...spec,
      replicas: options.replicas,
      selector: {
        ...spec.selector,
        matchLabels: { ...(spec.selector.matchLabels ?? {}), [TRACK_LABEL]: track },
      },
      template: { ...template, metadata: templateMeta, spec: { ...template.spec, containers } },
    },
  };
}

/** Annotations written by people or other tools; the server's and ours are not copied. */
function userAnnotations(annotations: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(annotations).filter(
      ([k]) =>
        !/^(kubectl\.kubernetes\.io|deployment\.kubernetes\.io|model-delivery\.dev)\//.test(k),
    ),
  );
}

/** True when stable's selector keeps other tracks' pods out (it names the track label). */
export function selectorSeparatesTracks(stable: Deployment): boolean {
  return stable.spec.selector.matchLabels?.[TRACK_LABEL] === 'stable';
}

/**
 * Strategic merge patch that sets the container's image and, when the template carries a
 * `version` label, that label too, so metrics name the version that runs.
 */
export function imagePatch(
  stable: Deployment,
  container: string,
  image: string,
  version?: string,
): object {
  const hasVersion = VERSION_LABEL in (stable.spec.template.metadata?.labels ?? {});
  return {
    spec: {
      template: {
        ...(hasVersion && version
          ? { metadata: { labels: { [VERSION_LABEL]: labelValue(version) } } }
          : {}),
        spec: { containers: [{ name: container, image }] },
      },
    },
  };
}

export function releaseAnnotation(release: Release, time: Date): string {
  const { version, sha, image, digest } = release;
  return JSON.stringify({
    version,
    sha,
    image,
    ...(digest ? { digest } : {}),
    time: time.toISOString(),
  });
}

/** A release from an annotation; undefined when absent or not ours. */
export function readRelease(
  deployment: Deployment,
  key: string = ANNOTATION.release,
): RecordedRelease | undefined {
  const parsed = parseJson(deployment.metadata.annotations?.[key]);
  if (!parsed || typeof parsed.version !== 'string' || typeof parsed.image !== 'string')
    return undefined;
  return {
    version: parsed.version,
    sha: typeof parsed.sha === 'string' ? parsed.sha : '',
    image: parsed.image,
    ...(typeof parsed.digest === 'string' ? { digest: parsed.digest } : {}),
    ...(typeof parsed.time === 'string' ? { time: parsed.time } : {}),
  };
}

/** What stable runs: its recorded release when the image still matches, else what the image says. */
export function currentRelease(deployment: Deployment, container: string): RecordedRelease {
  const image = findContainer(deployment, container).image;
  const recorded = readRelease(deployment);
  if (recorded && imageForRelease(recorded) === image) return recorded;
  const label = deployment.spec.template.metadata?.labels?.[VERSION_LABEL];
  const tag = image.includes('@') ? image.split('@')[1] : /:([^/:]+)$/.exec(image)?.[1];
  return { version: label ?? tag ?? image, sha: '', image };
}

export function readLock(deployment: Deployment): Lock | undefined {
  const parsed = parseJson(deployment.metadata.annotations?.[ANNOTATION.lock]);
  if (!parsed || typeof parsed.holder !== 'string' || typeof parsed.since !== 'string')
    return undefined;
  return { holder: parsed.holder, since: parsed.since };
}

export function lockAnnotation(lock: Lock): string {
  return JSON.stringify(lock);
}

/** A lock older than the deploy timeout belongs to a run that died; only then may --force break it. */
export function lockIsStale(lock: Lock, now: Date, timeoutMs: number): boolean {
  const since = Date.parse(lock.since);
  return !Number.isFinite(since) || now.getTime() - since > timeoutMs;
}

/** The same test `kubectl rollout status` makes. */
export function isRolledOut(d: Deployment): boolean {
  const s = d.status ?? {};
  const replicas = d.spec.replicas ?? 1;
  return (
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    (s.updatedReplicas ?? 0) >= replicas &&
    (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) &&
    (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0)
  );
}

/** Why a deployment is not available, from its conditions (for error messages). */
export function conditionMessages(d: Deployment): string[] {
  return (d.status?.conditions ?? [])
    .filter((c) => c.status !== 'True' || c.reason === 'ProgressDeadlineExceeded')
    .map((c) => `${c.type}: ${c.reason ?? ''}${c.message ? ` (${c.message})` : ''}`);
}

export function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    // An annotation someone else wrote in another format: treated as absent.
    return undefined;
  }
}
