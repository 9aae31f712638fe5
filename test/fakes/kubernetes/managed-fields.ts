import { isObject, type JsonObject } from './patches.js';

/**
 * managedFields as the API server keeps them, for the parts model-delivery reads: which
 * manager last changed the spec (drift) and which annotation and label keys a manager
 * applied, so a server-side apply removes only the keys it applied before and keeps the
 * ones other managers (`kubectl annotate`) own.
 */

type Entry = JsonObject & { manager: string; operation: string; fieldsV1: JsonObject };

function stamp(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

function keysOf(fields: JsonObject | undefined, kind: 'f:annotations' | 'f:labels'): string[] {
  const meta = isObject(fields?.['f:metadata']) ? (fields['f:metadata'] as JsonObject) : {};
  const set = isObject(meta[kind]) ? (meta[kind] as JsonObject) : {};
  return Object.keys(set).map((k) => k.replace(/^f:/, ''));
}

function fieldSet(annotations: string[], labels: string[], spec: boolean): JsonObject {
  const set = (keys: string[]) => Object.fromEntries(keys.map((k) => [`f:${k}`, {}]));
  return {
    ...(annotations.length || labels.length
      ? {
          'f:metadata': {
            ...(annotations.length ? { 'f:annotations': set(annotations) } : {}),
            ...(labels.length ? { 'f:labels': set(labels) } : {}),
          },
        }
      : {}),
    ...(spec ? { 'f:spec': {} } : {}),
  };
}

function entries(meta: JsonObject): Entry[] {
  return (Array.isArray(meta.managedFields) ? meta.managedFields : []).filter(
    (f): f is Entry => isObject(f) && typeof f.manager === 'string',
  );
}

function changedKeys(next: JsonObject | undefined, live: JsonObject | undefined): string[] {
  const keys = new Set([...Object.keys(next ?? {}), ...Object.keys(live ?? {})]);
  return [...keys].filter((k) => next?.[k] !== live?.[k]);
}

/**
 * The managedFields after a write by `manager`: an Update owns the keys it changed (merged
 * with what it owned), an Apply owns exactly what it applied.
 */
export function recordManager(
  meta: JsonObject,
  liveMeta: JsonObject | undefined,
  write: { manager: string; operation: string; specChanged: boolean; applied?: JsonObject },
): void {
  const others = entries(liveMeta ?? {}).filter(
    (f) => !(f.manager === write.manager && f.operation === write.operation),
  );
  const previous = entries(liveMeta ?? {}).find(
    (f) => f.manager === write.manager && f.operation === write.operation,
  );
  let fields: JsonObject;
  if (write.applied) {
    const appliedMeta = isObject(write.applied.metadata) ? write.applied.metadata : {};
    fields = fieldSet(
      Object.keys(isObject(appliedMeta.annotations) ? appliedMeta.annotations : {}),
      Object.keys(isObject(appliedMeta.labels) ? appliedMeta.labels : {}),
      write.applied.spec !== undefined,
    );
  } else {
    const annotations = changedKeys(
      meta.annotations as JsonObject | undefined,
      liveMeta?.annotations as JsonObject | undefined,
    ).filter((k) => !k.startsWith('deployment.kubernetes.io/'));
    const labels = changedKeys(
      meta.labels as JsonObject | undefined,
      liveMeta?.labels as JsonObject | undefined,
    );
    const owned = previous?.fieldsV1;
    fields = fieldSet(
      [...new Set([...keysOf(owned, 'f:annotations'), ...annotations])],
      [...new Set([...keysOf(owned, 'f:labels'), ...labels])],
      write.specChanged || (isObject(owned) && owned['f:spec'] !== undefined),
    );
  }
  meta.managedFields = [
    ...others,
    {
      manager: write.manager,
      operation: write.operation,
      apiVersion: 'apps/v1',
      time: stamp(),
      fieldsType: 'FieldsV1',
      fieldsV1: fields,
    },
  ];
}

/**
 * Server-side apply of labels or annotations: the applied keys, plus the live keys this
 * manager did not apply before (another manager owns them).
 */
export function applyKeys(
  live: JsonObject | undefined,
  applied: JsonObject | undefined,
  liveMeta: JsonObject,
  manager: string,
  kind: 'f:annotations' | 'f:labels',
): JsonObject {
  const mine = new Set(
    keysOf(
      entries(liveMeta).find((f) => f.manager === manager && f.operation === 'Apply')?.fieldsV1,
      kind,
    ),
  );
  const kept = Object.fromEntries(
    Object.entries(live ?? {}).filter(([k]) => !mine.has(k) && !(k in (applied ?? {}))),
  );
  return { ...kept, ...(applied ?? {}) };
}
