import { join, dirname } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/schema.js';
import { formatDuration } from '../core/duration.js';
import { CheckFailedError, ConfigError, EnvironmentError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { toArgv } from '../core/run-command.js';
import { isPrivateEnvName } from '../settings/secret-env.js';
import {
  createProcessRunner,
  logTail,
  type ProcessRunner,
  type StartedProcess,
} from './local-processes.js';
import { PROXY_STATUS_PATH } from './local-proxy.js';
import {
  acquireLock,
  emptyState,
  readState,
  releaseLock,
  stateFile,
  writeState,
  type LocalState,
  type ProcessRecord,
  type TrackRecord,
} from './local-state.js';
import type { DeployTarget, Release, TargetStatus, Track, TrackStatus } from './types.js';

export interface LocalTargetOptions {
  root: string;
  deploy: Config['deploy'];
  /** The CLI's env; model processes get it without tokens and secrets. */
  env: Record<string, string | undefined>;
  log: Logger;
  /** Default `<root>/.model-delivery/local`. */
  stateDir?: string;
  runner?: ProcessRunner;
  /** The front proxy's argv; default: dist/local-proxy.js (or its TypeScript source under tsx). */
  proxyArgv?: (stateFile: string, port: number) => string[];
}

export interface StopResult {
  stopped: Array<{ what: string; pid: number }>;
  warnings: string[];
}

const TRACKS: Track[] = ['stable', 'baseline', 'canary'];
/** Marks every process this target starts with its state directory (see stopOrphans). */
const TAG_ENV = 'MODEL_DELIVERY_LOCAL_STATE';

export function createLocalTarget(ctx: {
  config: Config;
  root: string;
  env: Record<string, string | undefined>;
  log: Logger;
}): LocalTarget {
  return new LocalTarget({ root: ctx.root, deploy: ctx.config.deploy, env: ctx.env, log: ctx.log });
}

/** Where the bundled proxy is: beside the bundle, or the TypeScript source when running from src/ (tests). */
export function defaultProxyArgv(stateFilePath: string, port: number): string[] {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts'))
    return [
      process.execPath,
      '--import',
      'tsx',
      join(dirname(here), 'local-proxy-main.ts'),
      stateFilePath,
      String(port),
    ];
  const bundled = join(dirname(here), 'local-proxy.js');
  if (!existsSync(bundled))
    throw new EnvironmentError(
      `the front proxy ${bundled} is missing; rebuild the bundle (npm run bundle)`,
      'proxy_missing',
    );
  return [process.execPath, bundled, stateFilePath, String(port)];
}

/**
 * The local target: one process per track on free loopback ports, behind a front proxy,
 * all detached so they outlive the CLI call. The state file is the source of truth that
 * separate calls (deploy, gate, promote) share; a lock file keeps one call at a time.
 */
export class LocalTarget implements DeployTarget {
  readonly dir: string;
  private readonly runner: ProcessRunner;
  private readonly proxyArgv: (stateFile: string, port: number) => string[];

  constructor(private readonly options: LocalTargetOptions) {
    this.dir = options.stateDir ?? join(options.root, '.model-delivery', 'local');
    this.runner = options.runner ?? createProcessRunner();
    this.proxyArgv = options.proxyArgv ?? defaultProxyArgv;
  }

  async deployCanary(release: Release, options: { force?: boolean } = {}): Promise<TargetStatus> {
    return this.change('deploy', async (state, warnings) => {
      state.releaseEnv = {
        ...state.releaseEnv,
        [release.version]: { ...this.options.deploy.local.env },
      };
      await this.clearDeadCanary(state, warnings);
      if (state.tracks.canary) await this.breakLockOrFail(state, warnings, options.force === true);
      // The front first: if its port is taken, nothing else has been started.
      await this.ensureProxy(state);
      await this.restartDeadStable(state, warnings);
      if (!state.tracks.stable) {
        // Nothing to compare against yet: the first release becomes stable directly.
        const stable = await this.startTrack(state, 'stable', release);
        state.tracks.stable = stable;
        state.history.push(release);
        this.commit(state, [stable]);
        warnings.push(
          `no stable release was running: started ${release.version} as stable directly (no canary)`,
        );
        return;
      }
      const stableRelease = state.tracks.stable.release;
      // Both settle before a failure is raised, so the cleanup sees every process started.
      const [baseline, canary] = settledOrThrow(
        await Promise.allSettled([
          this.startTrack(state, 'baseline', stableRelease),
          this.startTrack(state, 'canary', release),
        ]),
      );
      state.tracks.baseline = baseline;
      state.tracks.canary = canary;
      state.canarySince = new Date().toISOString();
      this.commit(state, [baseline, canary]);
    });
  }

  async promote(): Promise<TargetStatus> {
    return this.change('promote', async (state, warnings) => {
      const canary = state.tracks.canary;
      if (!canary)
        throw new CheckFailedError(
          'no canary is deployed, so there is nothing to promote; run model-delivery deploy first',
          'no_canary',
        );
      if (!this.runner.isAlive(canary)) {
        throw new CheckFailedError(
          `the canary process (pid ${canary.pid}, ${canary.release.version}) is not running, so it cannot be promoted; run model-delivery rollback (log: ${canary.logFile})`,
          'canary_not_running',
        );
      }
      await this.replaceStable(state, canary.release, warnings);
      state.history.push(canary.release);
    });
  }

  async abort(): Promise<TargetStatus> {
    return this.change('abort', async (state, warnings) => {
      if (!state.tracks.canary && !state.tracks.baseline) {
        warnings.push('no canary was in flight; nothing to abort');
        return;
      }
      await this.removeCanary(state);
      if (state.tracks.stable) await this.ensureProxy(state);
    });
  }

  async rollback(to?: Release): Promise<TargetStatus> {
    return this.change('rollback', async (state, warnings) => {
      const current = state.tracks.stable?.release;
      const target = to ?? previousRelease(state.history);
      if (!target) {
        throw new CheckFailedError(
          `no earlier release is recorded in ${stateFile(this.dir)}; pass --to <version>`,
          'no_previous_release',
        );
      }
      await this.replaceStable(state, target, warnings);
      if (current && sameRelease(current, target))
        warnings.push(`${target.version} was already stable; restarted it`);
      const index = findLastIndex(state.history, (r) => sameRelease(r, target));
      state.history = index >= 0 ? state.history.slice(0, index + 1) : [...state.history, target];
    });
  }

  async status(): Promise<TargetStatus> {
    const state = readState(this.dir);
    if (!state) return { tracks: [], warnings: [] };
    const warnings = this.deadTrackWarnings(state);
    if (state.pending.length)
      warnings.push(
        `a call was interrupted and left ${state.pending.length} process(es) pending; the next deploy, promote, rollback or stop cleans them up`,
      );
    return this.statusOf(state, warnings, true);
  }

  /** Stops every process this target started (tracks, proxy, and any left by an interrupted call). */
  async stop(): Promise<StopResult> {
    const stopped: StopResult['stopped'] = [];
    let warnings: string[] = [];
    await this.change('stop', async (state, w) => {
      warnings = w;
      const all: Array<[string, ProcessRecord]> = [
        ...TRACKS.flatMap((t): Array<[string, ProcessRecord]> =>
          state.tracks[t] ? [[t, state.tracks[t] as ProcessRecord]] : [],
        ),
        ...(state.proxy ? [['proxy', state.proxy] as [string, ProcessRecord]] : []),
      ];
      for (const [what, record] of all) {
        if (this.runner.isAlive(record)) stopped.push({ what, pid: record.pid });
        await this.runner.stop(record);
      }
      state.tracks = {};
      state.proxy = undefined;
      state.canarySince = undefined;
      writeState(this.dir, state);
    });
    return { stopped, warnings };
  }

  // ---- the steps ----

  /** Runs one change under the lock, after cleaning up what an interrupted call left behind. */
  private async change(
    operation: string,
    fn: (state: LocalState, warnings: string[]) => Promise<void>,
  ): Promise<TargetStatus> {
    const holder = { pid: process.pid, operation, since: new Date().toISOString() };
    const { stale } = acquireLock(this.dir, holder, (h) =>
      this.runner.isAlive({ pid: h.pid, startTime: h.startTime }),
    );
    try {
      const state = readState(this.dir) ?? emptyState(this.options.deploy.canary.percent);
      state.percent = this.options.deploy.canary.percent;
      const warnings: string[] = [];
      await this.recoverPending(state, warnings, stale?.operation);
      await this.stopOrphans(state, warnings);
      warnings.push(...this.deadTrackWarnings(state));
      try {
        await fn(state, warnings);
      } catch (e) {
        await this.stopPending(state);
        throw e;
      }
      writeState(this.dir, state);
      for (const w of warnings) this.options.log.warn(w);
      return this.statusOf(state, warnings, false);
    } finally {
      releaseLock(this.dir);
    }
  }

  private async recoverPending(
    state: LocalState,
    warnings: string[],
    interrupted: string | undefined,
  ): Promise<void> {
    if (!state.pending.length) return;
    const pids = state.pending.map((p) => p.pid);
    await this.stopPending(state);
    warnings.push(
      `a previous ${interrupted ?? 'model-delivery'} call was interrupted; stopped the processes it had started (pids ${pids.join(', ')})`,
    );
  }

  /**
   * Every process the target starts carries TAG_ENV in its env, so one that a killed call
   * started but never wrote down is still found (and stopped) by the next call.
   */
  private async stopOrphans(state: LocalState, warnings: string[]): Promise<void> {
    const known = new Set([...Object.values(state.tracks).map((t) => t?.pid), state.proxy?.pid]);
    const orphans = this.runner.taggedGroups(TAG_ENV, this.dir).filter((pgid) => !known.has(pgid));
    for (const pgid of orphans) await this.runner.stop({ pid: pgid });
    if (orphans.length)
      warnings.push(
        `stopped ${orphans.length} process group(s) started by an interrupted call but not recorded (pgids ${orphans.join(', ')})`,
      );
  }

  private async stopPending(state: LocalState): Promise<void> {
    const inUse = new Set(Object.values(state.tracks).map((t) => t?.pid));
    for (const record of state.pending)
      if (!inUse.has(record.pid) && record.pid !== state.proxy?.pid) await this.runner.stop(record);
    state.pending = [];
    writeState(this.dir, state);
  }

  private deadTrackWarnings(state: LocalState): string[] {
    const warnings: string[] = [];
    for (const track of TRACKS) {
      const record = state.tracks[track];
      if (record && !this.runner.isAlive(record)) {
        warnings.push(
          `the ${track} process (pid ${record.pid}, ${record.release.version}) is no longer running; see ${record.logFile}`,
        );
      }
    }
    if (state.proxy && !this.runner.isAlive(state.proxy))
      warnings.push(`the front proxy (pid ${state.proxy.pid}) is no longer running`);
    return warnings;
  }

  private async clearDeadCanary(state: LocalState, warnings: string[]): Promise<void> {
    const { canary, baseline } = state.tracks;
    if ((canary && !this.runner.isAlive(canary)) || (baseline && !this.runner.isAlive(baseline))) {
      await this.removeCanary(state);
      warnings.push(
        'removed the canary and baseline left from an earlier deploy because one of them had died',
      );
    }
  }

  private async breakLockOrFail(
    state: LocalState,
    warnings: string[],
    force: boolean,
  ): Promise<void> {
    const canary = state.tracks.canary as TrackRecord;
    const since = state.canarySince ?? canary.startedAt;
    const age = Date.now() - Date.parse(since);
    const timeout = this.options.deploy.timeout;
    if (force && age > timeout) {
      await this.removeCanary(state);
      warnings.push(`--force: removed the canary ${canary.release.version} deployed at ${since}`);
      return;
    }
    const hint = force
      ? `--force breaks it only when it is older than deploy.timeout (${formatDuration(timeout)}); it is ${formatDuration(age)} old`
      : 'promote or roll it back first (model-delivery promote | rollback)';
    throw new CheckFailedError(
      `the canary ${canary.release.version} has been in flight since ${since}; ${hint}`,
      'canary_in_progress',
      {
        holder: canary.release.version,
        since,
      },
    );
  }

  private async restartDeadStable(state: LocalState, warnings: string[]): Promise<void> {
    const stable = state.tracks.stable;
    if (!stable || this.runner.isAlive(stable)) return;
    await this.runner.stop(stable);
    const restarted = await this.startTrack(state, 'stable', stable.release);
    state.tracks.stable = restarted;
    this.commit(state, [restarted]);
    warnings.push(
      `restarted the stable process for ${stable.release.version}, which was no longer running`,
    );
  }

  /** Starts `release` as stable on a new port, switches the proxy to it, then stops the old processes. */
  private async replaceStable(
    state: LocalState,
    release: Release,
    warnings: string[],
  ): Promise<void> {
    const old = TRACKS.flatMap((t) => (state.tracks[t] ? [state.tracks[t] as TrackRecord] : []));
    const stable = await this.startTrack(state, 'stable', release);
    state.tracks = { stable };
    state.canarySince = undefined;
    this.commit(state, [stable]);
    await this.ensureProxy(state);
    for (const record of old) await this.runner.stop(record);
    if (old.length === 0)
      warnings.push(`no stable release was running: started ${release.version}`);
  }

  private async removeCanary(state: LocalState): Promise<void> {
    const gone = [state.tracks.canary, state.tracks.baseline].filter(
      (r): r is TrackRecord => r !== undefined,
    );
    delete state.tracks.canary;
    delete state.tracks.baseline;
    state.canarySince = undefined;
    writeState(this.dir, state);
    for (const record of gone) await this.runner.stop(record);
  }

  private commit(state: LocalState, records: ProcessRecord[]): void {
    const done = new Set(records.map((r) => r.pid));
    state.pending = state.pending.filter((p) => !done.has(p.pid));
    writeState(this.dir, state);
  }

  private async startTrack(
    state: LocalState,
    track: Track,
    release: Release,
  ): Promise<TrackRecord> {
    const local = this.options.deploy.local;
    if (!local.command)
      throw new ConfigError([
        'deploy.local.command: required for the local target (e.g. "tsx src/server.ts")',
      ]);
    const port = await this.runner.freePort();
    const logFile = join(
      this.dir,
      'logs',
      `${track}-${release.version.replace(/[^\w.-]/g, '_')}-${port}.log`,
    );
    const started = await this.runner.start({
      argv: toArgv(local.command),
      cwd: this.options.root,
      env: {
        ...this.baseEnv(),
        ...(state.releaseEnv?.[release.version] ?? local.env),
        HOST: '127.0.0.1',
        PORT: String(port),
        TRACK: track,
        MODEL_VERSION: release.version,
      },
      port,
      logFile,
      label: 'deploy.local.command',
    });
    state.pending.push(started.record);
    writeState(this.dir, state);
    await this.waitReady(
      started,
      `${track} ${release.version}`,
      `http://127.0.0.1:${port}${local.readyPath}`,
      () => true,
    );
    return { ...started.record, track, release };
  }

  /** Starts the proxy unless ours already listens on the configured port. */
  private async ensureProxy(state: LocalState): Promise<void> {
    const wanted = this.options.deploy.local.port;
    const current = state.proxy;
    if (current && this.runner.isAlive(current) && (wanted === 0 || wanted === current.port))
      return;
    if (current) await this.runner.stop(current);
    const port = wanted || (await this.runner.freePort());
    const started = await this.runner.start({
      argv: this.proxyArgv(stateFile(this.dir), port),
      cwd: this.options.root,
      env: this.baseEnv(),
      port,
      logFile: join(this.dir, 'logs', 'proxy.log'),
      label: 'front proxy',
    });
    state.proxy = started.record;
    writeState(this.dir, state);
    try {
      await this.waitReady(
        started,
        'front proxy',
        `http://127.0.0.1:${port}${PROXY_STATUS_PATH}`,
        async (res) => {
          const body = (await res.json()) as { pid?: number };
          return body.pid === started.record.pid;
        },
      );
    } catch (e) {
      await this.runner.stop(started.record);
      state.proxy = undefined;
      writeState(this.dir, state);
      const inUse = /EADDRINUSE/.test(logTail(started.record.logFile));
      throw inUse
        ? new EnvironmentError(
            `deploy.local.port ${port} is in use by another program; stop it, or set deploy.local.port to a free port (0 picks one)`,
            'port_in_use',
          )
        : e;
    }
  }

  private async waitReady(
    started: StartedProcess,
    what: string,
    url: string,
    accept: (res: Response) => boolean | Promise<boolean>,
  ): Promise<void> {
    const timeout = this.options.deploy.local.readyTimeout;
    const deadline = Date.now() + timeout;
    let exited: string | undefined;
    void started.exited.then((reason) => (exited = reason));
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (exited !== undefined) {
        throw new CheckFailedError(
          `${what} (pid ${started.record.pid}) ${exited} before it became ready; its log (${started.record.logFile}) ends with:\n${logTail(started.record.logFile)}`,
          'not_ready',
        );
      }
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
        if (res.ok && (await accept(res))) return;
        last = `HTTP ${res.status}`;
      } catch (e) {
        last = errorMessage(e);
      }
      await sleep(150);
    }
    throw new CheckFailedError(
      `${what} (pid ${started.record.pid}) was not ready at ${url} within deploy.local.readyTimeout (${formatDuration(timeout)}): ${last}; its log (${started.record.logFile}) ends with:\n${logTail(started.record.logFile)}`,
      'not_ready',
    );
  }

  private baseEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    // CI credentials are not the model's business: private env is never handed on.
    for (const [k, v] of Object.entries(this.options.env))
      if (v !== undefined && !isPrivateEnvName(k)) env[k] = v;
    return { ...env, [TAG_ENV]: this.dir };
  }

  private async statusOf(
    state: LocalState,
    warnings: string[],
    probe: boolean,
  ): Promise<TargetStatus> {
    const tracks: TrackStatus[] = [];
    for (const track of TRACKS) {
      const record = state.tracks[track];
      if (!record) continue;
      const alive = this.runner.isAlive(record);
      tracks.push({
        track,
        release: record.release,
        ready:
          alive &&
          (!probe ||
            (await answers(
              `http://127.0.0.1:${record.port}${this.options.deploy.local.readyPath}`,
            ))),
        replicas: alive ? 1 : 0,
        metricsUrls: [`http://127.0.0.1:${record.port}/metrics`],
      });
    }
    const canary = state.tracks.canary;
    return {
      tracks,
      frontUrl: state.proxy ? `http://127.0.0.1:${state.proxy.port}` : undefined,
      lock: canary
        ? {
            holder: `canary ${canary.release.version}`,
            since: state.canarySince ?? canary.startedAt,
          }
        : undefined,
      warnings,
    };
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    // Not answering is exactly what this reports.
    return false;
  }
}

function settledOrThrow<T>(results: [PromiseSettledResult<T>, PromiseSettledResult<T>]): [T, T] {
  const [a, b] = results;
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}

export function sameRelease(a: Release, b: Release): boolean {
  return a.version === b.version && a.image === b.image;
}

/** The release before the current stable one, skipping repeats of the current. */
export function previousRelease(history: Release[]): Release | undefined {
  const current = history.at(-1);
  if (!current) return undefined;
  for (let i = history.length - 2; i >= 0; i--)
    if (!sameRelease(history[i] as Release, current)) return history[i];
  return undefined;
}

function findLastIndex<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i] as T)) return i;
  return -1;
}
