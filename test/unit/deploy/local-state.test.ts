import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { CheckFailedError } from '../../../src/core/errors.js';
import {
  acquireLock,
  emptyState,
  readState,
  releaseLock,
  writeState,
  type LockHolder,
} from '../../../src/targets/local-state.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'md-local-state-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const holder = (pid: number, operation = 'deploy'): LockHolder => ({
  pid,
  operation,
  since: '2026-01-01T00:00:00Z',
});

describe('the lock of the local target', () => {
  test('a live holder makes the second call fail with target_busy, naming it', () => {
    const dir = tempDir();
    expect(acquireLock(dir, holder(101), () => true)).toEqual({});
    let error: unknown;
    try {
      acquireLock(dir, holder(202, 'promote'), () => true);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CheckFailedError);
    expect((error as CheckFailedError).reason).toBe('target_busy');
    expect((error as Error).message).toMatch(/pid 101, deploy since 2026-01-01T00:00:00Z/);
  });

  test('a dead holder is taken over and handed back for recovery', () => {
    const dir = tempDir();
    acquireLock(dir, holder(101), () => true);
    expect(acquireLock(dir, holder(202), (h) => h.pid !== 101)).toEqual({ stale: holder(101) });
    releaseLock(dir);
    expect(acquireLock(dir, holder(303), () => true)).toEqual({});
  });

  test('a lock file cut short by a crash does not block', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lock'), '{"pid":');
    expect(acquireLock(dir, holder(202), () => true)).toEqual({});
  });
});

describe('the state file', () => {
  test('round-trips and leaves no temporary file behind', () => {
    const dir = tempDir();
    const state = emptyState(25);
    state.history.push({ version: 'v1', sha: 'abc', image: 'local:v1' });
    writeState(dir, state);
    expect(readState(dir)).toEqual(state);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  test('absent: undefined; an unknown version: an error that says how to reset', () => {
    const dir = tempDir();
    expect(readState(dir)).toBeUndefined();
    writeFileSync(join(dir, 'state.json'), '{"version":7}');
    expect(() => readState(dir)).toThrow(
      /unknown state version 7 \(written by another model-delivery version\); remove the file/,
    );
  });
});
