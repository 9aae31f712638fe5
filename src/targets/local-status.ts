import type { ProcessRunner } from './local-processes.js';
import type { LocalState } from './local-state.js';
import type { Liveness, TargetStatus, Track, TrackStatus } from './types.js';

/** The local target's status, read from its state file and the processes it names. */

export const TRACKS: Track[] = ['stable', 'baseline', 'canary'];

export function deadTrackWarnings(state: LocalState, runner: ProcessRunner): string[] {
  const warnings: string[] = [];
  for (const track of TRACKS) {
    const record = state.tracks[track];
    if (record && !runner.isAlive(record)) {
      warnings.push(
        `the ${track} process (pid ${record.pid}, ${record.release.version}) is no longer running; see ${record.logFile}`,
      );
    }
  }
  if (state.proxy && !runner.isAlive(state.proxy))
    warnings.push(`the front proxy (pid ${state.proxy.pid}) is no longer running`);
  return warnings;
}

/** What an interrupted call left, as `status` reports it (the next change resolves it). */
export function interruptedWarning(state: LocalState): string | undefined {
  const j = state.journal;
  if (!j) return undefined;
  return `a ${j.operation}${j.version ? ` of ${j.version}` : ''} (started ${j.since}) was interrupted at step "${j.step}" ${j.committed ? 'after' : 'before'} it took effect; the next deploy, promote, rollback or stop ${j.committed ? 'finishes' : 'undoes'} it first`;
}

export function livenessOf(state: LocalState | undefined, runner: ProcessRunner): Liveness {
  const alive = (track: Track) => {
    const record = state?.tracks[track];
    return record !== undefined && runner.isAlive(record);
  };
  return { canary: alive('canary'), baseline: alive('baseline') };
}

export async function statusOf(options: {
  state: LocalState;
  runner: ProcessRunner;
  readyPath: string;
  warnings: string[];
  /** Ask each track's readyPath (status); a change has just seen them ready. */
  probe: boolean;
  /** An operation that ended without releasing the lock (status finds it; a change resolves it). */
  interrupted?: { operation: string; version?: string };
}): Promise<TargetStatus> {
  const { state, runner } = options;
  const tracks: TrackStatus[] = [];
  for (const track of TRACKS) {
    const record = state.tracks[track];
    if (!record) continue;
    const alive = runner.isAlive(record);
    const url = `http://127.0.0.1:${record.port}`;
    tracks.push({
      track,
      release: record.release,
      ready: alive && (!options.probe || (await answers(`${url}${options.readyPath}`))),
      replicas: alive ? 1 : 0,
      metricsUrls: [`${url}/metrics`],
      ...(track === 'canary' ? { deployedAt: state.canarySince ?? record.startedAt } : {}),
    });
  }
  const canary = state.tracks.canary;
  const interrupted = options.interrupted ?? state.journal;
  return {
    tracks,
    frontUrl: state.proxy ? `http://127.0.0.1:${state.proxy.port}` : undefined,
    lock: canary
      ? { holder: `canary ${canary.release.version}`, since: state.canarySince ?? canary.startedAt }
      : undefined,
    warnings: options.warnings,
    ...(state.gate ? { gate: state.gate } : {}),
    ...(interrupted
      ? { interrupted: { operation: interrupted.operation, version: interrupted.version } }
      : {}),
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    // Not answering is exactly what this reports.
    return false;
  }
}
