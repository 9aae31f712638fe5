import {
  IncomingWebhook,
  IncomingWebhookHTTPError,
  IncomingWebhookRequestError,
  type FetchFunction,
  type IncomingWebhookSendArguments,
} from '@slack/webhook';

export interface SlackMessage {
  /** Fallback text for notifications; always sent. */
  text: string;
  blocks?: IncomingWebhookSendArguments['blocks'];
}

export interface SlackClient {
  post(message: SlackMessage): Promise<void>;
}

export interface SlackClientOptions {
  /** The incoming-webhook URL: a secret, never logged or put in an error. */
  url: string;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  /** Retries after the first attempt for 5xx, 429 and network errors (default 3). */
  retries?: number;
  /** First backoff delay, doubled each retry with jitter (default 500 ms). */
  baseDelayMs?: number;
  /** Upper bound of any wait, Retry-After included (default 30 s). */
  maxDelayMs?: number;
  fetch?: FetchFunction;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** A Slack post that failed for good; the message never contains the webhook URL. */
export class SlackPostError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = 'SlackPostError';
  }
}

/**
 * Posts to a Slack incoming webhook with @slack/webhook. Its own retries stop at 429, so the
 * loop here retries 5xx and network errors with exponential backoff, and honours a 429's
 * `Retry-After`; 4xx other than 429 fail at once (the webhook or the message is wrong).
 */
export function createSlackClient(options: SlackClientOptions): SlackClient {
  const retries = options.retries ?? 3;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const innerFetch: FetchFunction = options.fetch ?? (globalThis.fetch as unknown as FetchFunction);
  let retryAfter: string | null = null;
  const fetchFn: FetchFunction = async (url, init) => {
    const res = await innerFetch(url, init);
    retryAfter = res.headers.get('retry-after');
    return res;
  };
  const webhook = new IncomingWebhook(options.url, {
    fetch: fetchFn,
    timeout: options.timeoutMs ?? 10_000,
  });

  return {
    async post(message) {
      for (let attempt = 0; ; attempt++) {
        retryAfter = null;
        try {
          await webhook.send({ text: message.text, blocks: message.blocks });
          return;
        } catch (error) {
          const verdict = classify(error);
          if (!verdict.retry || attempt >= retries) {
            throw new SlackPostError(`Slack post failed: ${verdict.reason}`, verdict.status);
          }
          const backoff = Math.min(max, base * 2 ** attempt * (0.5 + random()));
          const wait = verdict.status === 429 ? (retryAfterMs(retryAfter) ?? backoff) : backoff;
          await sleep(Math.min(max, wait));
        }
      }
    },
  };
}

function classify(error: unknown): { retry: boolean; status?: number; reason: string } {
  if (error instanceof IncomingWebhookHTTPError) {
    const status = error.statusCode;
    const retry = status >= 500 || status === 429;
    return {
      retry,
      status,
      reason: `HTTP ${status}${error.body ? ` (${error.body.slice(0, 100)})` : ''}`,
    };
  }
  if (error instanceof IncomingWebhookRequestError) {
    return { retry: true, reason: `could not reach Slack: ${networkCause(error.original)}` };
  }
  return { retry: false, reason: error instanceof Error ? error.name : 'unknown error' };
}

/**
 * What went wrong on the network, from fetch's error and its cause (`ECONNREFUSED
 * 127.0.0.1:9`, `ENOTFOUND hooks.slack.com`, a timeout), never the webhook's URL.
 */
export function networkCause(error: Error): string {
  const cause = (error as Error & { cause?: unknown }).cause;
  const parts: string[] = [];
  if (error.name === 'TimeoutError' || error.name === 'AbortError') parts.push('timed out');
  if (cause instanceof Error) {
    const c = cause as Error & { code?: string; hostname?: string };
    parts.push(c.code && !c.message.includes(c.code) ? `${c.code}: ${c.message}` : c.message);
  } else if (error.message && error.message !== 'fetch failed') parts.push(error.message);
  return parts.join(': ') || `${error.name} (no cause given)`;
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
