import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { readBody } from '../alerts/read-body.js';
import type { BotMetrics } from '../metrics.js';
import type { RateLimiter } from './rate-limit.js';
import { send, sourceOf, tooLarge, tooMany } from './respond.js';

/** GitHub's webhook path (Probot's default). */
export const WEBHOOK_PATH = '/api/github/webhooks';

/**
 * Probot's own webhook middleware buffers any body and logs a failed delivery with its payload;
 * the server gets this path instead, which no request path can equal, and the bot serves
 * `WEBHOOK_PATH` itself with `createWebhookRoute`.
 */
export const PROBOT_WEBHOOK_PATH_UNUSED = 'served-by-model-delivery';

export interface WebhookRouteOptions {
  /** The App's webhook secret (X-Hub-Signature-256 is its HMAC-SHA256 of the body). */
  secret: string;
  /** The events the app handles; others are verified and acknowledged, never parsed. */
  events: readonly string[];
  receive: (event: { id: string; name: string; payload: unknown }) => Promise<void>;
  maxBodyBytes: number;
  refusals: RateLimiter;
  metrics: BotMetrics;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * `POST /api/github/webhooks`: the body is read up to the limit (413 beyond, nothing more
 * buffered), the signature checked as it streams (401, one log line without the payload),
 * then an event the bot handles goes to Probot's handlers; any other is acknowledged unread.
 */
export function createWebhookRoute(o: WebhookRouteOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if ((req.url ?? '').split('?')[0]?.replace(/\/+$/, '') !== WEBHOOK_PATH) return false;
    if (req.method !== 'POST') {
      send(res, 405, { error: 'use POST' }, { allow: 'POST' });
      return true;
    }
    const address = sourceOf(req);
    const blocked = o.refusals.exhausted(address);
    if (blocked !== undefined)
      return tooMany(res, {
        retryAfter: blocked,
        reason: 'refusals_rate_limited',
        refusals: o.metrics.refusals,
      });
    const id = header(req, 'x-github-delivery');
    const name = header(req, 'x-github-event');
    const signature = /^sha256=([0-9a-f]{64})$/i.exec(
      header(req, 'x-hub-signature-256') ?? '',
    )?.[1];
    // The signature is computed as the body streams in; only an event the bot handles is kept.
    const mac = createHmac('sha256', o.secret);
    const wanted = o.events.includes(name ?? '');
    const read = await readBody(req, o.maxBodyBytes, {
      onChunk: (c) => mac.update(c),
      keep: wanted,
    });
    if (!read.ok) {
      o.metrics.refusals.inc({
        reason: read.reason === 'too_large' ? 'body_too_large' : 'aborted',
      });
      if (read.reason === 'too_large') tooLarge(res, o.maxBodyBytes);
      else res.destroy();
      return true;
    }
    const digest = mac.digest();
    if (!id || !name || !signature || !timingSafeEqual(digest, Buffer.from(signature, 'hex'))) {
      o.refusals.take(address);
      o.metrics.refusals.inc({ reason: 'bad_webhook_signature' });
      o.log.warn(
        { event: name?.slice(0, 40), bytes: read.body.length },
        'webhook refused: missing or bad signature',
      );
      send(res, 401, { error: 'unauthorized' });
      return true;
    }
    if (!wanted) {
      send(res, 200, { ignored: true });
      return true;
    }
    const payload = read.body.toString('utf8');
    let event: unknown;
    try {
      event = JSON.parse(payload);
    } catch {
      send(res, 400, { error: 'body is not valid JSON' });
      return true;
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      send(res, 400, { error: 'body: expected a JSON object' });
      return true;
    }
    try {
      await o.receive({ id, name, payload: event });
      send(res, 200, { ok: true });
    } catch (error) {
      // Handlers log their own failures; this line carries no payload.
      o.log.error(
        {
          event: name,
          delivery: id,
          err: error instanceof Error ? error.message.slice(0, 200) : 'unknown',
        },
        'webhook handler failed',
      );
      send(res, 500, { error: 'handler failed' });
    }
    return true;
  };
}
