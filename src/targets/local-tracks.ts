import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WaitError, waitFor } from '../core/wait-for.js';
import type { Config } from '../config/schema.js';
import { formatDuration } from '../core/duration.js';
import { CheckFailedError, ConfigError, EnvironmentError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { toArgv } from '../core/run-command.js';
import { logTail, type ProcessRunner, type StartedProcess } from './local-processes.js';
import { PROXY_STATUS_PATH } from './local-proxy.js';
import { stateFile, type ProcessRecord, type TrackRecord } from './local-state.js';
import { TAG_ENV, type Change } from './local-transaction.js';
import type { Release, Track } from './types.js';
import { isPrivateEnvName } from '../settings/secret-env.js';

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
  /** Called after each step of a change; the crash-point tests kill the process here. */
  afterStep?: (step: string) => void;
}

/** What starting processes needs: the options, resolved. */
export interface LocalContext {
  dir: string;
  options: LocalTargetOptions;
  runner: ProcessRunner;
  proxyArgv: (stateFile: string, port: number) => string[];
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
 * Starts `release` on a free port as `track` with `env` (the release's own deploy.local.env),
 * recorded as pending, and waits until it answers on readyPath.
 */
export async function startTrack(
  ctx: LocalContext,
  change: Change,
  start: { track: Track; release: Release; env: Record<string, string> },
): Promise<TrackRecord> {
  const { track, release } = start;
  const local = ctx.options.deploy.local;
  if (!local.command)
    throw new ConfigError([
      'deploy.local.command: required for the local target (e.g. "tsx src/server.ts")',
    ]);
  const port = await ctx.runner.freePort();
  const logFile = join(
    ctx.dir,
    'logs',
    `${track}-${release.version.replace(/[^\w.-]/g, '_')}-${port}.log`,
  );
  const started = await ctx.runner.start({
    argv: toArgv(local.command),
    cwd: ctx.options.root,
    env: {
      ...baseEnv(ctx),
      ...start.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      TRACK: track,
      MODEL_VERSION: release.version,
    },
    port,
    logFile,
    label: 'deploy.local.command',
  });
  change.started(started.record, `started ${track} ${release.version} (pid ${started.record.pid})`);
  await waitReady(ctx, started, {
    what: `${track} ${release.version}`,
    url: `http://127.0.0.1:${port}${local.readyPath}`,
    accept: () => true,
  });
  return { ...started.record, track, release };
}

/**
 * A front proxy on the configured port when the one recorded is gone or on another port:
 * started beside the old one (pending until the commit), so a port that is taken leaves the
 * live front serving. Undefined when the recorded proxy will do.
 */
export async function prepareFront(
  ctx: LocalContext,
  change: Change,
): Promise<ProcessRecord | undefined> {
  const wanted = ctx.options.deploy.local.port;
  const current = change.state.proxy;
  if (current && ctx.runner.isAlive(current) && (wanted === 0 || wanted === current.port))
    return undefined;
  const port = wanted || (await ctx.runner.freePort());
  const started = await ctx.runner.start({
    argv: ctx.proxyArgv(stateFile(ctx.dir), port),
    cwd: ctx.options.root,
    env: baseEnv(ctx),
    port,
    logFile: join(ctx.dir, 'logs', 'proxy.log'),
    label: 'front proxy',
  });
  change.started(started.record, `started the front proxy (pid ${started.record.pid})`);
  try {
    await waitReady(ctx, started, {
      what: 'front proxy',
      url: `http://127.0.0.1:${port}${PROXY_STATUS_PATH}`,
      accept: async (res) => ((await res.json()) as { pid?: number }).pid === started.record.pid,
    });
  } catch (e) {
    const inUse = /EADDRINUSE/.test(logTail(started.record.logFile));
    throw inUse
      ? new EnvironmentError(
          `deploy.local.port ${port} is in use by another program; stop it, or set deploy.local.port to a free port (0 picks one)${current ? `; the front on port ${current.port} still serves` : ''}`,
          'port_in_use',
        )
      : e;
  }
  return started.record;
}

async function waitReady(
  ctx: LocalContext,
  started: StartedProcess,
  check: { what: string; url: string; accept: (res: Response) => boolean | Promise<boolean> },
): Promise<void> {
  const { what, url } = check;
  const timeout = ctx.options.deploy.local.readyTimeout;
  let exited: string | undefined;
  void started.exited.then((reason) => (exited = reason));
  const log = () =>
    `its log (${started.record.logFile}) ends with:\n${logTail(started.record.logFile)}`;
  try {
    await waitFor(
      async () => {
        const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
        return (res.ok && (await check.accept(res))) || `HTTP ${res.status}`;
      },
      { what, timeoutMs: timeout, intervalMs: 100, stopIf: () => exited },
    );
  } catch (e) {
    if (!(e instanceof WaitError)) throw e;
    throw new CheckFailedError(
      e.kind === 'stopped'
        ? `${what} (pid ${started.record.pid}) ${exited} before it became ready; ${log()}`
        : `${what} (pid ${started.record.pid}) was not ready at ${url} within deploy.local.readyTimeout (${formatDuration(timeout)}): ${e.last ?? 'no answer yet'}; ${log()}`,
      'not_ready',
    );
  }
}

function baseEnv(ctx: LocalContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.options.env))
    // CI credentials are not the model's business: private env is never handed on.
    if (v !== undefined && !isPrivateEnvName(k)) env[k] = v;
  return { ...env, [TAG_ENV]: ctx.dir };
}

/** Both settle before a failure is raised, so the undo sees every process started. */
export function settledOrThrow<T>(
  results: [PromiseSettledResult<T>, PromiseSettledResult<T>],
): [T, T] {
  const [a, b] = results;
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}

/** A canary in flight refuses a deploy, unless --force and it is older than deploy.timeout. */
export function breakLockOrFail(
  c: Change,
  canary: TrackRecord,
  options: { force: boolean; timeoutMs: number },
): boolean {
  const { force } = options;
  const since = c.state.canarySince ?? canary.startedAt;
  const age = Date.now() - Date.parse(since);
  const timeout = options.timeoutMs;
  if (force && age > timeout) {
    c.warn(`--force: removed the canary ${canary.release.version} deployed at ${since}`);
    return true;
  }
  const hint = force
    ? `--force breaks it only when it is older than deploy.timeout (${formatDuration(timeout)}); it is ${formatDuration(age)} old`
    : 'promote or roll it back first (model-delivery promote | rollback)';
  throw new CheckFailedError(
    `the canary ${canary.release.version} has been in flight since ${since}; ${hint}`,
    'canary_in_progress',
    { holder: canary.release.version, since },
  );
}

/** A share the front can route: canary and baseline each get it, so at most 50. */
export function checkShare(percent: number): void {
  if (!(percent > 0 && percent <= 50))
    throw new ConfigError([
      `deploy.steps: ${percent} is not a share in (0, 50] (canary and baseline each get it)`,
    ]);
}

/** Canary and baseline get `percent` each from the commit on; nothing else changes. */
export function routeShare(c: Change, percent: number): void {
  const s = c.state;
  const { canary, baseline } = s.tracks;
  if (!canary || !baseline)
    throw new CheckFailedError(
      'no canary and baseline are deployed, so there is no traffic share to set; run model-delivery deploy first',
      'no_canary',
    );
  if (s.journal) s.journal.version = canary.release.version;
  s.percent = percent;
  c.commit(`canary and baseline routed ${percent}% each`, []);
}
