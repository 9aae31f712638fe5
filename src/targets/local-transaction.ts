import type { Logger } from '../core/log.js';
import type { ProcessRunner } from './local-processes.js';
import {
  acquireLock,
  emptyState,
  readState,
  releaseLock,
  writeState,
  type Journal,
  type LocalState,
  type LockHolder,
  type ProcessRecord,
} from './local-state.js';

/**
 * Every change of the local deployment is a transaction with one commit point:
 *   1. under the lock, finish or undo what an interrupted call left (its journal);
 *   2. start the new processes, each recorded as pending before it is waited on;
 *   3. commit: one atomic state write switches the tracks (the front proxy routes by this
 *      file), the history, and lists the replaced processes as retired;
 *   4. stop the retired processes, then clear the journal.
 * A crash before 3 is undone by stopping the pending processes; after 3 it is finished by
 * stopping the retired ones. docs/deploy.md states the steps of each operation.
 */
export interface TransactionIo {
  dir: string;
  runner: ProcessRunner;
  log: Logger;
  /** The share a new state file starts with; later, deploy and setTrafficShare set it. */
  percent: number;
  /** Called after each step (a state write, a process start or stop); crash tests die here. */
  afterStep: (step: string) => void;
}

/** Marks every process this target starts with its state directory (see stopOrphans). */
export const TAG_ENV = 'MODEL_DELIVERY_LOCAL_STATE';

export class Change {
  readonly warnings: string[] = [];
  /** What an earlier, interrupted call was doing, when this change found and resolved one. */
  recovered?: Journal;

  constructor(
    readonly state: LocalState,
    private readonly io: TransactionIo,
  ) {}

  /** Writes the state (renamed into place, so never half-written) as one step. */
  save(step: string): void {
    if (this.state.journal) this.state.journal.step = step;
    writeState(this.io.dir, this.state);
    this.io.afterStep(step);
  }

  /** A started process, recorded as pending before anything waits on it. */
  started(record: ProcessRecord, step: string): void {
    this.io.afterStep(`${step} (spawned)`);
    this.state.pending.push(record);
    this.save(step);
  }

  /** The commit point: the caller has changed tracks and history in memory; one write makes it true. */
  commit(step: string, replaced: ReadonlyArray<ProcessRecord | undefined>): void {
    const inUse = livePids(this.state);
    this.state.pending = this.state.pending.filter((p) => !inUse.has(p.pid));
    this.state.retired = replaced.filter(
      (r): r is ProcessRecord => r !== undefined && !inUse.has(r.pid),
    );
    if (this.state.journal) this.state.journal.committed = true;
    this.save(step);
  }

  async stop(record: ProcessRecord, step: string): Promise<void> {
    await this.io.runner.stop(record);
    this.io.afterStep(step);
  }

  warn(message: string): void {
    this.warnings.push(message);
    // Said at once: the change may still fail, and the user must hear what it found first.
    this.io.log.warn(message);
  }
}

/** Runs `fn` as one transaction under the lock; returns the state it left and its warnings. */
export async function runChange(
  io: TransactionIo,
  operation: string,
  fn: (change: Change) => Promise<void>,
): Promise<Change> {
  const holder: LockHolder = { pid: process.pid, operation, since: new Date().toISOString() };
  const { stale } = acquireLock(io.dir, holder, (h) =>
    io.runner.isAlive({ pid: h.pid, startTime: h.startTime }),
  );
  try {
    // The share is the state's, not the config's: a step the gate raised stays raised.
    const state = readState(io.dir) ?? emptyState(io.percent);
    const change = new Change(state, io);
    await recover(change, io, stale);
    await stopOrphans(change, io);
    state.journal = { operation, step: 'begin', committed: false, since: holder.since };
    change.save('begin');
    try {
      await fn(change);
    } catch (e) {
      // Before the commit nothing but new processes exist: stopping them is the undo.
      if (!state.journal.committed) await undo(change, io);
      throw e;
    }
    await finish(change, io);
    return change;
  } finally {
    releaseLock(io.dir);
  }
}

async function undo(change: Change, io: TransactionIo): Promise<void> {
  const { state } = change;
  const inUse = livePids(state);
  for (const record of state.pending)
    if (!inUse.has(record.pid)) await change.stop(record, `undo: stopped pid ${record.pid}`);
  state.pending = [];
  state.journal = undefined;
  writeState(io.dir, state);
}

async function finish(change: Change, io: TransactionIo): Promise<void> {
  const { state } = change;
  for (const record of state.retired)
    await change.stop(record, `stopped the replaced pid ${record.pid}`);
  state.retired = [];
  state.pending = [];
  const j = state.journal;
  if (j)
    state.completed = {
      operation: j.operation,
      version: j.version,
      pid: process.pid,
      since: j.since,
    };
  state.journal = undefined;
  writeState(io.dir, state);
  io.afterStep('done');
}

/** Names what an interrupted call was doing and finishes it (committed) or undoes it (not). */
async function recover(
  change: Change,
  io: TransactionIo,
  stale: LockHolder | undefined,
): Promise<void> {
  const { state } = change;
  const journal = state.journal;
  const what = journal
    ? `a previous ${journal.operation}${journal.version ? ` of ${journal.version}` : ''} (started ${journal.since}) was interrupted at step "${journal.step}"`
    : `a previous ${stale?.operation ?? 'model-delivery'} call was interrupted`;
  const pending = state.pending.map((p) => p.pid);
  const retired = state.retired.map((p) => p.pid);
  if (!journal && pending.length === 0 && retired.length === 0) {
    const done = state.completed;
    if (stale && done?.pid === stale.pid) {
      // It died between its last write and releasing the lock: the operation is complete.
      change.warn(
        `a previous ${done.operation}${done.version ? ` of ${done.version}` : ''} (started ${done.since}) was interrupted at step "done" after it took effect; finished it: released its lock`,
      );
      change.recovered = { ...done, step: 'done', committed: true };
    } else if (stale) {
      change.warn(`${what} (pid ${stale.pid}) before it changed anything; its lock was released`);
    }
    return;
  }
  if (journal?.committed) {
    await finish(change, io);
    change.warn(
      `${what} after it took effect; finished it${retired.length ? `: stopped the processes it had replaced (pids ${retired.join(', ')})` : ''}`,
    );
  } else {
    // Retired processes without a journal come from an older version of this target: finish them too.
    for (const record of state.retired)
      await change.stop(record, `recover: stopped pid ${record.pid}`);
    state.retired = [];
    await undo(change, io);
    change.warn(
      `${what} before it took effect; undid it${pending.length ? `: stopped the processes it had started (pids ${pending.join(', ')})` : ''}`,
    );
  }
  change.recovered = journal;
}

/**
 * Every process the target starts carries TAG_ENV in its env, so one that a killed call
 * started but never wrote down is still found (and stopped) by the next call.
 */
async function stopOrphans(change: Change, io: TransactionIo): Promise<void> {
  const known = livePids(change.state);
  const orphans = io.runner.taggedGroups(TAG_ENV, io.dir).filter((pgid) => !known.has(pgid));
  for (const pgid of orphans) await io.runner.stop({ pid: pgid });
  if (orphans.length)
    change.warn(
      `stopped ${orphans.length} process group(s) started by an interrupted call but not recorded (pgids ${orphans.join(', ')})`,
    );
}

/** The processes the state says serve now: the tracks and the front proxy. */
function livePids(state: LocalState): Set<number> {
  const pids = Object.values(state.tracks).map((t) => t?.pid);
  return new Set([...pids, state.proxy?.pid].filter((p): p is number => p !== undefined));
}

/** Counts steps and dies hard (SIGKILL, as kill -9 would) after the n-th; logs each step at debug level. */
export function crashHook(after: string | undefined, log: Logger): (step: string) => void {
  const n = after ? Number(after) : 0;
  let count = 0;
  return (step) => {
    count += 1;
    log.debug(`local step ${count}: ${step}`);
    if (n > 0 && count === n) process.kill(process.pid, 'SIGKILL');
  };
}
