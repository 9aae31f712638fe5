import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { EXAMPLE, REPO_ROOT, runCli, type CliRun } from '../../helpers/cli.js';
import type { LocalState } from '../../../src/targets/local-state.js';
import { freePort } from '../../../src/core/free-port.js';
import { recordLocalVerdict } from '../../helpers/gate-verdict.js';

export { freePort };

/**
 * A private copy of the example under <repo>/tmp (so node_modules resolves), trained once,
 * with its own .model-delivery/ and front port; every process it starts carries a marker
 * in its env, so the test can prove none is left behind.
 */
export interface Sandbox {
  dir: string;
  port: number;
  marker: string;
  cli(
    args: string[],
    options?: { timeout?: number; env?: Record<string, string> },
  ): Promise<CliRun>;
  state(): LocalState;
  /** Records a passing gate verdict for the live canary, as the gate stage would. */
  pass(): Promise<void>;
  remove(): Promise<void>;
}

export async function createSandbox(name: string): Promise<Sandbox> {
  const dir = join(REPO_ROOT, 'tmp', `${name}-${randomUUID().slice(0, 8)}`);
  mkdirSync(dir, { recursive: true });
  for (const part of ['.github', 'src', 'data', 'tsconfig.json'])
    cpSync(join(EXAMPLE, part), join(dir, part), { recursive: true });
  await execa(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['src/train.ts', '--max_steps', '50'], {
    cwd: dir,
  });
  const port = await freePort();
  const marker = randomUUID();
  const sandbox: Sandbox = {
    dir,
    port,
    marker,
    cli: (args, options = {}) =>
      runCli(
        ['--set', `deploy.local.port=${port}`, '--set', 'deploy.local.readyTimeout=60s', ...args],
        {
          cwd: dir,
          env: { ...options.env, MD_TEST_MARKER: marker },
          timeout: options.timeout ?? 120_000,
        },
      ),
    state: () =>
      JSON.parse(readFileSync(join(dir, '.model-delivery/local/state.json'), 'utf8')) as LocalState,
    pass: async () => {
      await recordLocalVerdict(dir);
    },
    remove: async () => {
      if (existsSync(join(dir, '.model-delivery/local/state.json'))) await sandbox.cli(['stop']);
      for (const pid of markedProcesses(marker)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return sandbox;
}

/** Every live process whose env carries the marker (the proxy, tsx and node of each track). */
export function markedProcesses(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let environ: string;
    let stat: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      // Gone meanwhile, or not ours to read: neither is a process this test started.
      continue;
    }
    const zombie = stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
    if (!zombie && environ.split('\0').includes(`MD_TEST_MARKER=${marker}`))
      pids.push(Number(entry));
  }
  return pids;
}

/** GETs `path` on the front port `n` times (20 at a time); counts answers by track and by version. */
export async function sample(port: number, n: number, path = '/version') {
  const tracks: Record<string, number> = {};
  const versions: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      const body = (await res.json()) as { model_version?: string };
      const track = res.headers.get('x-model-delivery-track') ?? 'none';
      tracks[track] = (tracks[track] ?? 0) + 1;
      versions[body.model_version ?? 'none'] = (versions[body.model_version ?? 'none'] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  return { tracks, versions };
}

/** Running (a zombie waiting for its parent to reap it is not). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    // Gone between the two looks.
    return false;
  }
}

/** The process group of `pid` (field 5 of /proc/<pid>/stat). */
export function groupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}
