import type { IncomingMessage, ServerResponse } from 'node:http';

/** A JSON answer (nothing when a response is already on its way). */
export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** 413, closing the connection so the rest of the body is never read. */
export function tooLarge(res: ServerResponse, limit: number): void {
  send(res, 413, { error: `body larger than ${limit} bytes` }, { connection: 'close' });
}

/** The peer address: the unit of the per-source rate limit. */
export function sourceOf(req: IncomingMessage): string {
  return req.socket?.remoteAddress ?? 'unknown';
}
