import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { CheckFailedError } from '../core/errors.js';
import type { GateRecord } from './evidence.js';
import type { Release, Track } from './types.js';

/** A process the local target started: enough to find it again from a later CLI call. */
export interface ProcessRecord {
  pid: number;
  /** /proc start time, so a reused pid is never mistaken for ours. */
  startTime?: string;
  port: number;
  logFile: string;
  startedAt: string;
}

export interface TrackRecord extends ProcessRecord {
  track: Track;
  release: Release;
}

/** `.model-delivery/local/state.json`: what runs, where, and which releases were stable. */
export interface LocalState {
  version: 1;
  proxy?: ProcessRecord;
  /**
   * Share of requests for the canary, and the same for the baseline. The proxy reads it.
   * Set by deploy (deploy.steps[0], else deploy.canary.percent) and by each step.
   */
  percent: number;
  tracks: Partial<Record<Track, TrackRecord>>;
  /** When the canary in flight was started (the local "lock"). */
  canarySince?: string;
  /** Releases that were stable, oldest first; the last is the current one. */
  history: Release[];
  /**
   * deploy.local.env as it was when each version was deployed: a release always runs with
   * its own env, whether as canary, baseline, promoted stable or a rollback target.
   */
  releaseEnv?: Record<string, Record<string, string>>;
  /** Processes started by a call that has not committed yet; a later call stops them if that call died. */
  pending: ProcessRecord[];
  /** Processes a committed call replaced and is stopping; a later call finishes stopping them. */
  retired: ProcessRecord[];
  /** The call in progress and its last step; present after a crash, so the next call can name it. */
  journal?: Journal;
  /**
   * The last operation that finished, with its call's pid: a lock left by that pid means the
   * call died after its last write, so the operation is done and only the lock was left.
   */
  completed?: { operation: string; version?: string; pid: number; since: string };
  /** The gate's last verdict, with the identity of the canary it judged. */
  gate?: GateRecord;
}

/** An operation in progress: written before its first step, removed after its last. */
export interface Journal {
  operation: string;
  /** The release it works on, for messages. */
  version?: string;
  step: string;
  /** Whether the operation has committed (tracks and history written): recovery finishes it rather than undoing it. */
  committed: boolean;
  since: string;
}

export function emptyState(percent: number): LocalState {
  return { version: 1, percent, tracks: {}, history: [], pending: [], retired: [] };
}

export const stateFile = (dir: string) => join(dir, 'state.json');
const lockFile = (dir: string) => join(dir, 'lock');

export function readState(dir: string): LocalState | undefined {
  const file = stateFile(dir);
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as LocalState;
  if (parsed.version !== 1)
    throw new CheckFailedError(
      `${file}: unknown state version ${String(parsed.version)} (written by another model-delivery version); remove the file after stopping the processes it lists`,
      'stale_state',
    );
  return {
    ...parsed,
    pending: parsed.pending ?? [],
    retired: parsed.retired ?? [],
    history: parsed.history ?? [],
    tracks: parsed.tracks ?? {},
  };
}

/** Written to a temporary file and renamed, so the proxy and other calls never read half a file. */
export function writeState(dir: string, state: LocalState): void {
  mkdirSync(dir, { recursive: true });
  const tmp = `${stateFile(dir)}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, stateFile(dir));
}

export interface LockHolder {
  pid: number;
  startTime?: string;
  operation: string;
  since: string;
}

/**
 * One call at a time changes the local deployment: the lock file is created exclusively.
 * Returns the previous holder when it was left by a call that died (the caller recovers).
 */
export function acquireLock(
  dir: string,
  holder: LockHolder,
  isHolderAlive: (h: LockHolder) => boolean,
): { stale?: LockHolder } {
  mkdirSync(dir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile(dir), 'wx');
      writeSync(fd, JSON.stringify(holder));
      closeSync(fd);
      return {};
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const current = readLock(dir);
    if (current && isHolderAlive(current)) {
      throw new CheckFailedError(
        `another model-delivery call (pid ${current.pid}, ${current.operation} since ${current.since}) is changing the local deployment; wait for it to finish`,
        'target_busy',
        { holder: current },
      );
    }
    rmSync(lockFile(dir), { force: true });
    if (current) {
      const stale = current;
      const again = acquireLock(dir, holder, isHolderAlive);
      return { ...again, stale };
    }
  }
  throw new CheckFailedError(
    `could not take the lock ${lockFile(dir)}; remove it if no model-delivery call is running`,
    'target_busy',
  );
}

export function readLock(dir: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(lockFile(dir), 'utf8')) as LockHolder;
  } catch (e) {
    // A lock file cut short by a crash between create and write holds no holder.
    if (e instanceof SyntaxError) return undefined;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export function releaseLock(dir: string): void {
  rmSync(lockFile(dir), { force: true });
}
