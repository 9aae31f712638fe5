#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  isPrivateEnvName
} from "./chunk-chunk-P442FGTM.js";
import {
  initialShare
} from "./chunk-chunk-Q5KLLHKY.js";
import {
  toArgv
} from "./chunk-chunk-GXSRNDTE.js";
import {
  startDetached
} from "./chunk-chunk-VV2JPDBC.js";
import {
  formatDuration
} from "./chunk-chunk-PF54JKQR.js";
import {
  CheckFailedError,
  ConfigError,
  EnvironmentError,
  errorMessage
} from "./chunk-chunk-JOF44I4G.js";

// src/targets/evidence.ts
function canaryIdentity(release, deployedAt) {
  return {
    version: release.version,
    image: release.image,
    ...release.digest ? { digest: release.digest } : {},
    deployedAt
  };
}
function sameCanary(a, b) {
  return a.version === b.version && a.image === b.image && (a.digest ?? "") === (b.digest ?? "") && a.deployedAt === b.deployedAt;
}
function forcedNote(override) {
  return `promoted without a passing gate by ${override.actor}: ${override.reason}`;
}
function checkEvidence(live, record, options = {}) {
  const passed = record?.verdict === "pass" && sameCanary(record.canary, live);
  if (passed) return { gate: record };
  if (options.override) return { forced: forcedNote(options.override), gate: record };
  const canary = `canary ${live.version} (deployed ${live.deployedAt})`;
  const why = !record ? `no gate verdict is recorded for ${canary}` : !sameCanary(record.canary, live) ? `the recorded gate verdict (${record.verdict}) is for another canary, ${record.canary.version} deployed ${record.canary.deployedAt}, not ${canary}` : `the gate's verdict for ${canary} is ${record.verdict} (${record.reason})`;
  throw new CheckFailedError(
    `${why}, so it is not promoted; run the gate (model-delivery gate), or override with --force --reason "<why>"`,
    "no_passing_gate",
    { live, ...record ? { gate: record } : {} }
  );
}

// src/targets/local.ts
import { join as join3 } from "node:path";

// src/targets/local-processes.ts
import { existsSync, readFileSync, readdirSync } from "node:fs";

// src/core/wait-for.ts
var WaitError = class extends Error {
  constructor(message, kind, last) {
    super(message);
    this.kind = kind;
    this.last = last;
  }
  kind;
  last;
  name = "WaitError";
};
async function waitFor(check, options) {
  const deadline = Date.now() + options.timeoutMs;
  let last;
  for (; ; ) {
    const stop = options.stopIf?.();
    if (stop !== void 0)
      throw new WaitError(`gave up waiting for ${options.what}: ${stop}`, "stopped", last);
    try {
      const answer = await check();
      if (answer === true) return;
      if (typeof answer === "string") last = answer;
    } catch (e) {
      last = errorMessage(e);
    }
    if (Date.now() >= deadline)
      throw new WaitError(
        `timed out after ${formatDuration(options.timeoutMs)} waiting for ${options.what}${last ? `: ${last}` : ""}`,
        "timeout",
        last
      );
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}

// src/core/free-port.ts
import { createServer } from "node:net";
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(
        () => typeof address === "object" && address ? resolve(address.port) : reject(new Error("the OS gave no port"))
      );
    });
  });
}

// src/targets/local-processes.ts
function createProcessRunner() {
  return { start: startDetachedProcess, isAlive, stop: stopGroup, freePort, taggedGroups };
}
async function startDetachedProcess(options) {
  const { pid, exited } = await startDetached(options);
  const record = {
    pid,
    startTime: processStartTime(pid),
    port: options.port,
    logFile: options.logFile,
    startedAt: (/* @__PURE__ */ new Date()).toISOString()
  };
  return { record, exited };
}
function processStartTime(pid) {
  const stat = readProcStat(pid);
  return stat?.[19];
}
function readProcStat(pid) {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return void 0;
  try {
    const text = readFileSync(file, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch (e) {
    if (e.code === "ENOENT" || e.code === "ESRCH")
      return void 0;
    throw e;
  }
}
function signalExists(target) {
  try {
    process.kill(target, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}
function isAlive(record) {
  if (!signalExists(record.pid)) return false;
  const stat = readProcStat(record.pid);
  if (!stat) return true;
  if (stat[0] === "Z") return false;
  return record.startTime === void 0 || stat[19] === record.startTime;
}
function isSameProcess(record) {
  const stat = readProcStat(record.pid);
  return !stat || record.startTime === void 0 || stat[19] === record.startTime;
}
function groupExists(pid) {
  return signalExists(-pid);
}
async function stopGroup(record, graceMs = 5e3) {
  if (signalExists(record.pid) && !isSameProcess(record)) return;
  if (!groupExists(record.pid)) return;
  sendGroup(record.pid, "SIGTERM");
  if (await waitGone(record.pid, graceMs)) return;
  sendGroup(record.pid, "SIGKILL");
  if (await waitGone(record.pid, 2e3)) return;
  throw new EnvironmentError(
    `process group ${record.pid} did not stop after SIGKILL`,
    "process_did_not_stop"
  );
}
function sendGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (e) {
    if (e.code !== "ESRCH") throw e;
  }
}
async function waitGone(pid, ms) {
  try {
    await waitFor(() => !groupExists(pid) || onlyZombies(pid), {
      what: `process group ${pid} to exit`,
      timeoutMs: ms,
      intervalMs: 50
    });
    return true;
  } catch (e) {
    if (e instanceof WaitError) return !groupExists(pid);
    throw e;
  }
}
function onlyZombies(pid) {
  const stat = readProcStat(pid);
  return stat?.[0] === "Z" && !hasOtherMembers(pid);
}
function hasOtherMembers(pgid) {
  if (!existsSync("/proc")) return false;
  try {
    return readdirPids().some((p) => p !== pgid && readProcStat(p)?.[2] === String(pgid));
  } catch (e) {
    throw new EnvironmentError(`cannot list processes: ${errorMessage(e)}`, "proc_unreadable");
  }
}
function readdirPids() {
  return readdirSync("/proc").filter((n) => /^\d+$/.test(n)).map(Number);
}
function taggedGroups(name, value) {
  if (!existsSync("/proc")) return [];
  const tag = `${name}=${value}`;
  const groups = /* @__PURE__ */ new Set();
  for (const pid of readdirPids()) {
    let environ;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, "utf8");
    } catch (e) {
      if (["ENOENT", "EACCES", "ESRCH", "EPERM"].includes(String(e.code)))
        continue;
      throw e;
    }
    if (!environ.split("\0").includes(tag)) continue;
    const stat = readProcStat(pid);
    if (stat && stat[0] !== "Z" && stat[2]) groups.add(Number(stat[2]));
  }
  return [...groups];
}
function logTail(file, lines = 15) {
  if (!existsSync(file)) return "";
  return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

// src/targets/local-state.ts
import {
  closeSync,
  existsSync as existsSync2,
  mkdirSync,
  openSync,
  readFileSync as readFileSync2,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync
} from "node:fs";
import { join } from "node:path";
function emptyState(percent) {
  return { version: 1, percent, tracks: {}, history: [], pending: [], retired: [] };
}
var stateFile = (dir) => join(dir, "state.json");
var lockFile = (dir) => join(dir, "lock");
function readState(dir) {
  const file = stateFile(dir);
  if (!existsSync2(file)) return void 0;
  const parsed = JSON.parse(readFileSync2(file, "utf8"));
  if (parsed.version !== 1)
    throw new CheckFailedError(
      `${file}: unknown state version ${String(parsed.version)} (written by another model-delivery version); remove the file after stopping the processes it lists`,
      "stale_state"
    );
  return {
    ...parsed,
    pending: parsed.pending ?? [],
    retired: parsed.retired ?? [],
    history: parsed.history ?? [],
    tracks: parsed.tracks ?? {}
  };
}
function writeState(dir, state) {
  mkdirSync(dir, { recursive: true });
  const tmp = `${stateFile(dir)}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}
`);
  renameSync(tmp, stateFile(dir));
}
function acquireLock(dir, holder, isHolderAlive) {
  mkdirSync(dir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile(dir), "wx");
      writeSync(fd, JSON.stringify(holder));
      closeSync(fd);
      return {};
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
    }
    const current = readLock(dir);
    if (current && isHolderAlive(current)) {
      throw new CheckFailedError(
        `another model-delivery call (pid ${current.pid}, ${current.operation} since ${current.since}) is changing the local deployment; wait for it to finish`,
        "target_busy",
        { holder: current }
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
    "target_busy"
  );
}
function readLock(dir) {
  try {
    return JSON.parse(readFileSync2(lockFile(dir), "utf8"));
  } catch (e) {
    if (e instanceof SyntaxError) return void 0;
    if (e.code === "ENOENT") return void 0;
    throw e;
  }
}
function releaseLock(dir) {
  rmSync(lockFile(dir), { force: true });
}

// src/targets/local-status.ts
var TRACKS = ["stable", "baseline", "canary"];
function deadTrackWarnings(state, runner) {
  const warnings = [];
  for (const track of TRACKS) {
    const record = state.tracks[track];
    if (record && !runner.isAlive(record)) {
      warnings.push(
        `the ${track} process (pid ${record.pid}, ${record.release.version}) is no longer running; see ${record.logFile}`
      );
    }
  }
  if (state.proxy && !runner.isAlive(state.proxy))
    warnings.push(`the front proxy (pid ${state.proxy.pid}) is no longer running`);
  return warnings;
}
function interruptedWarning(state) {
  const j = state.journal;
  if (!j) return void 0;
  return `a ${j.operation}${j.version ? ` of ${j.version}` : ""} (started ${j.since}) was interrupted at step "${j.step}" ${j.committed ? "after" : "before"} it took effect; the next deploy, promote, rollback or stop ${j.committed ? "finishes" : "undoes"} it first`;
}
function livenessOf(state, runner) {
  const alive = (track) => {
    const record = state?.tracks[track];
    return record !== void 0 && runner.isAlive(record);
  };
  return { canary: alive("canary"), baseline: alive("baseline") };
}
async function statusOf(options) {
  const { state, runner } = options;
  const tracks = [];
  for (const track of TRACKS) {
    const record = state.tracks[track];
    if (!record) continue;
    const alive = runner.isAlive(record);
    const url = `http://127.0.0.1:${record.port}`;
    tracks.push({
      track,
      release: record.release,
      ready: alive && (!options.probe || await answers(`${url}${options.readyPath}`)),
      replicas: alive ? 1 : 0,
      metricsUrls: [`${url}/metrics`],
      ...track === "canary" ? { deployedAt: state.canarySince ?? record.startedAt } : {}
    });
  }
  const canary = state.tracks.canary;
  const interrupted = options.interrupted ?? state.journal;
  return {
    tracks,
    frontUrl: state.proxy ? `http://127.0.0.1:${state.proxy.port}` : void 0,
    lock: canary ? { holder: `canary ${canary.release.version}`, since: state.canarySince ?? canary.startedAt } : void 0,
    warnings: options.warnings,
    ...state.gate ? { gate: state.gate } : {},
    ...interrupted ? { interrupted: { operation: interrupted.operation, version: interrupted.version } } : {}
  };
}
async function answers(url) {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1e3) })).ok;
  } catch {
    return false;
  }
}

// src/targets/local-tracks.ts
import { existsSync as existsSync3 } from "node:fs";
import { dirname, join as join2 } from "node:path";
import { fileURLToPath } from "node:url";

// src/targets/local-proxy.ts
var PROXY_STATUS_PATH = "/-/model-delivery-proxy";

// src/targets/local-transaction.ts
var TAG_ENV = "MODEL_DELIVERY_LOCAL_STATE";
var Change = class {
  constructor(state, io) {
    this.state = state;
    this.io = io;
  }
  state;
  io;
  warnings = [];
  /** What an earlier, interrupted call was doing, when this change found and resolved one. */
  recovered;
  /** Writes the state (renamed into place, so never half-written) as one step. */
  save(step) {
    if (this.state.journal) this.state.journal.step = step;
    writeState(this.io.dir, this.state);
    this.io.afterStep(step);
  }
  /** A started process, recorded as pending before anything waits on it. */
  started(record, step) {
    this.io.afterStep(`${step} (spawned)`);
    this.state.pending.push(record);
    this.save(step);
  }
  /** The commit point: the caller has changed tracks and history in memory; one write makes it true. */
  commit(step, replaced) {
    const inUse = livePids(this.state);
    this.state.pending = this.state.pending.filter((p) => !inUse.has(p.pid));
    this.state.retired = replaced.filter(
      (r) => r !== void 0 && !inUse.has(r.pid)
    );
    if (this.state.journal) this.state.journal.committed = true;
    this.save(step);
  }
  async stop(record, step) {
    await this.io.runner.stop(record);
    this.io.afterStep(step);
  }
  warn(message) {
    this.warnings.push(message);
    this.io.log.warn(message);
  }
};
async function runChange(io, operation, fn) {
  const holder = { pid: process.pid, operation, since: (/* @__PURE__ */ new Date()).toISOString() };
  const { stale } = acquireLock(
    io.dir,
    holder,
    (h) => io.runner.isAlive({ pid: h.pid, startTime: h.startTime })
  );
  try {
    const state = readState(io.dir) ?? emptyState(io.percent);
    const change = new Change(state, io);
    await recover(change, io, stale);
    await stopOrphans(change, io);
    state.journal = { operation, step: "begin", committed: false, since: holder.since };
    change.save("begin");
    try {
      await fn(change);
    } catch (e) {
      if (!state.journal.committed) await undo(change, io);
      throw e;
    }
    await finish(change, io);
    return change;
  } finally {
    releaseLock(io.dir);
  }
}
async function undo(change, io) {
  const { state } = change;
  const inUse = livePids(state);
  for (const record of state.pending)
    if (!inUse.has(record.pid)) await change.stop(record, `undo: stopped pid ${record.pid}`);
  state.pending = [];
  state.journal = void 0;
  writeState(io.dir, state);
}
async function finish(change, io) {
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
      since: j.since
    };
  state.journal = void 0;
  writeState(io.dir, state);
  io.afterStep("done");
}
async function recover(change, io, stale) {
  const { state } = change;
  const journal = state.journal;
  const what = journal ? `a previous ${journal.operation}${journal.version ? ` of ${journal.version}` : ""} (started ${journal.since}) was interrupted at step "${journal.step}"` : `a previous ${stale?.operation ?? "model-delivery"} call was interrupted`;
  const pending = state.pending.map((p) => p.pid);
  const retired = state.retired.map((p) => p.pid);
  if (!journal && pending.length === 0 && retired.length === 0) {
    const done = state.completed;
    if (stale && done?.pid === stale.pid) {
      change.warn(
        `a previous ${done.operation}${done.version ? ` of ${done.version}` : ""} (started ${done.since}) was interrupted at step "done" after it took effect; finished it: released its lock`
      );
      change.recovered = { ...done, step: "done", committed: true };
    } else if (stale) {
      change.warn(`${what} (pid ${stale.pid}) before it changed anything; its lock was released`);
    }
    return;
  }
  if (journal?.committed) {
    await finish(change, io);
    change.warn(
      `${what} after it took effect; finished it${retired.length ? `: stopped the processes it had replaced (pids ${retired.join(", ")})` : ""}`
    );
  } else {
    for (const record of state.retired)
      await change.stop(record, `recover: stopped pid ${record.pid}`);
    state.retired = [];
    await undo(change, io);
    change.warn(
      `${what} before it took effect; undid it${pending.length ? `: stopped the processes it had started (pids ${pending.join(", ")})` : ""}`
    );
  }
  change.recovered = journal;
}
async function stopOrphans(change, io) {
  const known = livePids(change.state);
  const orphans = io.runner.taggedGroups(TAG_ENV, io.dir).filter((pgid) => !known.has(pgid));
  for (const pgid of orphans) await io.runner.stop({ pid: pgid });
  if (orphans.length)
    change.warn(
      `stopped ${orphans.length} process group(s) started by an interrupted call but not recorded (pgids ${orphans.join(", ")})`
    );
}
function livePids(state) {
  const pids = Object.values(state.tracks).map((t) => t?.pid);
  return new Set([...pids, state.proxy?.pid].filter((p) => p !== void 0));
}
function crashHook(after, log) {
  const n = after ? Number(after) : 0;
  let count = 0;
  return (step) => {
    count += 1;
    log.debug(`local step ${count}: ${step}`);
    if (n > 0 && count === n) process.kill(process.pid, "SIGKILL");
  };
}

// src/targets/local-tracks.ts
function defaultProxyArgv(stateFilePath, port) {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".ts"))
    return [
      process.execPath,
      "--import",
      "tsx",
      join2(dirname(here), "local-proxy-main.ts"),
      stateFilePath,
      String(port)
    ];
  const bundled = join2(dirname(here), "local-proxy.js");
  if (!existsSync3(bundled))
    throw new EnvironmentError(
      `the front proxy ${bundled} is missing; rebuild the bundle (npm run bundle)`,
      "proxy_missing"
    );
  return [process.execPath, bundled, stateFilePath, String(port)];
}
async function startTrack(ctx, change, start) {
  const { track, release } = start;
  const local = ctx.options.deploy.local;
  if (!local.command)
    throw new ConfigError([
      'deploy.local.command: required for the local target (e.g. "tsx src/server.ts")'
    ]);
  const port = await ctx.runner.freePort();
  const logFile = join2(
    ctx.dir,
    "logs",
    `${track}-${release.version.replace(/[^\w.-]/g, "_")}-${port}.log`
  );
  const started = await ctx.runner.start({
    argv: toArgv(local.command),
    cwd: ctx.options.root,
    env: {
      ...baseEnv(ctx),
      ...start.env,
      HOST: "127.0.0.1",
      PORT: String(port),
      TRACK: track,
      MODEL_VERSION: release.version
    },
    port,
    logFile,
    label: "deploy.local.command"
  });
  change.started(started.record, `started ${track} ${release.version} (pid ${started.record.pid})`);
  await waitReady(ctx, started, {
    what: `${track} ${release.version}`,
    url: `http://127.0.0.1:${port}${local.readyPath}`,
    accept: () => true
  });
  return { ...started.record, track, release };
}
async function prepareFront(ctx, change) {
  const wanted = ctx.options.deploy.local.port;
  const current = change.state.proxy;
  if (current && ctx.runner.isAlive(current) && (wanted === 0 || wanted === current.port))
    return void 0;
  const port = wanted || await ctx.runner.freePort();
  const started = await ctx.runner.start({
    argv: ctx.proxyArgv(stateFile(ctx.dir), port),
    cwd: ctx.options.root,
    env: baseEnv(ctx),
    port,
    logFile: join2(ctx.dir, "logs", "proxy.log"),
    label: "front proxy"
  });
  change.started(started.record, `started the front proxy (pid ${started.record.pid})`);
  try {
    await waitReady(ctx, started, {
      what: "front proxy",
      url: `http://127.0.0.1:${port}${PROXY_STATUS_PATH}`,
      accept: async (res) => (await res.json()).pid === started.record.pid
    });
  } catch (e) {
    const inUse = /EADDRINUSE/.test(logTail(started.record.logFile));
    throw inUse ? new EnvironmentError(
      `deploy.local.port ${port} is in use by another program; stop it, or set deploy.local.port to a free port (0 picks one)${current ? `; the front on port ${current.port} still serves` : ""}`,
      "port_in_use"
    ) : e;
  }
  return started.record;
}
async function waitReady(ctx, started, check) {
  const { what, url } = check;
  const timeout = ctx.options.deploy.local.readyTimeout;
  let exited;
  void started.exited.then((reason) => exited = reason);
  const log = () => `its log (${started.record.logFile}) ends with:
${logTail(started.record.logFile)}`;
  try {
    await waitFor(
      async () => {
        const res = await fetch(url, { signal: AbortSignal.timeout(1e3) });
        return res.ok && await check.accept(res) || `HTTP ${res.status}`;
      },
      { what, timeoutMs: timeout, intervalMs: 100, stopIf: () => exited }
    );
  } catch (e) {
    if (!(e instanceof WaitError)) throw e;
    throw new CheckFailedError(
      e.kind === "stopped" ? `${what} (pid ${started.record.pid}) ${exited} before it became ready; ${log()}` : `${what} (pid ${started.record.pid}) was not ready at ${url} within deploy.local.readyTimeout (${formatDuration(timeout)}): ${e.last ?? "no answer yet"}; ${log()}`,
      "not_ready"
    );
  }
}
function baseEnv(ctx) {
  const env = {};
  for (const [k, v] of Object.entries(ctx.options.env))
    if (v !== void 0 && !isPrivateEnvName(k)) env[k] = v;
  return { ...env, [TAG_ENV]: ctx.dir };
}
function settledOrThrow(results) {
  const [a, b] = results;
  if (a.status === "rejected") throw a.reason;
  if (b.status === "rejected") throw b.reason;
  return [a.value, b.value];
}
function breakLockOrFail(c, canary, options) {
  const { force } = options;
  const since = c.state.canarySince ?? canary.startedAt;
  const age = Date.now() - Date.parse(since);
  const timeout = options.timeoutMs;
  if (force && age > timeout) {
    c.warn(`--force: removed the canary ${canary.release.version} deployed at ${since}`);
    return true;
  }
  const hint = force ? `--force breaks it only when it is older than deploy.timeout (${formatDuration(timeout)}); it is ${formatDuration(age)} old` : "promote or roll it back first (model-delivery promote | rollback)";
  throw new CheckFailedError(
    `the canary ${canary.release.version} has been in flight since ${since}; ${hint}`,
    "canary_in_progress",
    { holder: canary.release.version, since }
  );
}
function checkShare(percent) {
  if (!(percent > 0 && percent <= 50))
    throw new ConfigError([
      `deploy.steps: ${percent} is not a share in (0, 50] (canary and baseline each get it)`
    ]);
}
function routeShare(c, percent) {
  const s = c.state;
  const { canary, baseline } = s.tracks;
  if (!canary || !baseline)
    throw new CheckFailedError(
      "no canary and baseline are deployed, so there is no traffic share to set; run model-delivery deploy first",
      "no_canary"
    );
  if (s.journal) s.journal.version = canary.release.version;
  s.percent = percent;
  c.commit(`canary and baseline routed ${percent}% each`, []);
}

// src/targets/release-history.ts
function sameRelease(a, b) {
  return a.version === b.version && a.image === b.image;
}
function previousRelease(history) {
  const current = history.at(-1);
  if (!current) return void 0;
  for (let i = history.length - 2; i >= 0; i--)
    if (!sameRelease(history[i], current)) return history[i];
  return void 0;
}
function afterPromotion(history, release) {
  const last = history.at(-1);
  return last && sameRelease(last, release) ? [...history] : [...history, release];
}
function afterRollback(history, release) {
  for (let i = history.length - 1; i >= 0; i--)
    if (sameRelease(history[i], release)) return history.slice(0, i + 1);
  return [...history, release];
}

// src/targets/local.ts
function createLocalTarget(ctx) {
  return new LocalTarget({
    root: ctx.root,
    deploy: ctx.config.deploy,
    env: ctx.env,
    log: ctx.log,
    afterStep: crashHook(ctx.inputs?.crashAfterStep, ctx.log)
  });
}
var LocalTarget = class {
  constructor(options) {
    this.options = options;
    this.dir = options.stateDir ?? join3(options.root, ".model-delivery", "local");
    this.ctx = {
      dir: this.dir,
      options,
      runner: options.runner ?? createProcessRunner(),
      proxyArgv: options.proxyArgv ?? defaultProxyArgv
    };
  }
  options;
  dir;
  ctx;
  get runner() {
    return this.ctx.runner;
  }
  async deployCanary(release, options = {}) {
    return this.change("deploy", release.version, async (c) => {
      const s = c.state;
      const retire = [];
      const { canary, baseline, stable } = s.tracks;
      let clearCanary = [canary, baseline].some((r) => r && !this.runner.isAlive(r));
      if (clearCanary)
        c.warn("removed the canary and baseline left from an earlier deploy because one had died");
      else if (canary)
        clearCanary = breakLockOrFail(c, canary, {
          force: options.force === true,
          timeoutMs: this.options.deploy.timeout
        });
      const front = await prepareFront(this.ctx, c);
      const envOf = (r) => s.releaseEnv?.[r.version] ?? this.options.deploy.local.env;
      let newStable;
      if (stable && !this.runner.isAlive(stable)) {
        newStable = await startTrack(this.ctx, c, {
          track: "stable",
          release: stable.release,
          env: envOf(stable.release)
        });
        c.warn(
          `restarted the stable process for ${stable.release.version}, which was no longer running`
        );
      }
      const env = { ...this.options.deploy.local.env };
      let pair;
      if (!stable) {
        newStable = await startTrack(this.ctx, c, { track: "stable", release, env });
        c.warn(
          `no stable release was running: started ${release.version} as stable directly (no canary)`
        );
      } else {
        pair = settledOrThrow(
          await Promise.allSettled([
            startTrack(this.ctx, c, {
              track: "baseline",
              release: stable.release,
              env: envOf(stable.release)
            }),
            startTrack(this.ctx, c, { track: "canary", release, env })
          ])
        );
      }
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
        s.canarySince = (/* @__PURE__ */ new Date()).toISOString();
        s.gate = void 0;
      }
      this.switchFront(c, front, retire);
      c.commit(pair ? `canary ${release.version} routed` : `${release.version} is stable`, retire);
    });
  }
  async promote(options = {}) {
    let forced;
    const status = await this.change("promote", void 0, async (c) => {
      const s = c.state;
      const canary = s.tracks.canary;
      if (!canary) {
        throw new CheckFailedError(
          "no canary is deployed, so there is nothing to promote; run model-delivery deploy first",
          "no_canary"
        );
      }
      if (s.journal) s.journal.version = canary.release.version;
      if (!this.runner.isAlive(canary)) {
        throw new CheckFailedError(
          `the canary process (pid ${canary.pid}, ${canary.release.version}) is not running, so it cannot be promoted; run model-delivery rollback (log: ${canary.logFile})`,
          "canary_not_running"
        );
      }
      const live = canaryIdentity(canary.release, s.canarySince ?? canary.startedAt);
      forced = checkEvidence(live, s.gate, options).forced;
      await this.replaceStable(c, canary.release, (h) => afterPromotion(h, canary.release));
    });
    return forced ? { ...status, forced } : status;
  }
  async abort() {
    return this.change("abort", void 0, async (c) => {
      const s = c.state;
      const { canary, baseline } = s.tracks;
      if (!canary && !baseline) {
        c.warn("no canary was in flight; nothing to abort");
        return;
      }
      if (s.journal) s.journal.version = (canary ?? baseline)?.release.version;
      const front = s.tracks.stable ? await prepareFront(this.ctx, c) : void 0;
      const retire = [canary, baseline];
      delete s.tracks.canary;
      delete s.tracks.baseline;
      s.canarySince = void 0;
      this.switchFront(c, front, retire);
      c.commit("canary and baseline unrouted", retire);
    });
  }
  async rollback(to) {
    return this.change("rollback", to?.version, async (c) => {
      const s = c.state;
      const current = s.tracks.stable?.release;
      const target = to ?? previousRelease(s.history);
      if (!target) {
        throw new CheckFailedError(
          `no earlier release is recorded in ${stateFile(this.dir)}; pass --to <version>`,
          "no_previous_release"
        );
      }
      if (s.journal) s.journal.version = target.version;
      await this.replaceStable(c, target, (h) => afterRollback(h, target));
      if (current && sameRelease(current, target))
        c.warn(`${target.version} was already stable; restarted it`);
    });
  }
  /** One commit (the file the proxy routes by): a crash leaves the old share or the new one. */
  async setTrafficShare(percent) {
    checkShare(percent);
    return this.change(`traffic share ${percent}%`, void 0, async (c) => routeShare(c, percent));
  }
  async recordVerdict(record) {
    await this.change("record the gate verdict", record.canary.version, async (c) => {
      c.state.gate = record;
      c.commit(`gate verdict ${record.verdict} recorded`, []);
    });
  }
  async liveness() {
    return livenessOf(readState(this.dir), this.runner);
  }
  async status() {
    const state = readState(this.dir);
    if (!state) return { tracks: [], warnings: [] };
    const warnings = deadTrackWarnings(state, this.runner);
    const interrupted = interruptedWarning(state);
    if (interrupted) warnings.push(interrupted);
    const holder = readLock(this.dir);
    const done = state.completed;
    const ended = holder && done?.pid === holder.pid && !this.runner.isAlive({ pid: holder.pid }) ? done : void 0;
    return statusOf({
      state,
      runner: this.runner,
      readyPath: this.options.deploy.local.readyPath,
      warnings,
      probe: true,
      ...ended ? { interrupted: ended } : {}
    });
  }
  /** Stops every process this target started (tracks, proxy, and any left by an interrupted call). */
  async stop() {
    const stopped = [];
    const change = await runChange(this.io(), "stop", async (c) => {
      const s = c.state;
      const all = [
        ...TRACKS.map((t) => [t, s.tracks[t]]),
        ["proxy", s.proxy]
      ];
      for (const [what, record] of all)
        if (record && this.runner.isAlive(record)) stopped.push({ what, pid: record.pid });
      s.tracks = {};
      s.proxy = void 0;
      s.canarySince = void 0;
      c.commit(
        "nothing routed",
        all.map(([, r]) => r)
      );
    });
    return { stopped, warnings: change.warnings };
  }
  // ---- the steps ----
  io() {
    return {
      dir: this.dir,
      runner: this.runner,
      log: this.options.log,
      percent: initialShare(this.options.deploy),
      afterStep: this.options.afterStep ?? (() => void 0)
    };
  }
  async change(operation, version, fn) {
    const change = await runChange(this.io(), operation, async (c) => {
      if (c.state.journal && version) c.state.journal.version = version;
      for (const w of deadTrackWarnings(c.state, this.runner)) c.warn(w);
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
      probe: false
    });
  }
  /** Starts `release` as the only track, then commits it with the history `history` gives. */
  async replaceStable(c, release, history) {
    const s = c.state;
    const front = await prepareFront(this.ctx, c);
    const stable = await startTrack(this.ctx, c, {
      track: "stable",
      release,
      env: s.releaseEnv?.[release.version] ?? this.options.deploy.local.env
    });
    const retire = TRACKS.map((t) => s.tracks[t]);
    if (!s.tracks.stable) c.warn(`no stable release was running: started ${release.version}`);
    s.tracks = { stable };
    s.canarySince = void 0;
    s.gate = void 0;
    s.history = history(s.history);
    this.switchFront(c, front, retire);
    c.commit(`stable switched to ${release.version}`, retire);
  }
  switchFront(c, front, retire) {
    if (!front) return;
    retire.push(c.state.proxy);
    c.state.proxy = front;
  }
};

export {
  canaryIdentity,
  checkEvidence,
  sameRelease,
  createLocalTarget
};
