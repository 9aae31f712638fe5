import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { KINDS, metadataOf, type Resource } from './cluster.js';
import type { Json, JsonObject } from './patches.js';

/** HTTP plumbing of the Kubernetes fake: errors as Status objects, selectors, bodies. */

/** An answer other than 2xx; sent as a Status object. */
export class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: JsonObject,
  ) {
    super(message);
  }
}

/** Optimistic concurrency: a resourceVersion in the new object must be the live one. */
export function checkResourceVersion(
  next: JsonObject,
  live: JsonObject,
  resource: Resource,
  name: string,
): void {
  const wanted = metadataOf(next).resourceVersion;
  if (wanted !== undefined && wanted !== metadataOf(live).resourceVersion) {
    throw new HttpError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, group: KINDS[resource].group, kind: resource },
    );
  }
}

/** fieldSelector (metadata.name, metadata.namespace) and equality-based labelSelector. */
export function selectorFilter(query: Record<string, string>): (o: JsonObject) => boolean {
  const tests: Array<(o: JsonObject) => boolean> = [];
  for (const term of (query.fieldSelector ?? '').split(',').filter(Boolean)) {
    const m = /^(metadata\.name|metadata\.namespace)(!=|==|=)(.*)$/.exec(term);
    if (!m)
      throw new HttpError(
        400,
        'BadRequest',
        `"${term}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
      );
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const key = field.split('.')[1] as string;
    tests.push((o) => (String(metadataOf(o)[key]) === value) === (op !== '!='));
  }
  for (const term of (query.labelSelector ?? '').split(',').filter(Boolean)) {
    const m = /^(!?)([\w./-]+)(?:(!=|==|=)([\w.-]*))?$/.exec(term);
    if (!m)
      throw new HttpError(
        400,
        'BadRequest',
        `unable to parse requirement: "${term}" (the fake supports equality-based selectors)`,
      );
    const [, not, key, op, value] = m as unknown as [
      string,
      string,
      string,
      string | undefined,
      string | undefined,
    ];
    const labels = (o: JsonObject) => (metadataOf(o).labels ?? {}) as JsonObject;
    if (!op) tests.push((o) => key in labels(o) === !not);
    else tests.push((o) => (labels(o)[key] === value) === (op !== '!='));
  }
  return (o) => tests.every((t) => t(o));
}

export function parseBody(raw: string, contentType: string | undefined): Json {
  try {
    // apply-patch+yaml: kubectl sends JSON, which is YAML too.
    return (contentType?.includes('yaml') ? parseYaml(raw) : JSON.parse(raw)) as Json;
  } catch (e) {
    throw new HttpError(
      400,
      'BadRequest',
      `the request body is not valid ${contentType ?? 'JSON'}: ${String(e)}`,
    );
  }
}

export function qualified(resource: Resource): string {
  return KINDS[resource].group ? `${resource}.${KINDS[resource].group}` : resource;
}

export function notFound(resource: string, group: string, name: string): HttpError {
  return new HttpError(
    404,
    'NotFound',
    `${group ? `${resource}.${group}` : resource} "${name}" not found`,
    { name, group, kind: resource },
  );
}

export function statusDoc(
  code: number,
  reason: string,
  message: string,
  details?: JsonObject,
): JsonObject {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
