import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { isObject, type JsonObject } from './patches.js';

/**
 * The fake's kubelet: each pod of a Deployment runs as a local process from a per-image
 * command mapping given by the test, with the pod's env, on its own loopback port (passed
 * as PORT: the stand-in for the pod network, where every pod has its own IP and the same
 * containerPort). A pod is ready when its readiness probe path answers 2xx; a process that
 * exits is restarted (restartCount), as the kubelet does under restartPolicy Always.
 */

export interface ImageCommand {
  /** Which images this runs (e.g. /^ghcr\.io\/example\/classifier[:@]/). */
  image: RegExp;
  command: string[];
  cwd?: string;
  /** Extra env, after the pod's (e.g. HOST=127.0.0.1 so nothing listens beyond loopback). */
  env?: Record<string, string> | ((image: string) => Record<string, string>);
}

export interface KubeletOptions {
  images: ImageCommand[];
  /** The environment every pod process starts from (PATH…). */
  baseEnv?: Record<string, string | undefined>;
  /** How often readiness is probed. */
  probeIntervalMs?: number;
}

export interface RunningPod {
  name: string;
  namespace: string;
  /** The Deployment that owns it, and the template hash it runs. */
  owner: string;
  hash: string;
  labels: Record<string, string>;
  /** containerPort (number and name) → the loopback port the process listens on. */
  ports: Map<string, number>;
  port: number;
  container: string;
  image: string;
  /** The readiness probe's httpGet path. */
  readyPath: string;
  ready: boolean;
  restarts: number;
  process?: ChildProcess;
  stopped: boolean;
  /** Its stdout and stderr, for a test's failure message. */
  output: string[];
}

/** What the kubelet needs of the API server's state. */
export interface PodHost {
  configMap(namespace: string, name: string): JsonObject | undefined;
  /** The pod object changed (created, ready, restarted, deleted): the API server stores it. */
  podChanged(pod: RunningPod, gone?: boolean): void;
}

type Container = JsonObject & { name?: string; image?: string };

export class Kubelet {
  readonly pods = new Map<string, RunningPod>();
  #host?: PodHost;

  constructor(readonly options: KubeletOptions) {}

  attach(host: PodHost): void {
    this.#host = host;
  }

  /** The command for an image; none means the image cannot be pulled (the pod never starts). */
  commandFor(image: string): ImageCommand | undefined {
    return this.options.images.find((i) => i.image.test(image));
  }

  /**
   * Runs `replicas` pods of the Deployment's template; resolves true once they are all
   * ready (then the pods of older templates are stopped), false when one cannot start.
   */
  async sync(namespace: string, deployment: JsonObject, hash: string): Promise<boolean> {
    const meta = deployment.metadata as JsonObject;
    const owner = String(meta.name);
    const spec = deployment.spec as JsonObject;
    const replicas = Number(spec.replicas ?? 1);
    const template = spec.template as JsonObject;
    const current = this.#owned(namespace, owner).filter((p) => p.hash === hash);
    for (const extra of current.slice(replicas)) this.#stop(extra);
    const started: RunningPod[] = [];
    for (let i = current.length; i < replicas; i += 1) {
      const pod = await this.#start(namespace, owner, hash, template);
      if (!pod) return false;
      started.push(pod);
    }
    const ok = await this.#waitReady(current.slice(0, replicas).concat(started));
    if (ok) for (const old of this.#owned(namespace, owner)) if (old.hash !== hash) this.#stop(old);
    return ok;
  }

  /** The Deployment is gone: its pods stop. */
  remove(namespace: string, owner: string): void {
    for (const pod of this.#owned(namespace, owner)) this.#stop(pod);
  }

  /** Kills a pod's process (a crash): the kubelet restarts it. */
  crash(name: string): void {
    this.pods.get(name)?.process?.kill('SIGKILL');
  }

  /** Deletes a pod: the ReplicaSet's controller makes a new one (with a new name). */
  async evict(namespace: string, name: string, deployment: JsonObject, hash: string) {
    const pod = this.pods.get(name);
    if (pod) this.#stop(pod);
    return this.sync(namespace, deployment, hash);
  }

  stopAll(): void {
    for (const pod of this.pods.values()) this.#stop(pod);
  }

  #owned(namespace: string, owner: string): RunningPod[] {
    return [...this.pods.values()].filter(
      (p) => p.namespace === namespace && p.owner === owner && !p.stopped,
    );
  }

  async #start(namespace: string, owner: string, hash: string, template: JsonObject) {
    const podSpec = template.spec as JsonObject;
    const container = (podSpec.containers as Container[])[0] as Container;
    const run = this.commandFor(String(container.image));
    if (!run) return undefined;
    const name = `${owner}-${hash}-${randomBytes(3).toString('hex').slice(0, 5)}`;
    const labels = {
      ...(((template.metadata as JsonObject)?.labels ?? {}) as Record<string, string>),
      'pod-template-hash': hash,
    };
    const port = await freeLoopbackPort();
    const ports = new Map<string, number>();
    for (const p of (container.ports ?? []) as JsonObject[]) {
      ports.set(String(p.containerPort), port);
      if (p.name) ports.set(String(p.name), port);
    }
    const probe = (container.readinessProbe as JsonObject | undefined)?.httpGet as JsonObject;
    const pod: RunningPod = {
      ...{ name, namespace, owner, hash, labels, ports, port },
      container: String(container.name),
      image: String(container.image),
      readyPath: typeof probe?.path === 'string' ? probe.path : '/',
      ...{ ready: false, restarts: 0, stopped: false, output: [] },
    };
    this.pods.set(name, pod);
    const extra = typeof run.env === 'function' ? run.env(String(container.image)) : run.env;
    const env = {
      ...this.options.baseEnv,
      ...this.#podEnv(pod, container),
      PORT: String(port),
      ...extra,
    };
    this.#spawn(pod, run, env);
    this.#host?.podChanged(pod);
    return pod;
  }

  #spawn(pod: RunningPod, run: ImageCommand, env: Record<string, string | undefined>): void {
    const [program, ...args] = run.command as [string, ...string[]];
    const child = spawn(program, args, { cwd: run.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    pod.process = child;
    const keep = (chunk: Buffer) => {
      pod.output.push(chunk.toString());
      if (pod.output.length > 200) pod.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', () => {
      if (pod.stopped) return;
      // restartPolicy Always: the container restarts, unready until its probe passes again.
      pod.restarts += 1;
      pod.ready = false;
      this.#host?.podChanged(pod);
      this.#spawn(pod, run, env);
      void this.#waitReady([pod]);
    });
  }

  /** The container's env as the kubelet resolves it: values, field refs, ConfigMap refs. */
  #podEnv(pod: RunningPod, container: Container): Record<string, string> {
    const env: Record<string, string> = {};
    for (const from of (container.envFrom ?? []) as JsonObject[]) {
      const ref = from.configMapRef as JsonObject | undefined;
      const data = ref && this.#host?.configMap(pod.namespace, String(ref.name))?.data;
      if (isObject(data)) for (const [k, v] of Object.entries(data)) env[k] = String(v);
    }
    for (const e of (container.env ?? []) as JsonObject[]) {
      const name = String(e.name);
      if (typeof e.value === 'string') env[name] = e.value;
      const path = ((e.valueFrom as JsonObject)?.fieldRef as JsonObject)?.fieldPath;
      if (typeof path === 'string') env[name] = fieldValue(pod, path);
    }
    return env;
  }

  async #waitReady(pods: RunningPod[]): Promise<boolean> {
    const interval = this.options.probeIntervalMs ?? 50;
    await Promise.all(
      pods.map(async (pod) => {
        while (!pod.stopped && !pod.ready) {
          if (await probe(pod.port, pod.readyPath)) {
            pod.ready = true;
            this.#host?.podChanged(pod);
          } else await new Promise((r) => setTimeout(r, interval));
        }
      }),
    );
    return pods.every((p) => p.ready);
  }

  #stop(pod: RunningPod): void {
    if (pod.stopped) return;
    pod.stopped = true;
    pod.ready = false;
    pod.process?.kill('SIGTERM');
    this.pods.delete(pod.name);
    this.#host?.podChanged(pod, true);
  }
}

function fieldValue(pod: RunningPod, path: string): string {
  const label = /^metadata\.labels\['([^']+)'\]$/.exec(path);
  if (label) return pod.labels[label[1] as string] ?? '';
  if (path === 'metadata.name') return pod.name;
  if (path === 'metadata.namespace') return pod.namespace;
  if (path === 'status.podIP') return '127.0.0.1';
  return '';
}

async function probe(port: number, path: string): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      signal: AbortSignal.timeout(1000),
    });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    // Not listening yet, or refused: not ready.
    return false;
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
