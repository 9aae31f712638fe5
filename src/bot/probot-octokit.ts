import { ProbotOctokit } from 'probot';
import { statusOf } from '../github/bot-octokit.js';

/** Statuses @octokit/plugin-retry never retries; the same rule here. */
const NOT_RETRIED = new Set([400, 401, 403, 404, 410, 422, 451]);
const DEFAULT_RETRIES = 2;
const BASE_DELAY_MS = 200;

type RequestOptions = { request?: { retries?: number } };

/**
 * plugin-retry's rule (network errors and 5xx-like statuses, `request.retries` per call,
 * waits growing as (n+1)² × 200 ms) as a plain request hook. plugin-retry schedules every
 * request through Bottleneck, which cost about 6 ms per request on an idle machine
 * (GET p50 8.8 ms with it, 2.5 ms without); an incident makes six calls in a row.
 */
export function retryHook(octokit: {
  hook: {
    wrap: (
      name: 'request',
      fn: (request: (o: RequestOptions) => Promise<unknown>, o: RequestOptions) => Promise<unknown>,
    ) => void;
  };
}): void {
  octokit.hook.wrap('request', async (request, options) => {
    const retries = options.request?.retries ?? DEFAULT_RETRIES;
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(options);
      } catch (e) {
        const status = statusOf(e);
        if (
          attempt >= retries ||
          (status !== undefined && (status < 400 || NOT_RETRIED.has(status)))
        )
          throw e;
        await new Promise((r) => setTimeout(r, (attempt + 1) ** 2 * BASE_DELAY_MS));
      }
    }
  });
}

/**
 * Probot's Octokit for an alert storm. Throttling is off: it spaces every write one second
 * apart in one queue, so a storm of incidents would wait minutes while the sender times out;
 * GitHub's secondary limit answers 403 + retry-after instead, which the bot turns into 503 so
 * the sender backs off. Retries stay on for reads and idempotent writes (retryHook), short:
 * the sender retries the whole delivery anyway.
 */
export const BotOctokit = ProbotOctokit.plugin(retryHook as never).defaults(
  (options: Record<string, unknown>) => ({
    ...options,
    throttle: { ...(options.throttle as object | undefined), enabled: false },
    retry: { ...(options.retry as object | undefined), enabled: false },
  }),
);
