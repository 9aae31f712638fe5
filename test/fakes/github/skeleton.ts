// Fills the required fields a response schema demands and the fake does not model (a
// pull request's `head.repo` has ~80), so every body has the shape GitHub documents.
// The fake's own values always win; only missing required fields are filled.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, unknown>;

const MAX_DEPTH = 12;

/** `value` completed with placeholders for each required field the schema has and it lacks. */
export function shape(schema: unknown, value: unknown, depth = 0): Json {
  if (value === undefined) return placeholder(schema, depth);
  if (!schema || typeof schema !== 'object' || depth > MAX_DEPTH || value === null) {
    return value as Json;
  }
  const s = schema as Schema;
  const alternatives = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
  if (Array.isArray(alternatives)) {
    const pick = alternatives.find((o) => o && fits(o, value)) ?? alternatives[0];
    return shape(pick, value, depth + 1);
  }
  if (Array.isArray(s.allOf)) {
    return (s.allOf as unknown[]).reduce<Json>(
      (acc, part) => shape(part, acc, depth + 1),
      value as Json,
    );
  }
  if (Array.isArray(value)) {
    return value.map((item) => shape(s.items, item, depth + 1));
  }
  if (typeof value !== 'object') return value as Json;
  const props = (s.properties ?? {}) as Record<string, unknown>;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) out[k] = shape(props[k], v, depth + 1);
  }
  for (const name of (s.required ?? []) as string[]) {
    if (!(name in out)) out[name] = placeholder(props[name], depth + 1);
  }
  return out;
}

function fits(schema: Schema, value: unknown): boolean {
  const t = schema.type;
  if (t === undefined) return !(value === null);
  if (value === null) return t === 'null' || schema.nullable === true;
  if (Array.isArray(value)) return t === 'array';
  if (t === 'integer') return Number.isInteger(value);
  return t === typeof value;
}

function placeholder(schema: unknown, depth: number): Json {
  if (!schema || typeof schema !== 'object' || depth > MAX_DEPTH) return null;
  const s = schema as Schema;
  if (s.nullable === true) return null;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0] as Json;
  const alternatives = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
  if (Array.isArray(alternatives)) {
    if (alternatives.some((o) => o?.type === 'null')) return null;
    return placeholder(alternatives[0], depth + 1);
  }
  if (Array.isArray(s.allOf)) {
    return (s.allOf as unknown[]).reduce<Json>((acc, part) => shape(part, acc, depth + 1), {});
  }
  switch (s.type) {
    case 'string':
      if (s.format === 'date-time') return '2026-01-01T00:00:00Z';
      if (s.format === 'uri') return 'https://github.com';
      return '';
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    default:
      return shape(s, {}, depth);
  }
}
