// The HTTP pipeline: prefix → route match (OpenAPI) → auth → request validation → faults →
// handler → response shaping and validation → call log.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GraphQLSchema } from 'graphql';
import type { Operation } from 'openapi-backend';
import { checkAppJwt, readCredential } from './auth.js';
import type { Faults, FaultDecision } from './faults.js';
import { executeGraphQL, parseGraphQL, type GraphQLRequestBody } from './graphql.js';
import {
  HttpError,
  type RouteHandler,
  type RouteOptions,
  type RouteRequest,
  type RouteResponse,
  type Urls,
} from './http.js';
import { missingPermission } from './permissions.js';
import { shape } from './skeleton.js';
import type { GitHubSpec, ValidationIssue } from './spec.js';
import type { FakeState, TokenGrant } from './state.js';

export interface CallRecord {
  method: string;
  /** Path without the `/api/v3` prefix, with the query string. */
  path: string;
  operationId?: string;
  status: number;
  /** The request body (parsed JSON when it was JSON); undefined with `logBodies: false`. */
  body: unknown;
  /** The response body; undefined with `logBodies: false`. */
  response: unknown;
  /** `installation`, `pat`, `jwt` or `none`. */
  auth: string;
  /** Set when a fault rule produced or delayed this answer. */
  fault?: string;
  at: number;
  durationMs: number;
}

export interface RejectedRequest {
  method: string;
  path: string;
  operationId?: string;
  body: unknown;
  errors: unknown[];
}

export interface UnmatchedRequest {
  method: string;
  path: string;
  reason: 'unknown-route' | 'not-implemented';
  operationId?: string;
  /** For GraphQL: the error graphql-js raised on a field the fake does not model. */
  detail?: string;
}

export interface PipelineContext {
  spec: GitHubSpec;
  graphql: GraphQLSchema;
  state: FakeState;
  faults: Faults;
  routes: Record<string, RouteHandler>;
  behaviour: RouteOptions;
  htmlUrl: string;
  validateResponses: boolean;
  logBodies: boolean;
  publicKey?: string;
  calls: CallRecord[];
  invalidRequests: RejectedRequest[];
  unmatchedRequests: UnmatchedRequest[];
  invalidResponses: RejectedRequest[];
}

const DOCS = 'https://docs.github.com/rest';
const GRAPHQL_PATHS = new Set(['/graphql', '/api/graphql']);
// Parameters that hold slashes: clients may send them raw (`heads/main`) or encoded.
const GREEDY =
  /^(\/repos\/[^/]+\/[^/]+\/(?:contents|git\/ref|git\/refs|git\/matching-refs))\/(.+)$/;
const APP_JWT_ROUTES =
  /^\/app(\/|$)|^\/repos\/[^/]+\/[^/]+\/installation$|^\/(orgs|users)\/[^/]+\/installation$/;

interface Answer extends RouteResponse {
  operationId?: string;
  auth: string;
  fault?: string;
}

export async function handle(
  ctx: PipelineContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = Date.now();
  const url = new URL(req.url ?? '/', 'http://fake');
  const prefix = url.pathname.startsWith('/api/v3/') ? '/api/v3' : '';
  const path = url.pathname.slice(prefix.length) || '/';
  const method = (req.method ?? 'GET').toUpperCase();
  const urls: Urls = {
    api: `http://${req.headers.host ?? '127.0.0.1'}${prefix}`,
    html: ctx.htmlUrl,
  };
  const raw = await readBody(req);
  let body: unknown;
  let answer: Answer;
  try {
    body = raw.length ? JSON.parse(raw) : undefined;
  } catch {
    body = raw;
  }
  if (typeof body === 'string' && raw.length) {
    answer = {
      status: 400,
      auth: 'none',
      body: { message: 'Problems parsing JSON', documentation_url: DOCS },
    };
  } else if (GRAPHQL_PATHS.has(url.pathname) || (prefix && path === '/graphql')) {
    answer = await graphqlRequest(ctx, { method, headers: req.headers, body, urls });
  } else {
    answer = await restRequest(ctx, {
      method,
      path,
      search: url.search,
      headers: req.headers,
      body,
      urls,
    });
  }
  const headers: Record<string, string> = {
    'x-github-request-id': randomUUID(),
    'x-github-api-version-selected': '2022-11-28',
    // The primary rate limit is not simulated (a benchmark makes thousands of calls).
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-used': '1',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': answer.operationId === 'graphql' ? 'graphql' : 'core',
    ...answer.headers,
  };
  let payload = '';
  if (answer.raw) {
    headers['content-type'] = answer.raw.contentType;
    payload = answer.raw.text;
  } else if (answer.body !== undefined && answer.status !== 204) {
    headers['content-type'] = 'application/json; charset=utf-8';
    payload = JSON.stringify(answer.body);
  }
  res.writeHead(answer.status, headers);
  res.end(payload);
  ctx.calls.push({
    method,
    path: path + url.search,
    operationId: answer.operationId,
    status: answer.status,
    body: ctx.logBodies ? body : undefined,
    response: ctx.logBodies ? (answer.raw ? answer.raw.text : answer.body) : undefined,
    auth: answer.auth,
    fault: answer.fault,
    at: started,
    durationMs: Date.now() - started,
  });
}

interface RestInput {
  method: string;
  path: string;
  search: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  urls: Urls;
}

async function restRequest(ctx: PipelineContext, r: RestInput): Promise<Answer> {
  const greedy = GREEDY.exec(r.path);
  const matchPath = greedy
    ? `${greedy[1]}/${encodeURIComponent(decodeURIComponent(greedy[2] ?? ''))}`
    : r.path;
  const operation = ctx.spec.match(r.method, matchPath);
  if (!operation?.operationId) {
    ctx.unmatchedRequests.push({ method: r.method, path: r.path, reason: 'unknown-route' });
    return { status: 404, auth: 'none', body: { message: 'Not Found', documentation_url: DOCS } };
  }
  const admitted = admit(ctx, r, operation, matchPath);
  if ('status' in admitted) return admitted;
  const { operationId, auth } = admitted;
  const fault = ctx.faults.decide({ method: r.method, path: r.path, operationIds: [operationId] });
  const early = await applyFault(fault, 'before');
  if (early) return { ...early, operationId, auth: auth.kind };
  const handler = ctx.routes[operationId];
  if (!handler) {
    ctx.unmatchedRequests.push({
      method: r.method,
      path: r.path,
      reason: 'not-implemented',
      operationId,
    });
    const message = `The GitHub fake does not implement ${operationId} (test/fakes/github/routes).`;
    return { status: 501, operationId, auth: auth.kind, body: { message } };
  }
  const result = runHandler(handler, {
    method: r.method,
    path: r.path,
    params: admitted.params,
    query: new URLSearchParams(r.search),
    body: r.body,
    headers: admitted.headers,
    grant: auth.grant ?? { kind: 'pat', actor: ctx.state.user('anonymous') },
    state: ctx.state,
    urls: r.urls,
    options: ctx.behaviour,
  });
  const late = await applyFault(fault, 'after');
  if (late) return { ...late, operationId, auth: auth.kind };
  finishBody(ctx, r, operationId, result);
  const latency = fault.latencyMs ? `latency ${fault.latencyMs}ms` : undefined;
  return { ...result, operationId, auth: auth.kind, fault: latency };
}

interface Admitted {
  operationId: string;
  auth: { kind: string; grant?: TokenGrant };
  params: Record<string, string>;
  headers: Record<string, string>;
}

/** GitHub's order: authentication (401), validation (422), visibility (404), permission (403). */
function admit(
  ctx: PipelineContext,
  r: RestInput,
  operation: Operation,
  matchPath: string,
): Admitted | Answer {
  const operationId = operation.operationId ?? '';
  const auth = authenticate(ctx, r.headers.authorization, APP_JWT_ROUTES.test(operation.path));
  if ('refusal' in auth) return { status: 401, operationId, auth: auth.kind, body: auth.refusal };
  const headers = flatHeaders(r.headers);
  const request = { method: r.method, path: `${matchPath}${r.search}`, headers, body: r.body };
  const issues = ctx.spec.validateRequest(operation, request);
  if (issues.length) {
    ctx.invalidRequests.push({
      method: r.method,
      path: r.path,
      operationId,
      body: r.body,
      errors: issues,
    });
    return {
      status: 422,
      operationId,
      auth: auth.kind,
      body: validationFailed(operationId, issues),
    };
  }
  const params = ctx.spec.params(operation, matchPath);
  if (params.owner && params.repo && operationId !== 'apps/get-repo-installation') {
    const repo = ctx.state.repo(`${params.owner}/${params.repo}`);
    const scope = auth.grant?.repos;
    if (!repo || (scope && !scope.includes(repo.fullName.toLowerCase()))) {
      return {
        status: 404,
        operationId,
        auth: auth.kind,
        body: { message: 'Not Found', documentation_url: DOCS },
      };
    }
  }
  const lacking = auth.grant?.permissions && missingPermission(operationId, auth.grant.permissions);
  if (lacking) return { status: 403, operationId, auth: auth.kind, ...notAccessible(lacking) };
  return { operationId, auth, params, headers };
}

function runHandler(handler: RouteHandler, req: RouteRequest): RouteResponse {
  try {
    return handler(req);
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    return {
      status: e.status,
      body: { message: e.message, documentation_url: DOCS, status: String(e.status), ...e.extra },
    };
  }
}

/** Completes a 2xx body with the schema's required fields and, when asked, validates it. */
function finishBody(
  ctx: PipelineContext,
  r: RestInput,
  operationId: string,
  result: RouteResponse,
): void {
  if (result.body === undefined || result.status >= 300) return;
  result.body = shape(ctx.spec.responseSchema(operationId, result.status), result.body);
  if (!ctx.validateResponses) return;
  const bad = ctx.spec.validateResponse(operationId, result.status, result.body);
  if (bad.length) {
    ctx.invalidResponses.push({
      method: r.method,
      path: r.path,
      operationId,
      body: result.body,
      errors: bad,
    });
  }
}

async function applyFault(
  decision: FaultDecision,
  phase: 'before' | 'after',
): Promise<Omit<Answer, 'auth'> | undefined> {
  if (phase === 'before' && decision.latencyMs > 0) await sleep(decision.latencyMs);
  const f = decision.failure;
  if (!f || f.phase !== phase) return undefined;
  return { status: f.status, body: f.body, headers: f.headers, fault: `${f.status} (${phase})` };
}

type Auth =
  | { kind: string; grant?: TokenGrant }
  | { kind: string; refusal: { message: string; documentation_url: string } };

function authenticate(ctx: PipelineContext, header: string | undefined, needsJwt: boolean): Auth {
  const cred = readCredential(header);
  const refuse = (kind: string, message: string): Auth => ({
    kind,
    refusal: { message, documentation_url: DOCS },
  });
  if (needsJwt) {
    if (cred.kind !== 'jwt') {
      return refuse(cred.kind, 'A JSON web token could not be decoded');
    }
    const why = checkAppJwt(cred.token, { appId: ctx.behaviour.appId, publicKey: ctx.publicKey });
    if (why) return refuse('jwt', why);
    return {
      kind: 'jwt',
      grant: { kind: 'pat', actor: ctx.state.user(`${ctx.behaviour.appSlug}[bot]`, 'Bot') },
    };
  }
  if (cred.kind === 'none') return refuse('none', 'Requires authentication');
  if (cred.kind === 'jwt') return refuse('jwt', 'Bad credentials');
  const grant = ctx.state.tokens.get(cred.token);
  if (!grant) return refuse('token', 'Bad credentials');
  if (grant.expiresAt && Date.parse(grant.expiresAt) <= Date.now())
    return refuse(grant.kind, 'Bad credentials');
  return { kind: grant.kind, grant };
}

interface GraphQLInput {
  method: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  urls: Urls;
}

async function graphqlRequest(ctx: PipelineContext, r: GraphQLInput): Promise<Answer> {
  const operationId = 'graphql';
  if (r.method !== 'POST')
    return { status: 404, operationId, auth: 'none', body: { message: 'Not Found' } };
  const auth = authenticate(ctx, r.headers.authorization, false);
  if ('refusal' in auth) {
    return {
      status: 401,
      operationId,
      auth: auth.kind,
      body: {
        message: 'This endpoint requires you to be authenticated.',
        documentation_url:
          'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
      },
    };
  }
  const body = (r.body ?? {}) as GraphQLRequestBody;
  const parsed = parseGraphQL(ctx.graphql, body);
  if (parsed.errors.length || !parsed.document) {
    ctx.invalidRequests.push({
      method: 'POST',
      path: '/graphql',
      operationId,
      body: r.body,
      errors: parsed.errors,
    });
    return { status: 200, operationId, auth: auth.kind, body: { errors: parsed.errors } };
  }
  const fieldIds = parsed.fields.map((f) => `graphql/${f}`);
  const granted = auth.grant?.permissions;
  const forbidden = granted
    ? parsed.fields.filter((f) => missingPermission(`graphql/${f}`, granted))
    : [];
  if (forbidden.length) {
    return {
      status: 200,
      operationId,
      auth: auth.kind,
      body: {
        data: Object.fromEntries(forbidden.map((f) => [f, null])),
        errors: forbidden.map((f) => ({
          type: 'FORBIDDEN',
          path: [f],
          message: 'Resource not accessible by integration',
        })),
      },
    };
  }
  const fault = ctx.faults.decide({
    method: 'POST',
    path: '/graphql',
    operationIds: [operationId, ...fieldIds],
  });
  const early = await applyFault(fault, 'before');
  if (early) return { ...early, operationId, auth: auth.kind };
  const result = await executeGraphQL({
    schema: ctx.graphql,
    document: parsed.document,
    body,
    state: ctx.state,
    grant: auth.grant ?? { kind: 'pat', actor: ctx.state.user('anonymous') },
    urls: r.urls,
  });
  // GitHub's own refusals carry a `type`; an error without one is a field the fake lacks.
  for (const e of result.errors ?? []) {
    if (e.type) continue;
    const operation = `graphql/${String(e.path?.[0] ?? parsed.fields[0] ?? '')}`;
    ctx.unmatchedRequests.push({
      method: 'POST',
      path: '/graphql',
      reason: 'not-implemented',
      operationId: operation,
      detail: e.message,
    });
  }
  const late = await applyFault(fault, 'after');
  if (late) return { ...late, operationId, auth: auth.kind };
  return { status: 200, operationId, auth: auth.kind, body: result };
}

/** GitHub's 403 for an installation token without the permission; the header names it. */
function notAccessible(requirement: string): Pick<Answer, 'body' | 'headers'> {
  return {
    headers: {
      'x-accepted-github-permissions': requirement.replace(/:/g, '=').replace(/[|&]/g, '; '),
    },
    body: {
      message: 'Resource not accessible by integration',
      documentation_url: `${DOCS}#permissions`,
      status: '403',
    },
  };
}

/** GitHub's 422 body, with one entry per schema error naming the field. */
function validationFailed(operationId: string, issues: ValidationIssue[]): Record<string, unknown> {
  const resource = operationId.split('/')[0] ?? 'Resource';
  return {
    message: 'Validation Failed',
    errors: issues.map((i) => {
      const where = i.instancePath.split('/').filter(Boolean);
      const missing =
        typeof i.params.missingProperty === 'string' ? i.params.missingProperty : undefined;
      const location = where[0] ?? 'request';
      const field = [...where.slice(1), ...(missing ? [missing] : [])].join('.') || location;
      return {
        resource,
        field,
        location,
        code: missing ? 'missing_field' : 'invalid',
        message: `${i.instancePath || location} ${i.message ?? i.keyword}`.trim(),
      };
    }),
    documentation_url: DOCS,
    status: '422',
  };
}

function flatHeaders(h: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
