// The GitHub fake: an HTTP server on loopback with state, validated against GitHub's
// published REST and GraphQL descriptions. See README.md in this folder.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import { Faults } from './faults.js';
import { loadGraphQLSchema } from './graphql.js';
import type { RouteHandler, RouteOptions } from './http.js';
import { actionRoutes } from './routes/actions.js';
import { deploymentRoutes } from './routes/deployments.js';
import { gitRoutes } from './routes/git.js';
import { issueRoutes } from './routes/issues.js';
import { pullRoutes } from './routes/pulls.js';
import { repoRoutes } from './routes/repos.js';
import { searchRoutes } from './routes/search.js';
import { Seeder } from './seed.js';
import {
  handle,
  type CallRecord,
  type PipelineContext,
  type RejectedRequest,
  type UnmatchedRequest,
} from './server.js';
import { loadGitHubSpec } from './spec.js';
import { FakeState } from './state.js';

export type { FaultRule } from './faults.js';
export type { CallRecord, RejectedRequest, UnmatchedRequest } from './server.js';
export type * from './state.js';
export type * from './seed.js';
export type { RouteOptions } from './http.js';

export interface GitHubFakeOptions {
  /** The GitHub App id that App JWTs must carry in `iss` (default 1). */
  appId?: number | string;
  /** Slug of the app; its bot user is `<slug>[bot]` (default `model-delivery`). */
  appSlug?: string;
  /** When given, App JWT signatures are verified with this key (PEM or KeyObject). */
  publicKey?: string | KeyObject;
  /** Personal access tokens / GITHUB_TOKENs accepted for every repository. */
  tokens?: string[];
  /** Seed of the fault-injection random source (default 1). */
  seed?: number;
  /** Base for html_url fields (default https://github.com). */
  htmlUrl?: string;
  /** Validate every 2xx body against the spec, into invalidResponses (default false: compiling
   *  a response schema costs 0.3–0.9 s per operation; the fake's own tests turn it on). */
  validateResponses?: boolean;
  /** Keep request and response bodies in `calls` (default true). A long benchmark turns it
   *  off: a listed deployment page weighs ~60 kB. */
  logBodies?: boolean;
  /** See RouteOptions.autoInactive (default 'documented'). */
  autoInactive?: RouteOptions['autoInactive'];
  /** Answer `return_run_details` with 422, as older GHES does (default false). */
  rejectReturnRunDetails?: boolean;
}

export interface GitHubFake extends Seeder {
  /** `http://127.0.0.1:PORT`: Octokit's `baseUrl` (`/api/v3` is accepted too). */
  readonly url: string;
  /** `http://127.0.0.1:PORT/api/v3`: a GHE-style base URL. */
  readonly gheUrl: string;
  readonly state: FakeState;
  readonly faults: Faults;
  /** Mutable behaviour switches (auto_inactive mode, rejectReturnRunDetails, app id/slug). */
  readonly behaviour: RouteOptions;
  readonly calls: CallRecord[];
  /** Requests that failed OpenAPI / GraphQL validation (answered 422 / GraphQL errors). */
  readonly invalidRequests: RejectedRequest[];
  /** Requests for routes GitHub does not have (404) or the fake does not implement (501). */
  readonly unmatchedRequests: UnmatchedRequest[];
  /** 2xx responses of the fake that do not match the spec (a bug in the fake). */
  readonly invalidResponses: RejectedRequest[];
  /** Calls with this operationId (`repos/create-deployment`, `graphql`). */
  callsTo(operationId: string): CallRecord[];
  /** Empties the call log and the rejection lists. */
  clearLog(): void;
  /**
   * Compiles request validators now (~0.1 s per operation, once per process) so that the
   * first calls of a benchmark are not slow. Default: every operation the fake implements.
   */
  warmUp(operationIds?: string[]): void;
  /** The operationIds the fake implements. */
  readonly operations: readonly string[];
  close(): Promise<void>;
}

const ROUTES: Record<string, RouteHandler> = {
  ...repoRoutes,
  ...gitRoutes,
  ...deploymentRoutes,
  ...issueRoutes,
  ...pullRoutes,
  ...actionRoutes,
  ...searchRoutes,
};

export async function startGitHubFake(options: GitHubFakeOptions = {}): Promise<GitHubFake> {
  const [spec, graphql] = await Promise.all([loadGitHubSpec(), loadGraphQLSchema()]);
  const state = new FakeState();
  const behaviour: RouteOptions = {
    autoInactive: options.autoInactive ?? 'documented',
    rejectReturnRunDetails: options.rejectReturnRunDetails ?? false,
    appId: String(options.appId ?? 1),
    appSlug: options.appSlug ?? 'model-delivery',
  };
  const ctx: PipelineContext = {
    spec,
    graphql,
    state,
    faults: new Faults(options.seed ?? 1),
    routes: ROUTES,
    behaviour,
    htmlUrl: options.htmlUrl ?? 'https://github.com',
    validateResponses: options.validateResponses ?? false,
    logBodies: options.logBodies ?? true,
    publicKey:
      typeof options.publicKey === 'string'
        ? options.publicKey
        : options.publicKey?.export({ type: 'spki', format: 'pem' }).toString(),
    calls: [],
    invalidRequests: [],
    unmatchedRequests: [],
    invalidResponses: [],
  };
  const server = createServer((req, res) => {
    handle(ctx, req, res).catch((e: unknown) => {
      // A bug in the fake: answer 500 and keep the message visible in the test output.
      const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `GitHub fake crashed: ${message}` }));
      ctx.unmatchedRequests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        reason: 'not-implemented',
        operationId: `crash: ${message}`,
      });
    });
  });
  server.keepAliveTimeout = 1000;
  await listen(server);
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const seeder = new Seeder(state, behaviour);
  for (const token of options.tokens ?? []) seeder.addToken(token);
  return Object.assign(seeder, {
    url,
    gheUrl: `${url}/api/v3`,
    state,
    faults: ctx.faults,
    behaviour,
    calls: ctx.calls,
    invalidRequests: ctx.invalidRequests,
    unmatchedRequests: ctx.unmatchedRequests,
    invalidResponses: ctx.invalidResponses,
    callsTo: (operationId: string) => ctx.calls.filter((c) => c.operationId === operationId),
    clearLog: () => {
      ctx.calls.length = 0;
      ctx.invalidRequests.length = 0;
      ctx.unmatchedRequests.length = 0;
      ctx.invalidResponses.length = 0;
    },
    operations: Object.keys(ROUTES),
    warmUp: (operationIds?: string[]) => spec.warmUp(operationIds ?? Object.keys(ROUTES)),
    close: () => close(server),
  });
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((e) => (e ? reject(e) : resolve()));
    server.closeAllConnections();
  });
}
