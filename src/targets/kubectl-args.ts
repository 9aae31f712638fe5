/**
 * kubectl argument lists, built by pure functions (tested by tables). Names reach here
 * already validated by the config schema; values come after `=` or a flag, so nothing
 * from the config can be read as a flag.
 */

/** The field manager of every server-side apply, so ownership shows who wrote what. */
export const FIELD_MANAGER = 'model-delivery';

export interface KubectlConnection {
  namespace: string;
  kubeconfig?: string;
  context?: string;
}

/** Global flags, placed before the subcommand. */
export function connectionArgs(c: KubectlConnection): string[] {
  return [
    ...(c.kubeconfig ? [`--kubeconfig=${c.kubeconfig}`] : []),
    ...(c.context ? [`--context=${c.context}`] : []),
    `--namespace=${c.namespace}`,
  ];
}

/** Seconds for kubectl's `--timeout`, rounded up so a limit never shrinks. */
export function timeoutFlag(timeoutMs: number): string {
  return `--timeout=${Math.max(1, Math.ceil(timeoutMs / 1000))}s`;
}

/**
 * Missing objects are left out (an empty answer), so one call reads every track. With
 * managedFields (kubectl hides them by default): who changed stable's spec tells drift.
 */
export function getDeploymentsArgs(names: readonly string[]): string[] {
  if (names.length === 0) throw new RangeError('getDeploymentsArgs needs at least one name');
  return [
    'get',
    'deployment',
    ...names,
    '--output=json',
    '--ignore-not-found',
    '--show-managed-fields=true',
  ];
}

/**
 * Server-side apply of the objects given on stdin. `--force-conflicts`: canary and baseline
 * belong to model-delivery alone, so a field another manager touched is taken back.
 * `--validate=false`: the server validates anyway, and it spares the openapi download.
 */
export function applyArgs(options: { dryRun?: boolean } = {}): string[] {
  return [
    'apply',
    '--server-side',
    `--field-manager=${FIELD_MANAGER}`,
    '--force-conflicts',
    '--validate=false',
    ...(options.dryRun ? ['--dry-run=server'] : []),
    '--filename=-',
  ];
}

/** Renders a kustomize directory, given as an absolute path (so it never reads as a flag). */
export function kustomizeArgs(dir: string): string[] {
  return ['kustomize', dir];
}

/** The objects on stdin that exist, as JSON; missing ones are left out. */
export function getObjectsArgs(): string[] {
  return ['get', '--filename=-', '--output=json', '--ignore-not-found'];
}

/** Deletes the objects on stdin (already gone counts as deleted), waiting a bounded time. */
export function deleteObjectsArgs(timeoutMs: number): string[] {
  return ['delete', '--filename=-', '--ignore-not-found', '--wait=true', timeoutFlag(timeoutMs)];
}

/** Pods by an equality label selector (a track's), as JSON. */
export function listPodsArgs(selector: Record<string, string>): string[] {
  const terms = Object.entries(selector).map(([k, v]) => `${k}=${v}`);
  if (terms.length === 0) throw new RangeError('listPodsArgs needs a selector');
  return ['get', 'pods', `--selector=${terms.join(',')}`, '--output=json'];
}

/** A GET of an API path (the pod proxy), with kubectl's credentials. */
export function rawGetArgs(path: string): string[] {
  if (!path.startsWith('/api/')) throw new RangeError(`not an API path: ${path}`);
  return ['get', `--raw=${path}`];
}

export function rolloutStatusArgs(name: string, timeoutMs: number): string[] {
  return ['rollout', 'status', `deployment/${name}`, '--watch=true', timeoutFlag(timeoutMs)];
}

/** A strategic merge patch (containers merge by name), given inline: it holds no secret. */
export function patchArgs(name: string, patch: object): string[] {
  return [
    'patch',
    'deployment',
    name,
    '--type=strategic',
    `--field-manager=${FIELD_MANAGER}`,
    `--patch=${JSON.stringify(patch)}`,
  ];
}

/**
 * A JSON patch (RFC 6902) of any resource (`httproutes.gateway.networking.k8s.io`): custom
 * resources take no strategic merge patch. `dryRun`: the server checks it (RBAC, schema)
 * and stores nothing.
 */
export function jsonPatchArgs(
  resource: string,
  name: string,
  ops: readonly object[],
  options: { dryRun?: boolean } = {},
): string[] {
  if (ops.length === 0) throw new RangeError('jsonPatchArgs needs at least one operation');
  return [
    'patch',
    resource,
    name,
    '--type=json',
    `--field-manager=${FIELD_MANAGER}`,
    `--patch=${JSON.stringify(ops)}`,
    ...(options.dryRun ? ['--dry-run=server'] : []),
  ];
}

export interface AnnotationChange {
  set?: Record<string, string>;
  remove?: readonly string[];
  /** Only succeed if the object is still at this version (optimistic lock). */
  resourceVersion?: string;
}

export function annotateArgs(name: string, change: AnnotationChange): string[] {
  const set = Object.entries(change.set ?? {}).map(([k, v]) => `${k}=${v}`);
  const remove = (change.remove ?? []).map((k) => `${k}-`);
  if (set.length + remove.length === 0) throw new RangeError('annotateArgs needs a change');
  return [
    'annotate',
    'deployment',
    name,
    ...set,
    ...remove,
    '--overwrite',
    `--field-manager=${FIELD_MANAGER}`,
    ...(change.resourceVersion ? [`--resource-version=${change.resourceVersion}`] : []),
  ];
}

export function rolloutUndoArgs(name: string): string[] {
  return ['rollout', 'undo', `deployment/${name}`];
}

/** Already gone counts as deleted; waits (bounded) until the objects are gone. */
export function deleteDeploymentsArgs(names: readonly string[], timeoutMs: number): string[] {
  if (names.length === 0) throw new RangeError('deleteDeploymentsArgs needs at least one name');
  return [
    'delete',
    'deployment',
    ...names,
    '--ignore-not-found',
    '--wait=true',
    timeoutFlag(timeoutMs),
  ];
}
