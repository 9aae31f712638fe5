import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { pino } from 'pino';
import { Probot } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotApp } from '../../../src/bot/app.js';
import { BotOctokit } from '../../../src/bot/probot-octokit.js';
import { readBotSettings } from '../../../src/bot/settings.js';
import type { GitHubFake } from '../../fakes/github/index.js';
import { privateKey, startFake, WEBHOOK_SECRET, writes } from './harness.js';
import { hmacSignature } from '../../../src/bot/alerts/auth.js';
import type { AlertSource } from '../../../src/bot/alerts/types.js';

const RUNS = 10_000;
const TOKEN = 'fuzz-token';
const SECRET = 'fuzz-secret';
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(
    readFileSync(new URL(`../../fixtures/alerts/${name}`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
const SEEDS: Record<AlertSource, Record<string, unknown>> = {
  alertmanager: fixture('alertmanager-v4-docs.json'),
  grafana: fixture('grafana-docs-example.json'),
  generic: fixture('generic-script.json'),
};

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * The real app (intake, processor, Octokit) loaded into a Probot pointed at the GitHub fake,
 * whose call log shows whether anything reached GitHub. The fake has no repository, so even
 * a valid body would only look its installation up (a read).
 */
async function realApp(fake: GitHubFake): Promise<Handler> {
  const settings = readBotSettings({
    ALERTS_TOKEN: TOKEN,
    GRAFANA_HMAC_SECRET: SECRET,
    // The fuzz signs without a timestamp; the replay window has its own tests.
    GRAFANA_TIMESTAMP_HEADER: 'none',
    ALERTS_BINDINGS: JSON.stringify({
      ALERTS_TOKEN: { repositories: ['acme/*'] },
      GRAFANA_HMAC_SECRET: { repositories: ['acme/*'] },
    }),
    // Thousands of requests from one address: the rate limits have their own tests.
    ALERTS_RATE_LIMIT: '1000000',
    ALERTS_REFUSAL_LIMIT: '1000000',
    GITHUB_API_URL: fake.url,
  });
  const probot = new Probot({
    appId: 1,
    privateKey,
    secret: WEBHOOK_SECRET,
    baseUrl: fake.url,
    Octokit: BotOctokit,
    log: pino({ level: 'silent' }),
  });
  const handlers: Handler[] = [];
  await createBotApp({ settings, webhookSecret: WEBHOOK_SECRET })(probot, {
    cwd: process.cwd(),
    addHandler: (h) => {
      handlers.push(h as Handler);
    },
  });
  if (handlers.length === 0) throw new Error('the app added no handler');
  // As Probot's Server chains them: the first that answers ends the chain.
  return async (req, res) => {
    for (const h of handlers) if (await h(req, res)) return true;
    return false;
  };
}

async function call(
  handler: Handler,
  route: AlertSource | 'webhook',
  body: Buffer,
  headers: Record<string, string>,
): Promise<number> {
  const req = Readable.from([body]) as unknown as IncomingMessage;
  Object.assign(req, {
    method: 'POST',
    url: route === 'webhook' ? '/api/github/webhooks' : `/alerts/${route}`,
    headers: { 'content-length': String(body.length), ...headers },
  });
  let status = 0;
  const res = {
    headersSent: false,
    writeHead(this: { headersSent: boolean }, s: number) {
      status = s;
      this.headersSent = true;
      return this;
    },
    end: () => undefined,
    destroy: () => undefined,
  } as unknown as ServerResponse;
  expect(await handler(req, res)).toBe(true);
  return status;
}

function signed(route: AlertSource, body: Buffer): Record<string, string> {
  const auth: Record<string, string> =
    route === 'grafana'
      ? { 'x-grafana-alerting-signature': hmacSignature(SECRET, body) }
      : { authorization: `Bearer ${TOKEN}` };
  return { 'content-type': 'application/json', ...auth };
}

/** A copy of `seed` with one required field broken and random noise added elsewhere. */
const mutated = (seed: Record<string, unknown>) =>
  fc
    .record({
      target: fc.constantFrom('alerts', 'status', 'labels', 'alertsItem'),
      value: fc.oneof(
        fc.integer(),
        fc.string(),
        fc.constant(null),
        fc.boolean(),
        fc.array(fc.integer(), { maxLength: 3 }),
      ),
      extra: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
        maxKeys: 3,
      }),
    })
    .map(({ target, value, extra }) => {
      const copy = structuredClone(seed) as Record<string, unknown> & {
        alerts: Record<string, unknown>[];
      };
      Object.assign(copy, extra);
      copy.alerts = Array.isArray(seed.alerts)
        ? structuredClone(seed.alerts as Record<string, unknown>[])
        : [];
      const first = copy.alerts[0] ?? {};
      if (target === 'alerts')
        copy.alerts = (typeof value === 'object' && value !== null ? { value } : value) as never;
      else if (target === 'status')
        first.status =
          typeof value === 'string' && ['firing', 'resolved'].includes(value) ? 1 : value;
      else if (target === 'labels')
        first.labels = typeof value === 'object' && value !== null ? { a: 1 } : value;
      else copy.alerts = [value as never];
      return copy;
    });

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'] as const;

/** Sets an own, enumerable key (even `__proto__`) so JSON.stringify writes it as a sender would. */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    configurable: true,
    writable: true,
  });
}

/**
 * A valid body of the route with one rule of strict input broken: a prototype key (any of the
 * three, at the top, in an alert, in its labels or annotations, with an object or a string
 * value), or a label or annotation value that is not a string. Each must be a 400.
 */
const strictViolation = (seed: Record<string, unknown>) =>
  fc
    .record({
      key: fc.constantFrom(...FORBIDDEN),
      where: fc.constantFrom('top', 'alert', 'labels', 'annotations', 'commonLabels'),
      value: fc.oneof(
        fc.constant({ polluted: 'yes' }),
        fc.string({ maxLength: 10 }),
        fc.integer(),
        fc.constant(null),
      ),
      nonString: fc.boolean(),
    })
    .map(({ key, where, value, nonString }) => {
      const copy = structuredClone(seed) as Record<string, unknown> & {
        alerts?: Record<string, unknown>[];
      };
      const alert = (copy.alerts?.[0] ?? copy) as Record<string, unknown>;
      const labels = (alert.labels ?? {}) as Record<string, unknown>;
      alert.labels = labels;
      if (nonString && typeof value !== 'string') {
        // A non-string value under an ordinary key.
        (where === 'annotations'
          ? ((alert.annotations ??= {}) as Record<string, unknown>)
          : labels
        ).shard = value;
        return copy;
      }
      const target =
        where === 'top'
          ? copy
          : where === 'alert'
            ? alert
            : where === 'commonLabels'
              ? ((copy.commonLabels ??= {}) as Record<string, unknown>)
              : where === 'annotations'
                ? ((alert.annotations ??= {}) as Record<string, unknown>)
                : labels;
      setKey(target, key, value);
      return copy;
    });

describe.each(['alertmanager', 'grafana', 'generic'] as const)('fuzzing /alerts/%s', (route) => {
  let fake: GitHubFake;
  let handler: Handler;
  beforeAll(async () => {
    fake = await startFake();
    handler = await realApp(fake);
  });
  afterAll(async () => fake?.close());

  it(`answers ${RUNS} random and mutated bodies with 4xx only, never writing to GitHub`, async () => {
    fake.clearLog();
    const statuses = new Map<number, number>();
    const body = fc.oneof(
      {
        weight: 3,
        arbitrary: mutated(SEEDS[route]).map((v) => ({ kind: 'json', text: JSON.stringify(v) })),
      },
      {
        weight: 2,
        arbitrary: fc
          .jsonValue({ maxDepth: 4 })
          .map((v) => ({ kind: 'json', text: JSON.stringify(v) ?? 'null' })),
      },
      {
        weight: 1,
        arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ kind: 'text', text })),
      },
      {
        weight: 1,
        arbitrary: fc.jsonValue().map((v) => ({ kind: 'media', text: JSON.stringify(v) ?? '1' })),
      },
    );
    await fc.assert(
      fc.asyncProperty(body, async ({ kind, text }) => {
        const buffer = Buffer.from(text);
        const headers = signed(route, buffer);
        if (kind === 'media') headers['content-type'] = 'text/plain';
        const status = await call(handler, route, buffer, headers);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        // A random value that happens to be a valid, empty-labelled alert list may pass: then it is 200.
        if (status === 200) return;
        expect(status).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
    const acks = statuses.get(200) ?? 0;
    expect(acks).toBeLessThan(RUNS / 100);
    expect(writes(fake)).toEqual([]);
    if (acks === 0) expect(fake.calls).toEqual([]);
    expect([...statuses.keys()].every((s) => s === 200 || (s >= 400 && s < 500))).toBe(true);
  }, 120_000);

  it(`answers ${RUNS} bodies with a prototype key or a non-string label value with 400, never calling GitHub`, async () => {
    fake.clearLog();
    await fc.assert(
      fc.asyncProperty(strictViolation(SEEDS[route]), async (value) => {
        const buffer = Buffer.from(JSON.stringify(value));
        expect(await call(handler, route, buffer, signed(route, buffer))).toBe(400);
      }),
      { numRuns: RUNS },
    );
    expect(fake.calls).toEqual([]);
  }, 120_000);

  it('answers 401 to any other credentials, without calling GitHub', async () => {
    fake.clearLog();
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 60 }),
        fc.string({ maxLength: 60 }),
        async (auth, sig) => {
          fc.pre(auth !== `Bearer ${TOKEN}`);
          const buffer = Buffer.from(JSON.stringify(SEEDS[route]));
          fc.pre(sig !== hmacSignature(SECRET, buffer));
          const status = await call(handler, route, buffer, {
            'content-type': 'application/json',
            authorization: auth,
            'x-grafana-alerting-signature': sig,
          });
          expect(status).toBe(401);
        },
      ),
      { numRuns: 1000 },
    );
    expect(fake.calls).toEqual([]);
  });
});

describe('fuzzing /api/github/webhooks', () => {
  let fake: GitHubFake;
  let handler: Handler;
  beforeAll(async () => {
    fake = await startFake();
    handler = await realApp(fake);
  });
  afterAll(async () => fake?.close());

  const sign = (body: Buffer) =>
    `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`;
  /** A comment event with random parts: commands, users, missing or mistyped fields. */
  const commentEvent = fc.record(
    {
      action: fc.constantFrom('created', 'edited'),
      comment: fc.record(
        {
          id: fc.oneof(fc.nat(), fc.string({ maxLength: 4 })),
          body: fc.oneof(
            fc.constantFrom(
              '/rollback',
              '/ROLLBACK production to main/../../x',
              '/status',
              '/help',
              'hi',
            ),
            fc.string({ maxLength: 60 }),
          ),
          user: fc.record({
            login: fc.string({ maxLength: 10 }),
            type: fc.constantFrom('User', 'Bot'),
          }),
        },
        { requiredKeys: [] },
      ),
      issue: fc.record({ number: fc.oneof(fc.nat(), fc.constant(null)) }),
      repository: fc.record(
        {
          name: fc.constantFrom('model', 'x'),
          owner: fc.record({ login: fc.constantFrom('acme', 'globex') }),
          default_branch: fc.constant('main'),
        },
        { requiredKeys: [] },
      ),
      installation: fc.option(fc.record({ id: fc.nat({ max: 100 }) })),
    },
    { requiredKeys: ['action'] },
  );

  it(`answers ${RUNS} random deliveries, signed or not, without a crash or a write`, async () => {
    fake.clearLog();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 3, arbitrary: commentEvent.map((v) => JSON.stringify(v)) },
          {
            weight: 1,
            arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
          },
          { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
        ),
        fc.constantFrom('issue_comment', 'push', 'ping', ''),
        fc.boolean(),
        async (text, event, signedRight) => {
          const body = Buffer.from(text);
          const status = await call(handler, 'webhook', body, {
            'content-type': 'application/json',
            'x-github-event': event,
            'x-github-delivery': 'd-1',
            'x-hub-signature-256': signedRight ? sign(body) : 'sha256=00',
          });
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (!signedRight || event === '') expect(status).toBe(401);
          else expect([200, 400]).toContain(status);
        },
      ),
      { numRuns: RUNS },
    );
    expect(writes(fake)).toEqual([]);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
  }, 180_000);
});
