import { describe, expect, it } from 'vitest';
import { retryHook } from '../../../src/bot/probot-octokit.js';

type Options = { request?: { retries?: number } };

/** An Octokit-shaped hook holder whose request fails with the given statuses, then succeeds. */
function withFailures(statuses: Array<number | undefined>) {
  let wrapped:
    ((request: (o: Options) => Promise<unknown>, o: Options) => Promise<unknown>) | undefined;
  const octokit = {
    hook: { wrap: (_name: 'request', fn: typeof wrapped & object) => void (wrapped = fn) },
  };
  retryHook(octokit);
  let calls = 0;
  const request = async () => {
    const status = statuses[calls++];
    if (calls <= statuses.length)
      throw Object.assign(
        new Error(`HTTP ${status ?? 'network'}`),
        status === undefined ? {} : { status },
      );
    return 'ok';
  };
  return { send: (o: Options = {}) => wrapped!(request, o), calls: () => calls };
}

describe('retryHook (the bot’s retries without Bottleneck)', () => {
  it('retries server errors and network failures, twice by default', async () => {
    const a = withFailures([502, undefined]);
    await expect(a.send()).resolves.toBe('ok');
    expect(a.calls()).toBe(3);
    const b = withFailures([500, 500, 500]);
    await expect(b.send()).rejects.toThrow('HTTP 500');
    expect(b.calls()).toBe(3);
  });

  it.each([400, 401, 403, 404, 410, 422, 451])('never retries %i', async (status) => {
    const a = withFailures([status]);
    await expect(a.send()).rejects.toThrow(`HTTP ${status}`);
    expect(a.calls()).toBe(1);
  });

  it('honours request.retries: 0 (calls that create something)', async () => {
    const a = withFailures([503]);
    await expect(a.send({ request: { retries: 0 } })).rejects.toThrow('HTTP 503');
    expect(a.calls()).toBe(1);
  });
});
