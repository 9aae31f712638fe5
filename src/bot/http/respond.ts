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

/**
 * 413, then the connection is cut: Node would otherwise read (and drop) the rest of the body
 * to keep the connection, however large it is.
 */
export function tooLarge(res: ServerResponse, limit: number): void {
  res.once('finish', () => res.socket?.destroy());
  send(res, 413, { error: `body larger than ${limit} bytes` }, { connection: 'close' });
}

/** The peer address: the unit of the per-source rate limit. */
export function sourceOf(req: IncomingMessage): string {
  return req.socket?.remoteAddress ?? 'unknown';
}

/** 429 with `Retry-After` (seconds until the window resets), counted as a refusal. */
export function tooMany(
  res: ServerResponse,
  o: { retryAfter: number; reason: string; refusals: { inc: (l: { reason: string }) => void } },
): true {
  o.refusals.inc({ reason: o.reason });
  send(
    res,
    429,
    { error: 'too many requests' },
    { 'retry-after': String(o.retryAfter), connection: 'close' },
  );
  return true;
}
