import { describe, expect, it } from 'vitest';
import { WaitError, waitFor } from '../../../src/core/wait-for.js';

describe('waitFor', () => {
  it('returns once the check says ready, trying again after "not yet" answers and throws', async () => {
    let tries = 0;
    await waitFor(
      () => {
        tries += 1;
        if (tries === 1) throw new Error('connection refused');
        return tries >= 3 || 'HTTP 503';
      },
      { what: 'the server', timeoutMs: 10_000, intervalMs: 1 },
    );
    expect(tries).toBe(3);
  });

  it('times out naming what it waited for and the last reason', async () => {
    const error = await waitFor(() => 'HTTP 503', {
      what: 'the canary',
      timeoutMs: 30,
      intervalMs: 5,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitError);
    expect(error).toMatchObject({ kind: 'timeout', last: 'HTTP 503' });
    expect((error as Error).message).toBe('timed out after 30ms waiting for the canary: HTTP 503');
  });

  it('tries at least once, even with no time at all', async () => {
    await expect(waitFor(() => true, { what: 'x', timeoutMs: 0 })).resolves.toBeUndefined();
  });

  it('stops at once when stopIf gives a reason', async () => {
    let tries = 0;
    const error = await waitFor(
      () => {
        tries += 1;
        return false;
      },
      {
        what: 'the model',
        timeoutMs: 60_000,
        intervalMs: 1,
        stopIf: () => (tries >= 2 ? 'it exited (code 1)' : undefined),
      },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'stopped',
      message: 'gave up waiting for the model: it exited (code 1)',
    });
    expect(tries).toBe(2);
  });
});
