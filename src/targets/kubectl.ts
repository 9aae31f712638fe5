import { EnvironmentError } from '../core/errors.js';
import { execProgram } from '../core/exec.js';
import type { Logger } from '../core/log.js';
import { displayCommand } from '../core/run-command.js';
import {
  annotateArgs,
  applyArgs,
  connectionArgs,
  deleteDeploymentsArgs,
  deleteObjectsArgs,
  getDeploymentsArgs,
  getObjectsArgs,
  jsonPatchArgs,
  kustomizeArgs,
  listPodsArgs,
  rawGetArgs,
  patchArgs,
  rolloutStatusArgs,
  rolloutUndoArgs,
  type AnnotationChange,
  type KubectlConnection,
} from './kubectl-args.js';
import type { Deployment } from './kubernetes-manifests.js';

/** The kubectl operations the kubernetes target uses; nothing else runs kubectl. */
export interface Kubectl {
  /** The named deployments that exist (missing ones are left out). */
  getDeployments(names: readonly string[]): Promise<Deployment[]>;
  /** Server-side apply; `dryRun`: checked by the server (RBAC, schema), nothing stored. */
  apply(objects: readonly object[], options?: { dryRun?: boolean }): Promise<void>;
  /** Resolves when rolled out; throws KubectlError (reason rollout_failed) with kubectl's words otherwise. */
  rolloutStatus(name: string, timeoutMs: number): Promise<void>;
  patch(name: string, patch: object): Promise<void>;
  /** A JSON patch of another resource (an HTTPRoute), optionally as a server-side dry run. */
  patchJson(
    resource: string,
    name: string,
    ops: readonly object[],
    options?: { dryRun?: boolean },
  ): Promise<void>;
  annotate(name: string, change: AnnotationChange): Promise<void>;
  rolloutUndo(name: string): Promise<void>;
  deleteDeployments(names: readonly string[]): Promise<void>;
  /** `kubectl kustomize <dir>`: the rendered YAML (no cluster call). */
  kustomize(dir: string): Promise<string>;
  /** Which of these objects exist, as the server has them (`get -f -`). */
  getObjects(objects: readonly object[]): Promise<KubeObject[]>;
  /** Deletes these objects; already gone counts as deleted. */
  deleteObjects(objects: readonly object[]): Promise<void>;
  /** Pods matching the labels. */
  listPods(selector: Record<string, string>): Promise<KubeObject[]>;
  /** GET of an API path (`kubectl get --raw`), e.g. a pod's /metrics through the pod proxy. */
  getRaw(path: string, timeoutMs?: number): Promise<string>;
}

/** Any object kubectl returns: enough to name it. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface KubectlOptions {
  program: string;
  connection: KubectlConnection;
  /** The whole environment of kubectl (KUBECONFIG, KUBECACHEDIR, HOME, PATH…). */
  env: Record<string, string | undefined>;
  /** Time limit of each call other than `rollout status`. */
  requestTimeoutMs: number;
  log: Logger;
}

/** kubectl exited non-zero; `reason` is a stable code, `kubectlMessage` kubectl's own words. */
export class KubectlError extends EnvironmentError {
  constructor(
    message: string,
    reason: string,
    readonly kubectlMessage: string,
    /** The Deployment a failed `rollout status` was about. */
    readonly deployment?: string,
  ) {
    super(message, reason, { kubectl: kubectlMessage });
  }
}

/** Time kubectl may take beyond its own `--timeout` to report (and to start). */
const GRACE_MS = 15_000;

export function createKubectl(options: KubectlOptions): Kubectl {
  const { log } = options;

  /** The one place kubectl runs: an argument array, the given env only, a time limit. */
  async function execKubectl(
    args: string[],
    call: { input?: string; timeoutMs: number },
  ): Promise<string> {
    const argv = [...connectionArgs(options.connection), ...args];
    const shown = displayCommand(['kubectl', ...args]);
    log.debug(`$ ${shown}`);
    const result = await execProgram({
      argv: [options.program, ...argv],
      cwd: process.cwd(),
      env: options.env,
      extendEnv: false,
      input: call.input,
      timeoutMs: call.timeoutMs,
      captureStdout: true,
      captureStderr: true,
      display: shown,
      timeoutHint: 'check that the cluster is reachable, or raise deploy.kubernetes.requestTimeout',
      notFound: () =>
        `kubectl not found (deploy.kubernetes.kubectl: ${options.program}); install kubectl or set the path`,
      reasons: {
        timeout: 'kubectl_timeout',
        notFound: 'kubectl_not_found',
        failedToStart: 'kubectl_failed_to_start',
      },
    });
    if (result.exitCode !== 0) {
      const said = kubectlSaid(String(result.stderr)) || kubectlSaid(String(result.stdout));
      throw new KubectlError(`\`${shown}\` failed: ${said}`, reasonOf(said), said);
    }
    return String(result.stdout);
  }

  const quick = { timeoutMs: options.requestTimeoutMs };
  return {
    async getDeployments(names) {
      const out = (await execKubectl(getDeploymentsArgs(names), quick)).trim();
      if (!out) return [];
      const parsed = JSON.parse(out) as Deployment | { kind: 'List'; items: Deployment[] };
      return 'items' in parsed ? parsed.items : [parsed];
    },
    async apply(objects, applyOptions) {
      await execKubectl(applyArgs(applyOptions), { ...quick, input: listOf(objects) });
    },
    async kustomize(dir) {
      return execKubectl(kustomizeArgs(dir), quick);
    },
    async getObjects(objects) {
      if (objects.length === 0) return [];
      const out = (
        await execKubectl(getObjectsArgs(), { ...quick, input: listOf(objects) })
      ).trim();
      if (!out) return [];
      const parsed = JSON.parse(out) as KubeObject & { items?: KubeObject[] };
      return parsed.kind === 'List' && Array.isArray(parsed.items) ? parsed.items : [parsed];
    },
    async listPods(selector) {
      const out = await execKubectl(listPodsArgs(selector), quick);
      return (JSON.parse(out) as { items?: KubeObject[] }).items ?? [];
    },
    async getRaw(path, timeoutMs) {
      return execKubectl(rawGetArgs(path), { timeoutMs: timeoutMs ?? options.requestTimeoutMs });
    },
    async deleteObjects(objects) {
      if (objects.length === 0) return;
      await execKubectl(deleteObjectsArgs(options.requestTimeoutMs), {
        timeoutMs: options.requestTimeoutMs + GRACE_MS,
        input: listOf(objects),
      });
    },
    async rolloutStatus(name, timeoutMs) {
      try {
        await execKubectl(rolloutStatusArgs(name, timeoutMs), { timeoutMs: timeoutMs + GRACE_MS });
      } catch (e) {
        if (e instanceof KubectlError) {
          throw new KubectlError(
            `deployment ${name} did not roll out: ${e.kubectlMessage}`,
            'rollout_failed',
            e.kubectlMessage,
            name,
          );
        }
        throw e;
      }
    },
    async patch(name, patch) {
      await execKubectl(patchArgs(name, patch), quick);
    },
    async patchJson(resource, name, ops, patchOptions) {
      await execKubectl(jsonPatchArgs(resource, name, ops, patchOptions), quick);
    },
    async annotate(name, change) {
      await execKubectl(annotateArgs(name, change), quick);
    },
    async rolloutUndo(name) {
      await execKubectl(rolloutUndoArgs(name), quick);
    },
    async deleteDeployments(names) {
      await execKubectl(deleteDeploymentsArgs(names, options.requestTimeoutMs), {
        timeoutMs: options.requestTimeoutMs + GRACE_MS,
      });
    },
  };
}

function listOf(objects: readonly object[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
}

/** kubectl's message without klog noise (`E1123 12:00:00 memcache.go…` lines). */
export function kubectlSaid(output: string): string {
  return output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^[IWEF]\d{4} \d\d:\d\d:\d\d/.test(l))
    .join('; ');
}

/** A stable reason code from kubectl's message. */
export function reasonOf(message: string): string {
  if (/\(Conflict\)/.test(message)) return 'conflict';
  if (/\(NotFound\)|not found/.test(message)) return 'not_found';
  if (/\(Forbidden\)|forbidden/i.test(message)) return 'forbidden';
  if (/\(Invalid\)| is invalid/.test(message)) return 'invalid';
  if (/refused|Unable to connect|no such host|i\/o timeout/.test(message)) return 'unreachable';
  if (/exceeded its progress deadline/.test(message)) return 'progress_deadline_exceeded';
  if (/timed out waiting/.test(message)) return 'rollout_timeout';
  return 'kubectl_failed';
}
