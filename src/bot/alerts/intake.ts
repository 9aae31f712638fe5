import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { formatPath } from '../../config/path.js';
import type { RateLimiter } from '../http/rate-limit.js';
import { send, sourceOf, tooLarge, tooMany } from '../http/respond.js';
import type { BotMetrics } from '../metrics.js';
import type { Admission } from './admit.js';
import { authenticatedAs, routeConfigured, type AlertAuthSettings } from './auth.js';
import type { CredentialName } from './bindings.js';
import { ALERT_PARSERS } from './parse.js';
import { readBody } from './read-body.js';
import { forbiddenKeyPath, safePath } from './schema-helpers.js';
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
  /** Bindings and caps: whether the delivery may be acted on (no GitHub call). */
  admit: (alerts: Alert[], credential: CredentialName) => Admission;
  /** Acts on the alerts; resolves when every action is recorded in GitHub. */
  handle: (source: AlertSource, alerts: Alert[]) => Promise<DeliveryOutcome>;
  isTransient: (error: unknown) => boolean;
  /** Every request, per source address. */
  perSource: RateLimiter;
  /** Refused requests (401, 403), per source address: a guesser is stopped early. */
  refusals: RateLimiter;
  metrics: BotMetrics;
  now?: () => number;
}

const ROUTE = /^\/alerts\/(alertmanager|grafana|generic)\/?$/;
const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/**
 * The Probot 14 handler for `POST /alerts/{alertmanager,grafana,generic}`: returns false for
 * any other path so Probot's chain goes on. Order: method, rate limits (429), credentials
 * (401 before reading a body when no HMAC could apply), size (413), media type (415), JSON,
 * keys and shape (400), bindings and caps (403, 413, 400), then the incident, acknowledged
 * only once recorded (200) or refused for a retry (503).
 */
export function createAlertIntake(options: AlertIntakeOptions) {
  const now = options.now ?? Date.now;
  const { metrics } = options;
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
    const address = sourceOf(req);
    const limited = (reason: string, retryAfter: number) =>
      tooMany(res, { retryAfter, reason, refusals: metrics.refusals });
    const blocked = options.refusals.exhausted(address);
    if (blocked !== undefined) return limited('refusals_rate_limited', blocked);
    const wait = options.perSource.take(address);
    if (wait !== undefined) return limited('source_rate_limited', wait);
    const refuse = (status: 401 | 403, reason: string, error: string) => {
      options.refusals.take(address);
      metrics.refusals.inc({ reason });
      options.log.warn({ route: source, status, reason }, 'alert delivery refused');
      const headers: Record<string, string> =
        status === 401 ? { 'www-authenticate': 'Bearer' } : {};
      send(res, status, { error }, headers);
      return true;
    };
    const unauthorized = () => refuse(401, 'unauthorized', 'unauthorized');
    if (!routeConfigured(source, options.auth)) return unauthorized();
    const mayUseHmac =
      (source === 'grafana' && options.auth.grafanaHmac !== undefined) ||
      (source === 'generic' && options.auth.genericHmac !== undefined);
    const check = (body: Buffer) =>
      authenticatedAs({
        route: source,
        headers: req.headers,
        body,
        settings: options.auth,
        now: now(),
      });
    let credential = mayUseHmac ? undefined : check(Buffer.alloc(0));
    if (!mayUseHmac && !credential) return unauthorized();
    const read = await readBody(req, options.maxBodyBytes);
    if (!read.ok) {
      metrics.refusals.inc({ reason: read.reason === 'too_large' ? 'body_too_large' : 'aborted' });
      if (read.reason === 'too_large') tooLarge(res, options.maxBodyBytes);
      else res.destroy();
      return true;
    }
    credential ??= check(read.body);
    if (!credential) return unauthorized();
    const bad = (reason: string, status: number, error: string) => {
      metrics.refusals.inc({ reason });
      options.log.info({ route: source, status, reason }, 'alert delivery rejected');
      send(res, status, { error });
      return true;
    };
    if (!JSON_TYPE.test(req.headers['content-type'] ?? ''))
      return bad('media_type', 415, 'send Content-Type: application/json');
    let body: unknown;
    try {
      body = JSON.parse(read.body.toString('utf8'));
    } catch {
      // The parser's message quotes the body: never echoed.
      return bad('invalid_json', 400, 'body is not valid JSON');
    }
    const forbidden = forbiddenKeyPath(body);
    if (forbidden)
      return bad(
        'forbidden_key',
        400,
        forbidden.length === 0
          ? 'body: nested too deeply'
          : `${formatPath(safePath(forbidden))}: keys __proto__, constructor and prototype are not accepted`,
      );
    const parsed = ALERT_PARSERS[source](body);
    if (!parsed.ok) return bad('malformed', 400, parsed.problem);
    const admission = options.admit(parsed.alerts, credential);
    if (!admission.ok) {
      if (admission.status === 403) return refuse(403, admission.reason, admission.error);
      return bad(admission.reason, admission.status, admission.error);
    }
    metrics.deliveries.inc({ route: source });
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
        { route: source, err: error instanceof Error ? error.message.slice(0, 200) : 'unknown' },
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
