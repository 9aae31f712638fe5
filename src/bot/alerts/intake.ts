import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { authenticate, routeConfigured, type AlertAuthSettings } from './auth.js';
import { ALERT_PARSERS } from './parse.js';
import { readBody } from './read-body.js';
import type { Alert, AlertSource } from './types.js';

export interface DeliveryOutcome {
  /** True: something transient failed or another replica is mid-incident; the sender should retry. */
  retry: boolean;
  /** True: an incident failed for a reason a retry will not fix (answered 422). */
  failed?: boolean;
  results: Record<string, unknown>[];
}

export interface AlertIntakeOptions {
  auth: AlertAuthSettings;
  maxBodyBytes: number;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Acts on the alerts; resolves when every action is recorded in GitHub. */
  handle: (source: AlertSource, alerts: Alert[]) => Promise<DeliveryOutcome>;
  isTransient: (error: unknown) => boolean;
  now?: () => number;
}

const ROUTE = /^\/alerts\/(alertmanager|grafana|generic)\/?$/;
const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/**
 * The Probot 14 handler for `POST /alerts/{alertmanager,grafana,generic}`: returns false for
 * any other path so Probot's chain goes on. Order: method, credentials (401 before reading a
 * body when no HMAC could apply), size (413), media type (415), JSON and shape (400), then
 * the incident, acknowledged only once recorded (200) or refused for a retry (503).
 */
export function createAlertIntake(options: AlertIntakeOptions) {
  const now = options.now ?? Date.now;
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const match = ROUTE.exec(path);
    if (!match) return false;
    const source = match[1] as AlertSource;
    if (req.method !== 'POST') {
      send(res, 405, { error: 'use POST' }, { allow: 'POST' });
      return true;
    }
    const started = now();
    const refuse = () => {
      options.log.warn({ route: source }, 'alert delivery refused: bad or missing credentials');
      send(res, 401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer' });
      return true;
    };
    if (!routeConfigured(source, options.auth)) return refuse();
    const bodyless = Buffer.alloc(0);
    const mayUseHmac =
      (source === 'grafana' && options.auth.grafanaHmac !== undefined) ||
      (source === 'generic' && options.auth.genericHmac !== undefined);
    if (
      !mayUseHmac &&
      !authenticate({
        route: source,
        headers: req.headers,
        body: bodyless,
        settings: options.auth,
        now: now(),
      })
    ) {
      return refuse();
    }
    const read = await readBody(req, options.maxBodyBytes);
    if (!read.ok) {
      if (read.reason === 'too_large') {
        send(
          res,
          413,
          { error: `body larger than ${options.maxBodyBytes} bytes` },
          { connection: 'close' },
        );
      } else res.destroy();
      return true;
    }
    if (
      mayUseHmac &&
      !authenticate({
        route: source,
        headers: req.headers,
        body: read.body,
        settings: options.auth,
        now: now(),
      })
    ) {
      return refuse();
    }
    if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) {
      send(res, 415, { error: 'send Content-Type: application/json' });
      return true;
    }
    let body: unknown;
    try {
      body = JSON.parse(read.body.toString('utf8'));
    } catch (error) {
      send(res, 400, {
        error: `body is not valid JSON: ${error instanceof Error ? error.message.slice(0, 120) : 'parse error'}`,
      });
      return true;
    }
    const parsed = ALERT_PARSERS[source](body);
    if (!parsed.ok) {
      options.log.info(
        { route: source, problem: parsed.problem },
        'alert delivery rejected as malformed',
      );
      send(res, 400, { error: parsed.problem });
      return true;
    }
    try {
      const outcome = await options.handle(source, parsed.alerts);
      const status = outcome.retry ? 503 : outcome.failed ? 422 : 200;
      options.log.info(
        {
          route: source,
          alerts: parsed.alerts.length,
          status,
          ms: now() - started,
          results: outcome.results,
        },
        'alert delivery handled',
      );
      send(res, status, { results: outcome.results }, outcome.retry ? { 'retry-after': '5' } : {});
    } catch (error) {
      const transient = options.isTransient(error);
      options.log[transient ? 'warn' : 'error'](
        { route: source, err: error instanceof Error ? error.message : String(error) },
        transient ? 'alert delivery failed; the sender will retry' : 'alert delivery failed',
      );
      send(
        res,
        transient ? 503 : 500,
        { error: transient ? 'GitHub is unavailable; retry later' : 'internal error' },
        transient ? { 'retry-after': '5' } : {},
      );
    }
    return true;
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
