// The contract between the fake's HTTP pipeline and its route handlers.
import type { FakeState, Repo, TokenGrant } from './state.js';

export interface Urls {
  /** API base as the client used it (`http://127.0.0.1:P` or `…/api/v3`). */
  api: string;
  /** Web base for html_url fields (default https://github.com). */
  html: string;
}

export interface RouteRequest {
  method: string;
  /** Path without prefix and query. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string>;
  grant: TokenGrant;
  state: FakeState;
  urls: Urls;
  options: RouteOptions;
}

export interface RouteOptions {
  /** 'documented': auto_inactive touches non-production environments only, as the docs say.
   *  'all-environments': production too. 'off': never. */
  autoInactive: 'documented' | 'all-environments' | 'off';
  /** Reject `return_run_details` with 422, as older GHES does. */
  rejectReturnRunDetails: boolean;
  appSlug: string;
  appId: string;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as-is with this content type instead of JSON (raw file contents). */
  raw?: { contentType: string; text: string };
}

export type RouteHandler = (req: RouteRequest) => RouteResponse;

/** Thrown by handlers: becomes a GitHub-style error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function notFound(): HttpError {
  return new HttpError(404, 'Not Found');
}

export function unprocessable(message: string, errors?: unknown[]): HttpError {
  return new HttpError(422, message, errors ? { errors } : {});
}

/** The repository named by `{owner}/{repo}`: the pipeline has checked it exists. */
export function repoOf(req: RouteRequest): Repo {
  const repo = req.state.repo(`${req.params.owner}/${req.params.repo}`);
  if (!repo) throw notFound();
  return repo;
}

export function intParam(req: RouteRequest, name: string): number {
  return Number(req.params[name]);
}

/** GitHub pagination: `per_page` (default 30, max 100), `page`, and a Link header. */
/** A 200 response with one page of `items`, each rendered by `view`, and GitHub's Link header. */
export function pagedList<T>(
  req: RouteRequest,
  items: T[],
  view: (item: T) => unknown,
): RouteResponse {
  const page = paginate(req, items);
  return { status: 200, headers: page.headers, body: page.items.map(view) };
}

export function paginate<T>(
  req: RouteRequest,
  items: T[],
): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(req.query.get('per_page') ?? 30) || 30, 1), 100);
  const page = Math.max(Number(req.query.get('page') ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (p: number, rel: string): string => {
    const q = new URLSearchParams(req.query);
    q.set('per_page', String(perPage));
    q.set('page', String(p));
    return `<${req.urls.api}${req.path}?${q.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(', ') } : {},
  };
}
