/**
 * The three patch formats kubectl sends, applied the way the API server applies them to
 * the few shapes the fake holds: RFC 7386 merge patch (annotate), strategic merge patch
 * (set image, patch: lists of containers merged by name) and RFC 6902 JSON patch
 * (rollout undo).
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export class PatchError extends Error {}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** RFC 7386: objects merge, null deletes, anything else replaces (arrays included). */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** The merge keys of the lists kubectl patches strategically (from the Kubernetes Go types). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  ports: 'containerPort',
  volumes: 'name',
  volumeMounts: 'mountPath',
};

/** Strategic merge patch: like a merge patch, but lists with a merge key merge by that key. */
export function strategicMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    // Directives that only order lists; the fake keeps the live order.
    if (key.startsWith('$setElementOrder/') || key === '$retainKeys') continue;
    if (key.startsWith('$')) throw new PatchError(`unsupported strategic merge directive ${key}`);
    const mergeKey = MERGE_KEYS[key];
    if (value === null) delete out[key];
    else if (mergeKey && Array.isArray(value)) out[key] = mergeList(out[key], value, mergeKey);
    else out[key] = strategicMergePatch(out[key], value);
  }
  return out;
}

function mergeList(target: Json | undefined, patch: Json[], mergeKey: string): Json[] {
  const out = Array.isArray(target) ? clone(target) : [];
  for (const item of patch) {
    if (!isObject(item) || item[mergeKey] === undefined)
      throw new PatchError(`list item without merge key ${mergeKey}`);
    const index = out.findIndex(
      (existing) => isObject(existing) && existing[mergeKey] === item[mergeKey],
    );
    if (item.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
    } else if (index >= 0) out[index] = strategicMergePatch(out[index], item);
    else out.push(strategicMergePatch({}, item));
  }
  return out;
}

/** RFC 6902, the operations kubectl uses (add, replace, remove, test). */
export function jsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations)) throw new PatchError('a JSON patch is an array of operations');
  let doc = clone(target);
  for (const op of operations) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') {
      throw new PatchError('each JSON patch operation needs op and path');
    }
    doc = applyOperation(doc, op.op, op.path, op.value);
  }
  return doc;
}

function applyOperation(doc: Json, op: string, path: string, value: Json | undefined): Json {
  const tokens = path
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (tokens.length === 0) {
    if (op === 'replace' || op === 'add') return clone(value ?? null);
    throw new PatchError(`cannot ${op} the whole document`);
  }
  const last = tokens.pop() as string;
  let parent: Json = doc;
  for (const token of tokens) {
    const next: Json | undefined = Array.isArray(parent)
      ? parent[Number(token)]
      : isObject(parent)
        ? parent[token]
        : undefined;
    if (next === undefined) throw new PatchError(`path ${path} does not exist`);
    parent = next;
  }
  if (!isObject(parent)) throw new PatchError(`path ${path}: the fake only patches object members`);
  const exists = Object.hasOwn(parent, last);
  switch (op) {
    case 'add':
      parent[last] = clone(value ?? null);
      break;
    case 'replace':
      // RFC 6902 §4.3: the target location MUST exist.
      if (!exists) throw new PatchError(`replace: path ${path} does not exist`);
      parent[last] = clone(value ?? null);
      break;
    case 'remove':
      if (!exists) throw new PatchError(`remove: path ${path} does not exist`);
      delete parent[last];
      break;
    case 'test':
      if (JSON.stringify(parent[last]) !== JSON.stringify(value))
        throw new PatchError(`test failed at ${path}`);
      break;
    default:
      throw new PatchError(`unsupported JSON patch op ${op}`);
  }
  return doc;
}
