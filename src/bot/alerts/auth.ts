import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { CredentialName } from './bindings.js';

/** Secrets and options that let a sender in. Any field left out refuses that method. */
export interface AlertAuthSettings {
  /** Bearer token for Alertmanager and the generic route (`ALERTS_TOKEN`). */
  token?: string;
  /** Basic auth for Alertmanager. */
  basic?: { username: string; password: string };
  /** Grafana's HMAC (contact point `hmacConfig`). */
  grafanaHmac?: HmacSettings;
  /** HMAC for the generic route. */
  genericHmac?: HmacSettings;
}

export interface HmacSettings {
  secret: string;
  /** Header carrying the hex signature. */
  header: string;
  /** Header carrying Unix seconds, included in the MAC as `timestamp:body` when set. */
  timestampHeader?: string;
  /** Largest accepted distance between the timestamp and now. */
  maxSkewMs: number;
}

export type Headers = Record<string, string | string[] | undefined>;

/** Compares two strings in constant time: SHA-256 digests always have the same length. */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function checkBearer(headers: Headers, token: string | undefined): boolean {
  const auth = header(headers, 'authorization');
  if (!token || !auth) return false;
  const m = /^Bearer\s+(.+)$/i.exec(auth);
  return m ? safeEqual(m[1] as string, token) : false;
}

export function checkBasic(headers: Headers, basic: AlertAuthSettings['basic']): boolean {
  const auth = header(headers, 'authorization');
  if (!basic || !auth) return false;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(auth);
  if (!m) return false;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both compared every time, so timing does not tell which one was wrong.
  const user = safeEqual(decoded.slice(0, colon), basic.username);
  const pass = safeEqual(decoded.slice(colon + 1), basic.password);
  return user && pass;
}

/** Grafana's scheme (grafana/alerting http/hmac.go): hex HMAC-SHA256 of `[timestamp:]body`. */
export function hmacSignature(secret: string, body: Buffer, timestamp?: string): string {
  const mac = createHmac('sha256', secret);
  if (timestamp !== undefined) mac.update(`${timestamp}:`);
  return mac.update(body).digest('hex');
}

export function checkHmac(
  headers: Headers,
  body: Buffer,
  settings: HmacSettings | undefined,
  now: number,
): boolean {
  if (!settings) return false;
  const given = header(headers, settings.header)?.replace(/^sha256=/, '');
  if (!given) return false;
  let timestamp: string | undefined;
  if (settings.timestampHeader) {
    timestamp = header(headers, settings.timestampHeader);
    if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
    if (Math.abs(now - Number(timestamp) * 1000) > settings.maxSkewMs) return false;
  }
  return safeEqual(given.toLowerCase(), hmacSignature(settings.secret, body, timestamp));
}

export type AlertRoute = 'alertmanager' | 'grafana' | 'generic';

/** The credential a delivery to `route` proved it holds, or undefined. */
export function authenticatedAs(options: {
  route: AlertRoute;
  headers: Headers;
  body: Buffer;
  settings: AlertAuthSettings;
  now: number;
}): CredentialName | undefined {
  const { headers, body, settings, now } = options;
  switch (options.route) {
    case 'alertmanager':
      if (checkBearer(headers, settings.token)) return 'ALERTS_TOKEN';
      return checkBasic(headers, settings.basic) ? 'ALERTS_BASIC_USER' : undefined;
    case 'grafana':
      return checkHmac(headers, body, settings.grafanaHmac, now)
        ? 'GRAFANA_HMAC_SECRET'
        : undefined;
    case 'generic':
      if (checkBearer(headers, settings.token)) return 'ALERTS_TOKEN';
      return checkHmac(headers, body, settings.genericHmac, now)
        ? 'GENERIC_HMAC_SECRET'
        : undefined;
  }
}

/** Whether a delivery to `route` carries valid credentials. */
export function authenticate(options: Parameters<typeof authenticatedAs>[0]): boolean {
  return authenticatedAs(options) !== undefined;
}

/** True when the route has at least one way in; a route with none refuses everything. */
export function routeConfigured(route: AlertRoute, s: AlertAuthSettings) {
  if (route === 'alertmanager') return Boolean(s.token || s.basic);
  if (route === 'grafana') return Boolean(s.grafanaHmac);
  return Boolean(s.token || s.genericHmac);
}
