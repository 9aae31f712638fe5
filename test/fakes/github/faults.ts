// Fault injection per route: errors, latency and secondary rate limits, reproducible from a seed.

export interface FaultRule {
  /** An operationId (`repos/create-deployment`, `graphql`, `graphql/revertPullRequest`), a
   *  regex tested against `METHOD /path` (no prefix, no query), or a predicate. */
  match:
    string | RegExp | ((call: { method: string; path: string; operationId?: string }) => boolean);
  /** Chance (0..1) that a matching call fails; default 1 when `status` or `secondaryRateLimit` is set. */
  rate?: number;
  /** Status of the injected failure (default 500 when `rate` is given). */
  status?: number;
  /** Answer 403 "You have exceeded a secondary rate limit" with this `retry-after` (seconds). */
  secondaryRateLimit?: { retryAfter: number };
  /** Answer 403 "API rate limit exceeded" with `x-ratelimit-remaining: 0` and a reset this
   *  many seconds ahead (the primary limit). */
  rateLimit?: { resetInSeconds: number };
  /** GraphQL only: answer 200 with GitHub's transient "Something went wrong while executing
   *  your query" error (which @octokit/plugin-retry retries). */
  graphqlError?: boolean;
  /** Delay added to every matching call, in ms (before the handler runs). */
  latencyMs?: number;
  /** Only the first N matching calls are affected. */
  times?: number;
  /** 'after': the handler runs (state changes) and then the response is replaced by the
   *  failure, like a lost response. Default 'before' (nothing changes). */
  phase?: 'before' | 'after';
}

export interface FaultDecision {
  latencyMs: number;
  failure?: {
    status: number;
    body: unknown;
    headers: Record<string, string>;
    phase: 'before' | 'after';
  };
}

export class Faults {
  private readonly rules: { rule: FaultRule; hits: number }[] = [];
  private random: () => number;

  constructor(seed: number) {
    this.random = mulberry32(seed);
  }

  /** Adds a rule; returns a function that removes it. */
  add(rule: FaultRule): () => void {
    const entry = { rule, hits: 0 };
    this.rules.push(entry);
    return () => {
      const i = this.rules.indexOf(entry);
      if (i >= 0) this.rules.splice(i, 1);
    };
  }

  clear(): void {
    this.rules.length = 0;
  }

  reseed(seed: number): void {
    this.random = mulberry32(seed);
  }

  decide(call: { method: string; path: string; operationIds: string[] }): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    for (const entry of this.rules) {
      const { rule } = entry;
      if (!matches(rule, call)) continue;
      if (rule.times !== undefined && entry.hits >= rule.times) continue;
      entry.hits += 1;
      decision.latencyMs += rule.latencyMs ?? 0;
      const failing =
        rule.status !== undefined ||
        rule.secondaryRateLimit ||
        rule.rateLimit ||
        rule.graphqlError ||
        rule.rate !== undefined;
      if (!failing || decision.failure) continue;
      if (this.random() >= (rule.rate ?? 1)) continue;
      decision.failure = failureFor(rule);
    }
    return decision;
  }
}

function matches(
  rule: FaultRule,
  call: { method: string; path: string; operationIds: string[] },
): boolean {
  const { match } = rule;
  if (typeof match === 'string') return call.operationIds.includes(match);
  if (match instanceof RegExp) return match.test(`${call.method} ${call.path}`);
  return call.operationIds.some((operationId) =>
    match({ method: call.method, path: call.path, operationId }),
  );
}

function failureFor(rule: FaultRule): NonNullable<FaultDecision['failure']> {
  const phase = rule.phase ?? 'before';
  if (rule.graphqlError) {
    const message =
      'Something went wrong while executing your query. Please include `0000:FAKE` when reporting this issue.';
    return { status: 200, phase, headers: {}, body: { data: null, errors: [{ message }] } };
  }
  if (rule.rateLimit) {
    return {
      status: 403,
      phase,
      headers: {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': '5000',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + rule.rateLimit.resetInSeconds),
      },
      body: {
        message: 'API rate limit exceeded for installation ID 0.',
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit',
        status: '403',
      },
    };
  }
  if (rule.secondaryRateLimit) {
    return {
      status: 403,
      phase,
      headers: {
        'retry-after': String(rule.secondaryRateLimit.retryAfter),
        'x-ratelimit-remaining': '4000',
      },
      body: {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
          'If you reach out to GitHub Support for help, please include the request ID 0000:FAKE.',
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: '403',
      },
    };
  }
  const status = rule.status ?? 500;
  return {
    status,
    phase,
    headers: {},
    body: { message: status >= 500 ? 'Server Error' : 'Injected failure', status: String(status) },
  };
}

/** A small seeded PRNG (public domain, Tommy Ettinger): same seed, same faults. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
