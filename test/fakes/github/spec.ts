// GitHub's published REST description, loaded once per process and shared by every fake.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { OpenAPIBackend, type Document, type Operation } from 'openapi-backend';

export interface ValidationIssue {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

export interface GitHubSpec {
  /** The operation for a request path (no prefix, query allowed), or undefined. */
  match(method: string, path: string): Operation | undefined;
  validateRequest(
    operation: Operation,
    request: { method: string; path: string; headers: Record<string, string>; body: unknown },
  ): ValidationIssue[];
  /** Path parameters, decoded. */
  params(operation: Operation, path: string): Record<string, string>;
  validateResponse(operationId: string, status: number, body: unknown): ValidationIssue[];
  /** The dereferenced JSON schema of a response, for filling required fields. */
  responseSchema(operationId: string, status: number): unknown;
  /** Compiles the request validators of these operations now rather than on first use;
   *  throws, compiling nothing, when one of them is not in the description. */
  warmUp(operationIds: string[]): void;
  hasOperation(operationId: string): boolean;
}

const require = createRequire(import.meta.url);
let loading: Promise<GitHubSpec> | undefined;

/** Loads `api.github.com.json` directly (the package index loads all ten specs: 5 s, 880 MB). */
export function loadGitHubSpec(): Promise<GitHubSpec> {
  loading ??= build();
  return loading;
}

async function build(): Promise<GitHubSpec> {
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
  const definition = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  fixNullableWithoutType(definition);
  fixAmbiguousParameters(definition);
  const api = new OpenAPIBackend({
    definition: definition as unknown as Document,
    quick: true,
    // Formats (date-time, uri, repo.nwo…) are documentation here; GitHub's own checks of them
    // differ from Ajv's, so they are not validated.
    ajvOpts: { allErrors: true, strict: false, validateFormats: false },
  });
  await api.init();
  shareAjvInstances(api);
  // openapi-backend rebuilds its operation list on every match (~70 ms a request here), so
  // the routes are compiled once; the matching rule (longest literal path wins) is the same.
  const operations = api.router.getOperations().map((op) => ({
    op,
    method: op.method.toUpperCase(),
    exact: !op.path.includes('{'),
    pattern: new RegExp(
      `^${op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`,
    ),
    specificity: op.path.replace(/\{.*?\}/g, '').length,
  }));
  operations.sort((a, b) => Number(b.exact) - Number(a.exact) || b.specificity - a.specificity);
  const byId = new Map(operations.map((o) => [o.op.operationId, o.op]));
  const opOf = (operationId: string): Operation => {
    const op = byId.get(operationId);
    if (!op) throw new Error(`unknown operation ${operationId}`);
    return op;
  };
  return {
    match: (method, path) => {
      const bare = path.split('?')[0]?.replace(/(.)\/+$/, '$1') ?? '/';
      const m = method.toUpperCase();
      return operations.find((o) => o.method === m && o.pattern.test(bare))?.op;
    },
    validateRequest: (operation, request) =>
      (api.validateRequest(request, operation).errors ?? []) as ValidationIssue[],
    params: (operation, path) =>
      api.router.parseRequest({ method: operation.method, path, headers: {} }, operation)
        .params as Record<string, string>,
    validateResponse: (operationId, status, body) =>
      (api.validateResponse(body, opOf(operationId), status).errors ?? []) as ValidationIssue[],
    warmUp: (operationIds) => {
      const unknown = operationIds.filter((id) => !byId.has(id));
      if (unknown.length) throw new Error(`not in GitHub's description: ${unknown.join(', ')}`);
      for (const id of operationIds) api.validator.getRequestValidatorsForOperation(id);
    },
    hasOperation: (operationId) => byId.has(operationId),
    responseSchema: (operationId, status) => {
      const op = opOf(operationId) as {
        responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
      };
      return op.responses?.[String(status)]?.content?.['application/json']?.schema;
    },
  };
}

/**
 * openapi-backend builds a new Ajv instance for every validator it compiles (~0.1 s each);
 * one instance per context and options serves them all, which makes first calls far cheaper.
 */
function shareAjvInstances(api: OpenAPIBackend): void {
  const validator = api.validator as unknown as { getAjv: (ctx: string, opts?: object) => unknown };
  const build = validator.getAjv.bind(validator);
  const cache = new Map<string, unknown>();
  validator.getAjv = (ctx, opts = {}) => {
    const key = `${ctx}:${JSON.stringify(opts)}`;
    if (!cache.has(key)) cache.set(key, build(ctx, opts));
    return cache.get(key);
  };
}

/**
 * Path and query values arrive as strings and are coerced, so `workflow_id: oneOf [integer,
 * string]` would reject `1003` for matching both. On the wire either one is fine: anyOf.
 */
function fixAmbiguousParameters(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if ((o.in === 'path' || o.in === 'query') && o.schema && typeof o.schema === 'object') {
    const schema = o.schema as Record<string, unknown>;
    if (Array.isArray(schema.oneOf)) {
      schema.anyOf = schema.oneOf;
      delete schema.oneOf;
    }
  }
  for (const v of Object.values(o)) fixAmbiguousParameters(v);
}

/**
 * 135 schemas say `nullable: true` without a `type` (under oneOf/anyOf/allOf), which Ajv
 * refuses to compile ("nullable" cannot be used without "type"): issues/create among them.
 * Rewrite each as an explicit null alternative (reference/library-probes.md §1).
 */
function fixNullableWithoutType(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  if (!Array.isArray(node)) {
    const o = node as Record<string, unknown>;
    if (o.nullable === true && !('type' in o)) {
      delete o.nullable;
      if (Array.isArray(o.oneOf)) o.oneOf.push({ type: 'null' });
      else if (Array.isArray(o.anyOf)) o.anyOf.push({ type: 'null' });
      else if (Array.isArray(o.allOf)) {
        o.anyOf = [{ allOf: o.allOf }, { type: 'null' }];
        delete o.allOf;
      }
    }
  }
  for (const v of Object.values(node)) fixNullableWithoutType(v);
}
