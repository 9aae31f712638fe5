// The long-running helpers the demo starts (Prometheus, Alertmanager, the bot): each in its
// own process group, so stopping it also stops anything it spawned. Every pid is recorded,
// so the demo can prove that nothing is left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { freePort } from '../src/core/free-port.js';
import { waitFor } from '../src/core/wait-for.js';

export { freePort };

export interface Managed {
  name: string;
  pid: number;
  port?: number;
  logFile: string;
  child: ChildProcess;
}

export interface StartOptions {
  name: string;
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  logFile: string;
  port?: number;
}

export class ProcessGroup {
  readonly started: Managed[] = [];

  start(o: StartOptions): Managed {
    const [file, ...args] = o.argv;
    if (!file) throw new Error(`${o.name}: empty command`);
    const log = createWriteStream(o.logFile, { flags: 'a' });
    const child = spawn(file, args, {
      cwd: o.cwd,
      env: o.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    if (child.pid === undefined) throw new Error(`${o.name}: could not start ${file}`);
    const managed = { name: o.name, pid: child.pid, port: o.port, logFile: o.logFile, child };
    this.started.push(managed);
    return managed;
  }

  /** SIGTERM to every group, SIGKILL after graceMs; resolves when all are gone. */
  async stopAll(graceMs = 5000): Promise<void> {
    await Promise.all(this.started.map((m) => stopGroup(m.pid, graceMs)));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone: nothing to signal.
  }
}

export async function stopGroup(pid: number, graceMs: number): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) || groupAlive(pid)) {
    if (Date.now() > deadline) {
      signalGroup(pid, 'SIGKILL');
      await sleep(100);
      if (!isAlive(pid) && !groupAlive(pid)) return;
      if (Date.now() > deadline + 2000) return;
    }
    await sleep(50);
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls url until it answers 2xx (or timeoutMs passes). */
export async function waitHttp(url: string, timeoutMs: number, managed?: Managed): Promise<void> {
  await waitFor(
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      return res.ok || `HTTP ${res.status}`;
    },
    {
      what: url,
      timeoutMs,
      intervalMs: 150,
      stopIf: () =>
        managed && managed.child.exitCode !== null
          ? `${managed.name} exited (code ${managed.child.exitCode}); log: ${managed.logFile}`
          : undefined,
    },
  );
}
