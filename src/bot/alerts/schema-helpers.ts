import { z } from 'zod';
import { formatPath } from '../../config/path.js';
import type { Alert, ParseResult } from './types.js';

export const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Label and annotation maps: string values only, as every sender documents them. */
export const stringMap = z.record(z.string(), z.string());

/** Alertmanager and Grafana send `0001-01-01T00:00:00Z` for "no end yet". */
export function timeOrUndefined(value: string | undefined): string | undefined {
  return value && !value.startsWith('0001-01-01') ? value : undefined;
}

/** Parses with a loose schema (unknown fields accepted) and names the first problem, never a value. */
export function parseWith<T>(
  schema: z.ZodType<T>,
  body: unknown,
  map: (value: T) => ParseResult,
): ParseResult {
  // reportInput lets the message tell missing from wrong; the value itself is never echoed.
  const parsed = schema.safeParse(body, { reportInput: true });
  if (parsed.success) return map(parsed.data);
  const issue = parsed.error.issues[0];
  if (!issue) return { ok: false, problem: 'invalid body' };
  return { ok: false, problem: `${formatPath(safePath(issue.path))}: ${describe(issue)}` };
}

/** Field names of the senders' documented bodies: the only names an error message repeats. */
const KNOWN_FIELDS = new Set([
  'alerts',
  'labels',
  'annotations',
  'commonLabels',
  'commonAnnotations',
  'groupLabels',
  'status',
  'startsAt',
  'endsAt',
  'generatorURL',
  'fingerprint',
  'version',
  'externalURL',
  'url',
  'id',
  'level',
  'message',
  'details',
  'time',
  'data',
  'series',
  'tags',
  'name',
  'dashboardURL',
  'panelURL',
  'silenceURL',
  ...FORBIDDEN_KEYS,
]);

/** A path as an error may show it: indexes and documented field names; any other key is `*`. */
export function safePath(path: readonly PropertyKey[]): PropertyKey[] {
  return path.map((k) => (typeof k === 'number' || KNOWN_FIELDS.has(String(k)) ? k : '*'));
}

/**
 * Pure: the path of the first key anywhere in a parsed JSON value that could reach an
 * object's prototype when copied (`__proto__`, `constructor`, `prototype`), or undefined.
 * zod drops such keys silently, so they are refused before parsing, on every route.
 */
export function forbiddenKeyPath(value: unknown, depth = 0): PropertyKey[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > 64) return []; // deeper than any sender nests: refused as a whole
  const entries: [PropertyKey, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.keys(value).map((k) => [k, (value as Record<string, unknown>)[k]]);
  for (const [key, child] of entries) {
    if (typeof key === 'string' && (FORBIDDEN_KEYS as readonly string[]).includes(key))
      return [key];
    const below = forbiddenKeyPath(child, depth + 1);
    if (below) return [key, ...below];
  }
  return undefined;
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `required (${issue.expected})`
        : `expected ${issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

export function link(title: string, url: unknown): { title: string; url: string }[] {
  return typeof url === 'string' && /^https?:\/\//.test(url) ? [{ title, url }] : [];
}

export const alertStatus = z.enum(['firing', 'resolved']);

/**
 * One alert of Alertmanager's template data (template/template.go), which Grafana's webhook
 * payload extends; unknown fields pass.
 */
export const templateAlert = z.looseObject({
  status: alertStatus,
  labels: stringMap,
  annotations: stringMap.optional(),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});

/** The common part of both senders' alerts; the group's annotations fill what an alert lacks. */
export function toAlert(
  alert: z.infer<typeof templateAlert>,
  commonAnnotations: Record<string, string> | undefined,
  links: Alert['links'],
): Alert {
  return {
    status: alert.status,
    labels: alert.labels,
    annotations: { ...commonAnnotations, ...alert.annotations },
    startsAt: timeOrUndefined(alert.startsAt),
    endsAt: timeOrUndefined(alert.endsAt),
    fingerprint: alert.fingerprint,
    links,
  };
}
