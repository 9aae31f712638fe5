// The fake's pure parts, by tables: credentials, App JWT claims, permissions, search queries
// and the filling of required response fields.
import { createSign, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkAppJwt, readCredential } from '../../fakes/github/auth.js';
import { missingPermission, narrow } from '../../fakes/github/permissions.js';
import { parseSearch } from '../../fakes/github/routes/search.js';
import { shape } from '../../fakes/github/skeleton.js';
import type { Issue } from '../../fakes/github/state.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const NOW = 1_800_000_000;

function jwt(payload: Record<string, unknown>, alg = 'RS256'): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const signing = `${part({ alg, typ: 'JWT' })}.${part(payload)}`;
  const signature = createSign('RSA-SHA256').update(signing).sign(privateKey).toString('base64url');
  return `${signing}.${signature}`;
}

describe('credentials', () => {
  it.each([
    ['token ghs_abc', { kind: 'token', token: 'ghs_abc' }],
    ['Bearer ghs_abc', { kind: 'token', token: 'ghs_abc' }],
    ['bearer eyJhbGciOi.eyJpc3Mi.c2ln', { kind: 'jwt', token: 'eyJhbGciOi.eyJpc3Mi.c2ln' }],
    ['Basic dXNlcjpwYXNz', { kind: 'none' }],
    ['', { kind: 'none' }],
  ])('%j → %j', (header, expected) => {
    expect(readCredential(header)).toEqual(expected);
  });
});

describe('App JWT claims', () => {
  const good = { iss: 42, iat: NOW - 60, exp: NOW + 540 };
  it.each([
    ['a good token', jwt(good), undefined],
    ['iss as a string', jwt({ ...good, iss: '42' }), undefined],
    ['another app', jwt({ ...good, iss: 7 }), "'Issuer' claim ('iss') must be the app id 42"],
    ['expired', jwt({ ...good, exp: NOW - 1 }), expect.stringContaining("'Expiration time'")],
    [
      'issued in the future',
      jwt({ ...good, iat: NOW + 120 }),
      expect.stringContaining("'Issued at'"),
    ],
    ['valid for too long', jwt({ ...good, exp: NOW + 3600 }), expect.stringContaining('too far')],
    ['HS256', jwt(good, 'HS256'), "'alg' must be RS256, got HS256"],
    ['not JSON', 'eyJ.bm90IGpzb24.c2ln', 'A JSON web token could not be decoded'],
  ])('%s', (_name, token, reason) => {
    expect(checkAppJwt(token, { appId: '42', nowSeconds: NOW })).toEqual(reason);
  });

  it('verifies the signature when given the public key', () => {
    const token = jwt({ iss: 42, iat: NOW - 60, exp: NOW + 540 });
    expect(checkAppJwt(token, { appId: '42', nowSeconds: NOW, publicKey })).toBeUndefined();
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(checkAppJwt(token, { appId: '42', nowSeconds: NOW, publicKey: other })).toBe(
      'A JSON web token could not be decoded',
    );
  });
});

describe('installation permissions', () => {
  it.each([
    ['git/create-ref', { contents: 'write' }, undefined],
    ['git/create-ref', { contents: 'read' }, 'contents:write'],
    ['issues/create-comment', { pull_requests: 'write' }, undefined],
    ['issues/create-comment', { issues: 'read' }, 'issues:write|pull_requests:write'],
    ['graphql/revertPullRequest', { contents: 'write' }, 'contents:write&pull_requests:write'],
    ['graphql/revertPullRequest', { contents: 'admin', pull_requests: 'write' }, undefined],
    ['repos/get-collaborator-permission-level', {}, undefined],
  ])('%s with %j → %s', (operationId, granted, missing) => {
    expect(missingPermission(operationId, granted)).toBe(missing);
  });

  it('narrows to what was asked and drops what the installation lacks', () => {
    const installation = { contents: 'write', issues: 'read' };
    expect(narrow(installation, undefined)).toEqual(installation);
    expect(narrow(installation, { contents: 'read' })).toEqual({ contents: 'read' });
    expect(narrow(installation, { issues: 'write', actions: 'read' })).toEqual({});
  });
});

describe('search queries', () => {
  const issue = (o: Partial<Issue>): Issue =>
    ({
      title: 't',
      body: '',
      state: 'open',
      labels: [],
      user: { login: 'bot', id: 1, type: 'Bot' },
      ...o,
    }) as Issue;

  it('keeps quoted phrases whole and reads qualifiers', () => {
    const q = parseSearch('"incident abc" in:body repo:Acme/Model is:open -label:done');
    expect(q.terms).toEqual(['incident abc']);
    expect(q.repos).toEqual(['acme/model']);
    expect(q.fields).toEqual(['body']);
    expect(q.filters.map((f) => f(issue({ labels: [] })))).toEqual([true, true]);
    expect(q.filters.map((f) => f(issue({ labels: ['done'] })))).toEqual([true, false]);
  });
});

describe('filling required response fields', () => {
  const schema = {
    type: 'object',
    required: ['id', 'user', 'labels', 'merged_at', 'state'],
    properties: {
      id: { type: 'integer' },
      user: {
        type: 'object',
        nullable: true,
        required: ['login', 'site_admin'],
        properties: { login: { type: 'string' }, site_admin: { type: 'boolean' } },
      },
      labels: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'color'],
          properties: { name: { type: 'string' }, color: { type: 'string' } },
        },
      },
      merged_at: { type: 'string', format: 'date-time', nullable: true },
      state: { type: 'string', enum: ['open', 'closed'] },
    },
  };

  it('keeps given values, completes nested objects and fills the rest by type', () => {
    expect(shape(schema, { id: 7, user: { login: 'octocat' }, labels: [{ name: 'x' }] })).toEqual({
      id: 7,
      user: { login: 'octocat', site_admin: false },
      labels: [{ name: 'x', color: '' }],
      merged_at: null,
      state: 'open',
    });
  });

  it('picks the alternative of a oneOf that fits the value', () => {
    const payload = {
      oneOf: [
        { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
        { type: 'string' },
      ],
    };
    expect(shape(payload, 'raw')).toBe('raw');
    expect(shape(payload, {})).toEqual({ a: '' });
  });
});
