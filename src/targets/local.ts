import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { initialShare } from '../config/sections/deploy.js';
import { CheckFailedError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { StageInputs } from '../settings/stage-inputs.js';
import { canaryIdentity, checkEvidence, type GateRecord, type PromoteOptions } from './evidence.js';
import { createProcessRunner, type ProcessRunner } from './local-processes.js';
import {
  readLock,
  readState,
  stateFile,
  type ProcessRecord,
  type TrackRecord,
} from './local-state.js';
import {
  TRACKS,
  deadTrackWarnings,
  interruptedWarning,
  livenessOf,
  statusOf,
} from './local-status.js';
import {
  breakLockOrFail,
  checkShare,
  defaultProxyArgv,
  prepareFront,
  routeShare,
  settledOrThrow,
  startTrack,
  type LocalContext,
  type LocalTargetOptions,
} from './local-tracks.js';
import { crashHook, runChange, type Change } from './local-transaction.js';
import { afterPromotion, afterRollback, previousRelease, sameRelease } from './release-history.js';
import type { DeployTarget, Liveness, Release, TargetStatus } from './types.js';

export { defaultProxyArgv, previousRelease, sameRelease, type LocalTargetOptions };

export interface StopResult {
  stopped: Array<{ what: string; pid: number }>;
  warnings: string[];
}

export { CRASH_AFTER_STEP_ENV } from '../settings/stage-inputs.js';

export function createLocalTarget(ctx: {
  config: Config;
  root: string;
  env: Record<string, string | undefined>;
  /** Read once by the CLI: the crash-point tests' hook. */
  inputs?: Pick<StageInputs, 'crashAfterStep'>;
  log: Logger;
}): LocalTarget {
  return new LocalTarget({
    root: ctx.root,
    deploy: ctx.config.deploy,
    env: ctx.env,
    log: ctx.log,
    afterStep: crashHook(ctx.inputs?.crashAfterStep, ctx.log),
  });
}

/**
 * The local target: one process per track on free loopback ports, behind a front proxy,
 * all detached so they outlive the CLI call. The state file is the source of truth that
 * separate calls (deploy, gate, promote) share; every change is a transaction
 * (local-transaction.ts) under a lock file.
 */
export class LocalTarget implements DeployTarget {
  readonly dir: string;
  private readonly ctx: LocalContext;

  constructor(private readonly options: LocalTargetOptions) {
    this.dir = options.stateDir ?? join(options.root, '.model-delivery', 'local');
    this.ctx = {
      dir: this.dir,
      options,
      runner: options.runner ?? createProcessRunner(),
      proxyArgv: options.proxyArgv ?? defaultProxyArgv,
    };
  }

  private get runner(): ProcessRunner {
    return this.ctx.runner;
  }

  async deployCanary(release: Release, options: { force?: boolean } = {}): Promise<TargetStatus> {
    return this.change('deploy', release.version, async (c) => {
      const s = c.state;
      const retire: Array<ProcessRecord | undefined> = [];
      const { canary, baseline, stable } = s.tracks;
      let clearCanary = [canary, baseline].some((r) => r && !this.runner.isAlive(r));
      if (clearCanary)
        c.warn('removed the canary and baseline left from an earlier deploy because one had died');
      else if (canary)
        clearCanary = breakLockOrFail(c, canary, {
          force: options.force === true,
          timeoutMs: this.options.deploy.timeout,
        });
      // The front first: if its port is taken, nothing else has been started.
      const front = await prepareFront(this.ctx, c);
      const envOf = (r: Release) => s.releaseEnv?.[r.version] ?? this.options.deploy.local.env;
      let newStable: TrackRecord | undefined;
      if (stable && !this.runner.isAlive(stable)) {
        newStable = await startTrack(this.ctx, c, {
          track: 'stable',
          release: stable.release,
          env: envOf(stable.release),
        });
        c.warn(
          `restarted the stable process for ${stable.release.version}, which was no longer running`,
        );
      }
      const env = { ...this.options.deploy.local.env };
      let pair: [TrackRecord, TrackRecord] | undefined;
      if (!stable) {
        newStable = await startTrack(this.ctx, c, { track: 'stable', release, env });
        c.warn(
          `no stable release was running: started ${release.version} as stable directly (no canary)`,
        );
      } else {
        // Both settle before a failure is raised, so the undo sees every process started.
        pair = settledOrThrow(
          await Promise.allSettled([
            startTrack(this.ctx, c, {
              track: 'baseline',
              release: stable.release,
              env: envOf(stable.release),
            }),
            startTrack(this.ctx, c, { track: 'canary', release, env }),
          ]),
        );
      }
      // The commit: everything above only started processes.
      s.releaseEnv = { ...s.releaseEnv, [release.version]: env };
      if (clearCanary) {
        retire.push(canary, baseline);
        delete s.tracks.canary;
        delete s.tracks.baseline;
      }
      if (newStable) {
        retire.push(stable);
        s.tracks.stable = newStable;
      }
      if (!stable) s.history = afterPromotion(s.history, release);
      if (pair) {
        [s.tracks.baseline, s.tracks.canary] = pair;
        s.percent = initialShare(this.options.deploy);
        s.canarySince = new Date().toISOString();
        s.gate = undefined;
      }
      this.switchFront(c, front, retire);
      c.commit(pair ? `canary ${release.version} routed` : `${release.version} is stable`, retire);
    });
  }

  async promote(options: PromoteOptions = {}): Promise<TargetStatus> {
    let forced: string | undefined;
    const status = await this.change('promote', undefined, async (c) => {
      const s = c.state;
      const canary = s.tracks.canary;
      if (!canary) {
        throw new CheckFailedError(
          'no canary is deployed, so there is nothing to promote; run model-delivery deploy first',
          'no_canary',
        );
      }
      if (s.journal) s.journal.version = canary.release.version;
      if (!this.runner.isAlive(canary)) {
        throw new CheckFailedError(
          `the canary process (pid ${canary.pid}, ${canary.release.version}) is not running, so it cannot be promoted; run model-delivery rollback (log: ${canary.logFile})`,
          'canary_not_running',
        );
      }
      const live = canaryIdentity(canary.release, s.canarySince ?? canary.startedAt);
      forced = checkEvidence(live, s.gate, options).forced;
      await this.replaceStable(c, canary.release, (h) => afterPromotion(h, canary.release));
    });
    return forced ? { ...status, forced } : status;
  }

  async abort(): Promise<TargetStatus> {
    return this.change('abort', undefined, async (c) => {
      const s = c.state;
      const { canary, baseline } = s.tracks;
      if (!canary && !baseline) {
        c.warn('no canary was in flight; nothing to abort');
        return;
      }
      if (s.journal) s.journal.version = (canary ?? baseline)?.release.version;
      const front = s.tracks.stable ? await prepareFront(this.ctx, c) : undefined;
      const retire: Array<ProcessRecord | undefined> = [canary, baseline];
      delete s.tracks.canary;
      delete s.tracks.baseline;
      s.canarySince = undefined;
      this.switchFront(c, front, retire);
      c.commit('canary and baseline unrouted', retire);
    });
  }

  async rollback(to?: Release): Promise<TargetStatus> {
    return this.change('rollback', to?.version, async (c) => {
      const s = c.state;
      const current = s.tracks.stable?.release;
      const target = to ?? previousRelease(s.history);
      if (!target) {
        throw new CheckFailedError(
          `no earlier release is recorded in ${stateFile(this.dir)}; pass --to <version>`,
          'no_previous_release',
        );
      }
      if (s.journal) s.journal.version = target.version;
      await this.replaceStable(c, target, (h) => afterRollback(h, target));
      if (current && sameRelease(current, target))
        c.warn(`${target.version} was already stable; restarted it`);
    });
  }

  /** One commit (the file the proxy routes by): a crash leaves the old share or the new one. */
  async setTrafficShare(percent: number): Promise<TargetStatus> {
    checkShare(percent);
    // The operation names the share: after a crash, another share asked next is a new change.
    return this.change(`traffic share ${percent}%`, undefined, async (c) => routeShare(c, percent));
  }

  async recordVerdict(record: GateRecord): Promise<void> {
    await this.change('record the gate verdict', record.canary.version, async (c) => {
      c.state.gate = record;
      c.commit(`gate verdict ${record.verdict} recorded`, []);
    });
  }

  async liveness(): Promise<Liveness> {
    return livenessOf(readState(this.dir), this.runner);
  }

  async status(): Promise<TargetStatus> {
    const state = readState(this.dir);
    if (!state) return { tracks: [], warnings: [] };
    const warnings = deadTrackWarnings(state, this.runner);
    const interrupted = interruptedWarning(state);
    if (interrupted) warnings.push(interrupted);
    // A call that died after its last write leaves only its lock: its operation is complete.
    const holder = readLock(this.dir);
    const done = state.completed;
    const ended =
      holder && done?.pid === holder.pid && !this.runner.isAlive({ pid: holder.pid })
        ? done
        : undefined;
    return statusOf({
      state,
      runner: this.runner,
      readyPath: this.options.deploy.local.readyPath,
      warnings,
      probe: true,
      ...(ended ? { interrupted: ended } : {}),
    });
  }

  /** Stops every process this target started (tracks, proxy, and any left by an interrupted call). */
  async stop(): Promise<StopResult> {
    const stopped: StopResult['stopped'] = [];
    const change = await runChange(this.io(), 'stop', async (c) => {
      const s = c.state;
      const all: Array<[string, ProcessRecord | undefined]> = [
        ...TRACKS.map((t): [string, ProcessRecord | undefined] => [t, s.tracks[t]]),
        ['proxy', s.proxy],
      ];
      for (const [what, record] of all)
        if (record && this.runner.isAlive(record)) stopped.push({ what, pid: record.pid });
      s.tracks = {};
      s.proxy = undefined;
      s.canarySince = undefined;
      c.commit(
        'nothing routed',
        all.map(([, r]) => r),
      );
    });
    return { stopped, warnings: change.warnings };
  }

  // ---- the steps ----

  private io() {
    return {
      dir: this.dir,
      runner: this.runner,
      log: this.options.log,
      percent: initialShare(this.options.deploy),
      afterStep: this.options.afterStep ?? (() => undefined),
    };
  }

  private async change(
    operation: string,
    version: string | undefined,
    fn: (change: Change) => Promise<void>,
  ): Promise<TargetStatus> {
    const change = await runChange(this.io(), operation, async (c) => {
      if (c.state.journal && version) c.state.journal.version = version;
      for (const w of deadTrackWarnings(c.state, this.runner)) c.warn(w);
      // Asked again after a crash, an operation the recovery just finished is done: not twice.
      const done = c.recovered;
      if (done?.committed && done.operation === operation && (!version || done.version === version))
        return;
      await fn(c);
    });
    return statusOf({
      state: change.state,
      runner: this.runner,
      readyPath: this.options.deploy.local.readyPath,
      warnings: change.warnings,
      probe: false,
    });
  }

  /** Starts `release` as the only track, then commits it with the history `history` gives. */
  private async replaceStable(
    c: Change,
    release: Release,
    history: (h: Release[]) => Release[],
  ): Promise<void> {
    const s = c.state;
    const front = await prepareFront(this.ctx, c);
    const stable = await startTrack(this.ctx, c, {
      track: 'stable',
      release,
      env: s.releaseEnv?.[release.version] ?? this.options.deploy.local.env,
    });
    const retire: Array<ProcessRecord | undefined> = TRACKS.map((t) => s.tracks[t]);
    if (!s.tracks.stable) c.warn(`no stable release was running: started ${release.version}`);
    s.tracks = { stable };
    s.canarySince = undefined;
    s.gate = undefined;
    s.history = history(s.history);
    this.switchFront(c, front, retire);
    c.commit(`stable switched to ${release.version}`, retire);
  }

  private switchFront(
    c: Change,
    front: ProcessRecord | undefined,
    retire: Array<ProcessRecord | undefined>,
  ): void {
    if (!front) return;
    retire.push(c.state.proxy);
    c.state.proxy = front;
  }
}
