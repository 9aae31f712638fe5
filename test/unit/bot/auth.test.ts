import { describe, expect, it } from 'vitest';
import {
  authenticate,
  checkHmac,
  hmacSignature,
  safeEqual,
  type AlertAuthSettings,
} from '../../../src/bot/alerts/auth.js';

const body = Buffer.from('{"alerts":[]}');
const now = 1_800_000_000_000;
const settings: AlertAuthSettings = {
  token: 's3cret',
  basic: { username: 'am', password: 'pw' },
  grafanaHmac: {
    secret: 'g',
    header: 'X-Grafana-Alerting-Signature',
    timestampHeader: 'X-Grafana-Alerting-Timestamp',
    maxSkewMs: 300_000,
  },
  genericHmac: { secret: 'k', header: 'X-Signature-256', maxSkewMs: 300_000 },
};
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

describe('alert authentication', () => {
  it('compares in constant time whatever the lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
  });

  it.each([
    [{ authorization: 'Bearer s3cret' }, true],
    [{ authorization: 'bearer s3cret' }, true],
    [{ authorization: 'Bearer wrong' }, false],
    [{ authorization: basic('am', 'pw') }, true],
    [{ authorization: basic('am', 'no') }, false],
    [{ authorization: basic('x', 'pw') }, false],
    [{ authorization: 'Basic !!!' }, false],
    [{}, false],
  ])('Alertmanager %j → %s', (headers, ok) => {
    expect(authenticate({ route: 'alertmanager', headers, body, settings, now })).toBe(ok);
  });

  it("checks Grafana's HMAC of timestamp:body, and the clock skew", () => {
    const ts = String(now / 1000);
    const sig = hmacSignature('g', body, ts);
    const headers = { 'x-grafana-alerting-signature': sig, 'x-grafana-alerting-timestamp': ts };
    expect(authenticate({ route: 'grafana', headers, body, settings, now })).toBe(true);
    expect(
      authenticate({ route: 'grafana', headers, body: Buffer.from('{}'), settings, now }),
    ).toBe(false);
    expect(authenticate({ route: 'grafana', headers, body, settings, now: now + 301_000 })).toBe(
      false,
    );
    const noTs = { 'x-grafana-alerting-signature': hmacSignature('g', body) };
    expect(authenticate({ route: 'grafana', headers: noTs, body, settings, now })).toBe(false);
    // A bearer token does not open the Grafana route: it is HMAC only.
    expect(
      authenticate({
        route: 'grafana',
        headers: { authorization: 'Bearer s3cret' },
        body,
        settings,
        now,
      }),
    ).toBe(false);
  });

  it('checks an HMAC of the body alone when no timestamp header is configured', () => {
    const s = { secret: 'k', header: 'X-Signature-256', maxSkewMs: 1 };
    expect(
      checkHmac({ 'x-signature-256': `sha256=${hmacSignature('k', body)}` }, body, s, now),
    ).toBe(true);
    expect(
      checkHmac({ 'x-signature-256': hmacSignature('k', body).toUpperCase() }, body, s, now),
    ).toBe(true);
    expect(checkHmac({ 'x-signature-256': hmacSignature('other', body) }, body, s, now)).toBe(
      false,
    );
  });

  it('lets the generic route in by bearer or HMAC', () => {
    expect(
      authenticate({
        route: 'generic',
        headers: { authorization: 'Bearer s3cret' },
        body,
        settings,
        now,
      }),
    ).toBe(true);
    const headers = { 'x-signature-256': `sha256=${hmacSignature('k', body)}` };
    expect(authenticate({ route: 'generic', headers, body, settings, now })).toBe(true);
    expect(authenticate({ route: 'generic', headers: {}, body, settings, now })).toBe(false);
  });

  it('refuses everything on a route with no credentials configured', () => {
    expect(
      authenticate({
        route: 'alertmanager',
        headers: { authorization: 'Bearer ' },
        body,
        settings: {},
        now,
      }),
    ).toBe(false);
    expect(authenticate({ route: 'grafana', headers: {}, body, settings: {}, now })).toBe(false);
  });
});
