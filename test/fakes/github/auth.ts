// Authentication as GitHub does it: an App JWT for /app routes, tokens elsewhere.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export type Credential =
  { kind: 'none' } | { kind: 'jwt'; token: string } | { kind: 'token'; token: string };

/** `token X` and `Bearer X` are both accepted, for JWTs and tokens alike. */
export function readCredential(header: string | undefined): Credential {
  const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return { kind: 'none' };
  const token = m[1];
  return /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(token)
    ? { kind: 'jwt', token }
    : { kind: 'token', token };
}

export interface JwtCheck {
  appId: string;
  publicKey?: string | KeyObject;
  nowSeconds?: number;
}

/** Returns the reason the JWT is refused, or undefined when GitHub would accept it. */
export function checkAppJwt(token: string, check: JwtCheck): string | undefined {
  const [h, p, sig] = token.split('.');
  if (!h || !p || !sig) return 'A JSON web token could not be decoded';
  let header: { alg?: string };
  let payload: { iss?: unknown; iat?: unknown; exp?: unknown };
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as typeof header;
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as typeof payload;
  } catch {
    return 'A JSON web token could not be decoded';
  }
  if (header.alg !== 'RS256') return `'alg' must be RS256, got ${String(header.alg)}`;
  if (String(payload.iss) !== check.appId) {
    return `'Issuer' claim ('iss') must be the app id ${check.appId}`;
  }
  const now = check.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (typeof payload.exp !== 'number' || payload.exp <= now) {
    return "'Expiration time' claim ('exp') must be a numeric value representing the future time";
  }
  if (typeof payload.iat !== 'number' || payload.iat > now + 60) {
    return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
  }
  if (payload.exp - payload.iat > 660) {
    return "'Expiration time' claim ('exp') is too far in the future";
  }
  if (check.publicKey) {
    const key =
      typeof check.publicKey === 'string' ? createPublicKey(check.publicKey) : check.publicKey;
    const ok = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(sig, 'base64url'));
    if (!ok) return 'A JSON web token could not be decoded';
  }
  return undefined;
}
