import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { WaitError, waitFor } from '../core/wait-for.js';
import { freePort } from '../core/free-port.js';
import { startDetached } from '../core/exec.js';
import { EnvironmentError, errorMessage } from '../core/errors.js';
import type { ProcessRecord } from './local-state.js';

export interface StartOptions {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  port: number;
  logFile: string;
  /** The config path of the command, for messages. */
  label: string;
}

export interface StartedProcess {
  record: ProcessRecord;
  /** Settles when the process exits while this call still runs (an early crash). */
  exited: Promise<string>;
}

/**
 * The one place the local target starts and stops processes. Each process leads its own
 * process group (detached), so stopping it also stops what it spawned (tsx runs node as
 * a child), and it outlives the CLI call that started it.
 */
export interface ProcessRunner {
  start(options: StartOptions): Promise<StartedProcess>;
  isAlive(record: Pick<ProcessRecord, 'pid' | 'startTime'>): boolean;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when no member is left. */
  stop(record: Pick<ProcessRecord, 'pid' | 'startTime'>, graceMs?: number): Promise<void>;
  freePort(): Promise<number>;
  /** Process groups whose members carry `name=value` in their env (Linux /proc; empty elsewhere). */
  taggedGroups(name: string, value: string): number[];
}

export function createProcessRunner(): ProcessRunner {
  return { start: startDetachedProcess, isAlive, stop: stopGroup, freePort, taggedGroups };
}

async function startDetachedProcess(options: StartOptions): Promise<StartedProcess> {
  const { pid, exited } = await startDetached(options);
  const record: ProcessRecord = {
    pid,
    startTime: processStartTime(pid),
    port: options.port,
    logFile: options.logFile,
    startedAt: new Date().toISOString(),
  };
  return { record, exited };
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks), or undefined where /proc is absent. */
export function processStartTime(pid: number): string | undefined {
  const stat = readProcStat(pid);
  return stat?.[19];
}

function readProcStat(pid: number): string[] | undefined {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return undefined;
  try {
    const text = readFileSync(file, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch (e) {
    if (
      (e as NodeJS.ErrnoException).code === 'ENOENT' ||
      (e as NodeJS.ErrnoException).code === 'ESRCH'
    )
      return undefined;
    throw e;
  }
}

function signalExists(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isAlive(record: Pick<ProcessRecord, 'pid' | 'startTime'>): boolean {
  if (!signalExists(record.pid)) return false;
  const stat = readProcStat(record.pid);
  if (!stat) return true;
  if (stat[0] === 'Z') return false;
  return record.startTime === undefined || stat[19] === record.startTime;
}

/** The pid is still the process we started (alive or a zombie), judged by its start time. */
function isSameProcess(record: Pick<ProcessRecord, 'pid' | 'startTime'>): boolean {
  const stat = readProcStat(record.pid);
  return !stat || record.startTime === undefined || stat[19] === record.startTime;
}

/** The group still has members (a leader that died may leave its children). */
function groupExists(pid: number): boolean {
  return signalExists(-pid);
}

async function stopGroup(
  record: Pick<ProcessRecord, 'pid' | 'startTime'>,
  graceMs = 5000,
): Promise<void> {
  // A pid that now belongs to someone else: its group is not ours either.
  if (signalExists(record.pid) && !isSameProcess(record)) return;
  if (!groupExists(record.pid)) return;
  sendGroup(record.pid, 'SIGTERM');
  if (await waitGone(record.pid, graceMs)) return;
  sendGroup(record.pid, 'SIGKILL');
  if (await waitGone(record.pid, 2000)) return;
  throw new EnvironmentError(
    `process group ${record.pid} did not stop after SIGKILL`,
    'process_did_not_stop',
  );
}

function sendGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  try {
    await waitFor(() => !groupExists(pid) || onlyZombies(pid), {
      what: `process group ${pid} to exit`,
      timeoutMs: ms,
      intervalMs: 50,
    });
    return true;
  } catch (e) {
    if (e instanceof WaitError) return !groupExists(pid);
    throw e;
  }
}

/** A leader that is a zombie of this very process counts as gone (Node reaps it soon). */
function onlyZombies(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat?.[0] === 'Z' && !hasOtherMembers(pid);
}

function hasOtherMembers(pgid: number): boolean {
  if (!existsSync('/proc')) return false;
  try {
    return readdirPids().some((p) => p !== pgid && readProcStat(p)?.[2] === String(pgid));
  } catch (e) {
    throw new EnvironmentError(`cannot list processes: ${errorMessage(e)}`, 'proc_unreadable');
  }
}

function readdirPids(): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
}

function taggedGroups(name: string, value: string): number[] {
  if (!existsSync('/proc')) return [];
  const tag = `${name}=${value}`;
  const groups = new Set<number>();
  for (const pid of readdirPids()) {
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch (e) {
      // Gone meanwhile, or another user's: neither was started by this target.
      if (
        ['ENOENT', 'EACCES', 'ESRCH', 'EPERM'].includes(String((e as NodeJS.ErrnoException).code))
      )
        continue;
      throw e;
    }
    if (!environ.split('\0').includes(tag)) continue;
    const stat = readProcStat(pid);
    if (stat && stat[0] !== 'Z' && stat[2]) groups.add(Number(stat[2]));
  }
  return [...groups];
}

/** The last lines of a process's log, for error messages. */
export function logTail(file: string, lines = 15): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
