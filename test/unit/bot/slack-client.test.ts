import type { FetchFunction } from '@slack/webhook';
import { describe, expect, it } from 'vitest';
import { incidentMessage } from '../../../src/notify/incident-message.js';
import {
  createSlackClient,
  retryAfterMs,
  SlackPostError,
} from '../../../src/notify/slack-client.js';

type FetchResponse = Awaited<ReturnType<FetchFunction>>;

const URL_SECRET = 'https://hooks.slack.example/services/T000/B000/SECRET';

function response(
  status: number,
  headers: Record<string, string> = {},
  body = 'ok',
): FetchResponse {
  return {
    ok: status < 300,
    status,
    statusText: String(status),
    url: URL_SECRET,
    headers: new Headers(headers),
    arrayBuffer: async () => new ArrayBuffer(0),
    json: async () => ({}),
    text: async () => body,
  };
}

/** A fetch that answers from a script, recording each call; `throw` simulates a network error. */
function scripted(
  script: (number | 'throw' | { status: number; headers: Record<string, string> })[],
) {
  const calls: string[] = [];
  const fetch: FetchFunction = async (_url, init) => {
    calls.push(String(init?.body));
    const next = script.shift() ?? 200;
    if (next === 'throw') throw new TypeError('fetch failed');
    return typeof next === 'number' ? response(next) : response(next.status, next.headers);
  };
  return { fetch, calls };
}

describe('Slack client', () => {
  it('retries 5xx and network errors with exponential backoff, then succeeds', async () => {
    const { fetch, calls } = scripted([503, 'throw', 200]);
    const waits: number[] = [];
    const slack = createSlackClient({
      url: URL_SECRET,
      fetch,
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.5,
    });
    await slack.post({ text: 'hello' });
    expect(calls).toHaveLength(3);
    expect(waits).toEqual([500, 1000]);
  });

  it("honours a 429's Retry-After", async () => {
    const { fetch, calls } = scripted([{ status: 429, headers: { 'retry-after': '7' } }, 200]);
    const waits: number[] = [];
    const slack = createSlackClient({
      url: URL_SECRET,
      fetch,
      sleep: async (ms) => void waits.push(ms),
    });
    await slack.post({ text: 'hello' });
    expect(calls).toHaveLength(2);
    expect(waits).toEqual([7000]);
  });

  it('fails at once on other 4xx, and after the last retry, never naming the URL', async () => {
    const bad = createSlackClient({
      url: URL_SECRET,
      ...scripted([404]),
      sleep: async () => undefined,
    });
    const error = await bad.post({ text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackPostError);
    expect((error as SlackPostError).status).toBe(404);
    expect(String((error as Error).message)).not.toContain('SECRET');
    const s = scripted([500, 500, 500]);
    const down = createSlackClient({
      url: URL_SECRET,
      fetch: s.fetch,
      retries: 2,
      sleep: async () => undefined,
    });
    await expect(down.post({ text: 'x' })).rejects.toThrow('HTTP 500');
    expect(s.calls).toHaveLength(3);
  });

  it('times out a hanging request and retries it', async () => {
    let calls = 0;
    const fetch: FetchFunction = (_url, init) => {
      calls += 1;
      if (calls > 1) return Promise.resolve(response(200));
      return new Promise((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    };
    const slack = createSlackClient({
      url: URL_SECRET,
      fetch,
      timeoutMs: 50,
      sleep: async () => undefined,
    });
    await slack.post({ text: 'x' });
    expect(calls).toBe(2);
  });

  it.each([
    ['120', 120_000],
    ['Wed, 21 Oct 2015 07:28:10 GMT', 10_000],
    ['soon', undefined],
    [null, undefined],
  ])('reads Retry-After %j', (value, ms) => {
    expect(retryAfterMs(value, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(ms);
  });

  it('builds an incident message within Block Kit limits, escaping alert text', () => {
    const m = incidentMessage({
      repository: 'acme/model',
      environment: 'production',
      alertNames: ['A'.repeat(200)],
      summary: '<!channel> & friends',
      liveSha: 'b'.repeat(40),
      targetSha: 'a'.repeat(40),
      revert: { kind: 'pr', url: 'https://github.com/acme/model/pull/3' },
      runUrl: 'https://github.com/acme/model/actions/runs/9',
    });
    const header = (m.blocks?.[0] as { text: { text: string } }).text.text;
    expect(header.length).toBeLessThanOrEqual(150);
    expect(JSON.stringify(m.blocks)).toContain('&lt;!channel&gt; &amp; friends');
    expect(m.text).toContain('actions/runs/9');
  });
});
