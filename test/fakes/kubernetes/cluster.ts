import { createHash, randomUUID } from 'node:crypto';
import type { Kubelet, RunningPod } from './kubelet.js';
import { recordManager } from './managed-fields.js';
import { clone, isObject, type Json, type JsonObject } from './patches.js';

/** The resources the fake holds. */
export type Resource =
  'deployments' | 'replicasets' | 'services' | 'configmaps' | 'pods' | 'httproutes';

export const KINDS: Record<Resource, { apiVersion: string; kind: string; group: string }> = {
  deployments: { apiVersion: 'apps/v1', kind: 'Deployment', group: 'apps' },
  replicasets: { apiVersion: 'apps/v1', kind: 'ReplicaSet', group: 'apps' },
  services: { apiVersion: 'v1', kind: 'Service', group: '' },
  configmaps: { apiVersion: 'v1', kind: 'ConfigMap', group: '' },
  pods: { apiVersion: 'v1', kind: 'Pod', group: '' },
  httproutes: {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    group: 'gateway.networking.k8s.io',
  },
};

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface WatchEvent {
  rv: number;
  type: EventType;
  resource: Resource;
  namespace: string;
  object: JsonObject;
}

export interface Watcher {
  resource: Resource;
  namespace: string;
  matches(object: JsonObject): boolean;
  send(event: WatchEvent): void;
}

export interface ClusterOptions {
  /** Images matching this never become available (their rollout never finishes). */
  badImage?: RegExp;
  /** How long the simulated deployment controller takes for each step. */
  reconcileDelayMs: number;
  /** Runs the pods as processes; then a Deployment is available when its pods are ready. */
  kubelet?: Kubelet;
}

export const REVISION = 'deployment.kubernetes.io/revision';

/**
 * An object store with resource versions, a watch history, and a small deployment
 * controller: after a spec change it observes the generation, makes (or reuses) a
 * ReplicaSet for the pod template, then marks the replicas available, unless an image
 * matches the bad pattern.
 */
export class Cluster {
  #rv = 1;
  readonly #objects = new Map<string, JsonObject>();
  readonly #history: WatchEvent[] = [];
  readonly #watchers = new Set<Watcher>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly namespaces = new Set<string>();
  #closed = false;

  constructor(readonly options: ClusterOptions) {
    options.kubelet?.attach({
      configMap: (namespace, name) => this.get('configmaps', namespace, name),
      podChanged: (pod, gone) => this.#podChanged(pod, gone),
    });
  }

  /** The kubelet's pods as Pod objects, so `get pods`, label selectors and endpoints see them. */
  #podChanged(pod: RunningPod, gone = false): void {
    if (this.#closed) return;
    if (gone) {
      this.delete('pods', pod.namespace, pod.name);
      return;
    }
    const live = this.#objects.get(key('pods', pod.namespace, pod.name));
    const ready = pod.ready ? 'True' : 'False';
    const object: JsonObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...(live ? metadataOf(clone(live)) : { uid: randomUUID() }),
        name: pod.name,
        namespace: pod.namespace,
        labels: pod.labels,
      },
      spec: {
        containers: [
          {
            name: pod.container,
            image: pod.image,
            ports: [...new Set(pod.ports.keys())]
              .filter((p) => /^\d+$/.test(p))
              .map((p) => ({ containerPort: Number(p) })),
          },
        ],
      },
      status: {
        phase: 'Running',
        podIP: '127.0.0.1',
        conditions: [{ type: 'Ready', status: ready }],
        containerStatuses: [
          { name: pod.container, ready: pod.ready, restartCount: pod.restarts, image: pod.image },
        ],
      },
    };
    this.#write(live ? 'MODIFIED' : 'ADDED', 'pods', pod.namespace, object);
  }

  get resourceVersion(): number {
    return this.#rv;
  }

  get(resource: Resource, namespace: string, name: string): JsonObject | undefined {
    const found = this.#objects.get(key(resource, namespace, name));
    return found ? clone(found) : undefined;
  }

  list(
    resource: Resource,
    namespace: string,
    matches: (o: JsonObject) => boolean = () => true,
  ): JsonObject[] {
    return [...this.#objects.entries()]
      .filter(([k]) => k.startsWith(`${resource}/${namespace}/`))
      .map(([, o]) => clone(o))
      .filter(matches)
      .sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  }

  create(
    resource: Resource,
    namespace: string,
    object: JsonObject,
    manager?: string,
    operation = 'Update',
  ): JsonObject {
    const meta = metadataOf(object);
    meta.namespace = namespace;
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (manager)
      recordManager(meta, undefined, {
        manager,
        operation,
        specChanged: true,
        ...(operation === 'Apply' ? { applied: object } : {}),
      });
    if (resource === 'deployments') {
      meta.generation = 1;
      applyDeploymentDefaults(object);
      object.status = { observedGeneration: 0 };
    }
    Object.assign(object, { apiVersion: KINDS[resource].apiVersion, kind: KINDS[resource].kind });
    const stored = this.#write('ADDED', resource, namespace, object);
    if (resource === 'deployments') this.#scheduleSync(namespace, nameOf(object));
    return stored;
  }

  /** Replaces an object (its metadata identity is kept); bumps the generation when spec changed. */
  update(
    resource: Resource,
    namespace: string,
    object: JsonObject,
    manager?: string,
    operation = 'Update',
    /** For an Apply: the applied configuration, whose fields the manager then owns. */
    applied?: JsonObject,
  ): JsonObject {
    const name = nameOf(object);
    const live = this.#objects.get(key(resource, namespace, name));
    if (!live) throw new Error(`update of missing ${resource} ${name}`);
    const meta = metadataOf(object);
    const liveMeta = metadataOf(live);
    for (const field of [
      'uid',
      'creationTimestamp',
      'generation',
      'namespace',
      'ownerReferences',
    ] as const) {
      if (liveMeta[field] !== undefined) meta[field] = liveMeta[field];
    }
    if (manager) {
      recordManager(meta, liveMeta, {
        manager,
        operation,
        specChanged: JSON.stringify(object.spec) !== JSON.stringify(live.spec),
        ...(applied ? { applied } : {}),
      });
    } else meta.managedFields = liveMeta.managedFields ?? [];
    if (resource === 'deployments') {
      applyDeploymentDefaults(object);
      object.status = live.status ?? {};
      if (JSON.stringify(object.spec) !== JSON.stringify(live.spec))
        meta.generation = Number(liveMeta.generation ?? 0) + 1;
    }
    Object.assign(object, { apiVersion: KINDS[resource].apiVersion, kind: KINDS[resource].kind });
    const stored = this.#write('MODIFIED', resource, namespace, object);
    if (resource === 'deployments') this.#scheduleSync(namespace, name);
    return stored;
  }

  delete(resource: Resource, namespace: string, name: string): JsonObject | undefined {
    const live = this.#objects.get(key(resource, namespace, name));
    if (!live) return undefined;
    this.#objects.delete(key(resource, namespace, name));
    this.#rv += 1;
    const gone = clone(live);
    metadataOf(gone).resourceVersion = String(this.#rv);
    this.#emit({ rv: this.#rv, type: 'DELETED', resource, namespace, object: gone });
    if (resource === 'deployments') this.options.kubelet?.remove(namespace, name);
    // Background garbage collection of what the object owned.
    const uid = metadataOf(live).uid;
    for (const rs of this.list('replicasets', namespace, (o) => ownerUid(o) === uid)) {
      this.delete('replicasets', namespace, nameOf(rs));
    }
    return gone;
  }

  /** Opens a watch: replays history after `fromRv` (or the current state when absent), then live events. */
  watch(watcher: Watcher, fromRv: number | undefined): () => void {
    if (fromRv === undefined) {
      for (const object of this.list(watcher.resource, watcher.namespace, watcher.matches)) {
        watcher.send({
          rv: this.#rv,
          type: 'ADDED',
          resource: watcher.resource,
          namespace: watcher.namespace,
          object,
        });
      }
    } else {
      for (const event of this.#history) {
        if (event.rv > fromRv && matchesWatcher(watcher, event)) watcher.send(event);
      }
    }
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  close(): void {
    this.#closed = true;
    this.options.kubelet?.stopAll();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#watchers.clear();
  }

  #write(type: EventType, resource: Resource, namespace: string, object: JsonObject): JsonObject {
    this.#rv += 1;
    metadataOf(object).resourceVersion = String(this.#rv);
    this.#objects.set(key(resource, namespace, nameOf(object)), clone(object));
    this.#emit({ rv: this.#rv, type, resource, namespace, object: clone(object) });
    return clone(object);
  }

  #emit(event: WatchEvent): void {
    this.#history.push(event);
    for (const watcher of this.#watchers) if (matchesWatcher(watcher, event)) watcher.send(event);
  }

  #later(fn: () => void, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, delayMs);
    this.#timers.add(timer);
  }

  #scheduleSync(namespace: string, name: string): void {
    this.#later(() => this.#syncDeployment(namespace, name), this.options.reconcileDelayMs);
  }

  /** Step 1: observe the generation, pick the ReplicaSet, count updated replicas (none available yet). */
  #syncDeployment(namespace: string, name: string): void {
    const deployment = this.get('deployments', namespace, name);
    if (!deployment) return;
    const meta = metadataOf(deployment);
    const spec = deployment.spec as JsonObject;
    const status = (deployment.status ?? {}) as JsonObject;
    const replicas = Number(spec.replicas ?? 1);
    const revision = this.#ensureReplicaSet(namespace, deployment);
    const generationSeen = status.observedGeneration === meta.generation;
    const annotations = (meta.annotations ?? {}) as JsonObject;
    if (generationSeen && annotations[REVISION] === String(revision)) return;
    meta.annotations = { ...annotations, [REVISION]: String(revision) };
    const bad = this.#isBad(spec);
    deployment.status = {
      observedGeneration: meta.generation ?? 1,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: 0,
      availableReplicas: 0,
      unavailableReplicas: replicas,
      conditions: [
        condition(
          'Available',
          'False',
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
        ),
        condition(
          'Progressing',
          'True',
          'ReplicaSetUpdated',
          `ReplicaSet "${name}-${templateHash(spec)}" is progressing.`,
        ),
      ],
    };
    this.#writeRaw(namespace, deployment);
    const generation = Number(meta.generation);
    const kubelet = this.options.kubelet;
    if (kubelet) {
      // Available once the kubelet's pods pass their readiness probes; an image it has no
      // command for never starts, and the rollout reaches its progress deadline.
      void kubelet.sync(namespace, deployment, templateHash(spec)).then((ok) => {
        if (this.#closed) return;
        if (ok) this.#markAvailable(namespace, name, generation);
        else
          this.#later(
            () => this.#markDeadlineExceeded(namespace, name, generation),
            Number(spec.progressDeadlineSeconds ?? 600) * 1000,
          );
      });
      return;
    }
    if (!bad)
      this.#later(
        () => this.#markAvailable(namespace, name, generation),
        this.options.reconcileDelayMs,
      );
    else
      this.#later(
        () => this.#markDeadlineExceeded(namespace, name, generation),
        Number(spec.progressDeadlineSeconds ?? 600) * 1000,
      );
  }

  /** A rollout that made no progress for progressDeadlineSeconds, as the controller reports it. */
  #markDeadlineExceeded(namespace: string, name: string, generation: number): void {
    const deployment = this.get('deployments', namespace, name);
    if (!deployment || metadataOf(deployment).generation !== generation) return;
    const status = deployment.status as JsonObject;
    const conditions = (Array.isArray(status.conditions) ? status.conditions : []).filter(
      (c) => isObject(c) && c.type !== 'Progressing',
    );
    status.conditions = [
      ...conditions,
      condition(
        'Progressing',
        'False',
        'ProgressDeadlineExceeded',
        `ReplicaSet "${name}-${templateHash(deployment.spec as JsonObject)}" has timed out progressing.`,
      ),
    ];
    this.#writeRaw(namespace, deployment);
  }

  /** Step 2: the pods pass their readiness probes. */
  #markAvailable(namespace: string, name: string, generation: number): void {
    const deployment = this.get('deployments', namespace, name);
    if (!deployment || metadataOf(deployment).generation !== generation) return;
    const replicas = Number((deployment.spec as JsonObject).replicas ?? 1);
    deployment.status = {
      observedGeneration: generation,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      conditions: [
        condition(
          'Available',
          'True',
          'MinimumReplicasAvailable',
          'Deployment has minimum availability.',
        ),
        condition(
          'Progressing',
          'True',
          'NewReplicaSetAvailable',
          `ReplicaSet "${name}" has successfully progressed.`,
        ),
      ],
    };
    this.#writeRaw(namespace, deployment);
  }

  /** A status or controller write: no generation bump, no new sync. */
  #writeRaw(namespace: string, deployment: JsonObject): void {
    this.#write('MODIFIED', 'deployments', namespace, deployment);
  }

  #isBad(spec: JsonObject): boolean {
    const pattern = this.options.badImage;
    const containers = ((spec.template as JsonObject)?.spec as JsonObject)?.containers;
    return (
      !!pattern &&
      Array.isArray(containers) &&
      containers.some((c) => isObject(c) && pattern.test(String(c.image)))
    );
  }

  /** The ReplicaSet of the current template, created or revived with the next revision; returns its revision. */
  #ensureReplicaSet(namespace: string, deployment: JsonObject): number {
    const meta = metadataOf(deployment);
    const spec = deployment.spec as JsonObject;
    const hash = templateHash(spec);
    const owned = this.list('replicasets', namespace, (o) => ownerUid(o) === meta.uid);
    const revisionOf = (rs: JsonObject) =>
      Number((metadataOf(rs).annotations as JsonObject)?.[REVISION] ?? 0);
    const max = Math.max(0, ...owned.map(revisionOf));
    const current = owned.find(
      (rs) => (metadataOf(rs).labels as JsonObject)?.['pod-template-hash'] === hash,
    );
    const copied = Object.fromEntries(
      Object.entries((meta.annotations ?? {}) as JsonObject).filter(
        ([k]) => k !== REVISION && !k.startsWith('kubectl.kubernetes.io/'),
      ),
    );
    const replicas = Number(spec.replicas ?? 1);
    for (const rs of owned) {
      if (rs === current) continue;
      if ((rs.spec as JsonObject).replicas !== 0) {
        (rs.spec as JsonObject).replicas = 0;
        this.#write('MODIFIED', 'replicasets', namespace, rs);
      }
    }
    if (current) {
      const revision = revisionOf(current) === max ? max : max + 1;
      metadataOf(current).annotations = { ...copied, [REVISION]: String(revision) };
      (current.spec as JsonObject).replicas = replicas;
      this.#write('MODIFIED', 'replicasets', namespace, current);
      return revision;
    }
    const template = clone(spec.template as JsonObject);
    const templateMeta = metadataOf(template);
    templateMeta.labels = {
      ...((templateMeta.labels ?? {}) as JsonObject),
      'pod-template-hash': hash,
    };
    const selector = clone(spec.selector as JsonObject);
    selector.matchLabels = {
      ...((selector.matchLabels ?? {}) as JsonObject),
      'pod-template-hash': hash,
    };
    const rs: JsonObject = {
      metadata: {
        name: `${meta.name}-${hash}`,
        labels: templateMeta.labels,
        annotations: { ...copied, [REVISION]: String(max + 1) },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: meta.name ?? '',
            uid: meta.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: { replicas, selector, template },
      status: { replicas: 0 },
    };
    this.create('replicasets', namespace, rs);
    return max + 1;
  }
}

function key(resource: Resource, namespace: string, name: string): string {
  return `${resource}/${namespace}/${name}`;
}

export function metadataOf(object: JsonObject): JsonObject {
  if (!isObject(object.metadata)) object.metadata = {};
  return object.metadata as JsonObject;
}

export function nameOf(object: JsonObject): string {
  return String(metadataOf(object).name ?? '');
}

function ownerUid(object: JsonObject): Json | undefined {
  const refs = metadataOf(object).ownerReferences;
  const controller = Array.isArray(refs)
    ? refs.find((r) => isObject(r) && r.controller === true)
    : undefined;
  return isObject(controller) ? controller.uid : undefined;
}

function matchesWatcher(watcher: Watcher, event: WatchEvent): boolean {
  return (
    event.resource === watcher.resource &&
    event.namespace === watcher.namespace &&
    watcher.matches(event.object)
  );
}

/** Like the controller's pod-template-hash: a short stable hash of the pod template. */
function templateHash(spec: JsonObject): string {
  const template = clone(spec.template as JsonObject);
  const labels = metadataOf(template).labels;
  if (isObject(labels)) delete labels['pod-template-hash'];
  return createHash('sha256').update(stableJson(template)).digest('hex').slice(0, 10);
}

function stableJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k] as Json)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function condition(type: string, status: string, reason: string, message: string): JsonObject {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return { type, status, reason, message, lastUpdateTime: now, lastTransitionTime: now };
}

/** The defaults the API server fills in, so clones carry what a real cluster would return. */
function applyDeploymentDefaults(object: JsonObject): void {
  const spec = (isObject(object.spec) ? object.spec : (object.spec = {})) as JsonObject;
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.strategy ??= {
    type: 'RollingUpdate',
    rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
  };
}
