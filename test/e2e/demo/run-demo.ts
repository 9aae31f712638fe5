// What both demo e2e tests share: running `tsx demo/main.ts --json` on a private copy of the
// example, the files it leaves, and the checks that no process outlived it.
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { expect } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli.js';
import { copyExample } from '../../helpers/example.js';

export interface DemoJson {
  releases: { version: string; verdict: string; action: string; secondsToVerdict: number | null }[];
  incident: {
    revertPullRequest: number | null;
    dispatched: string | null;
    secondsToActions: number | null;
  };
}
export interface RunFile {
  marker: string;
  target: string;
  localState?: string;
  kubernetes?: KubernetesFacts;
  liveAfter: Record<string, string>;
  processes: { name: string; pid: number; port?: number }[];
}
export interface KubernetesFacts {
  apiServer: string;
  kubectl: string;
  podProxyScrapes: { canary: number; baseline: number };
  servicePredictions: number;
  afterChapter: Record<
    string,
    {
      stable: { image: string; version: string; release: string | null; locked: boolean } | null;
      deployments: string[];
      pods: { owner: string; track: string; version: string; ready: boolean }[];
    }
  >;
}
export interface GitHubFile {
  revertPullRequests: { number: number; head: string }[];
  dispatches: { workflow: string; inputs: Record<string, string> }[];
  deployments: { version: string; statuses: string[] }[];
}

export interface DemoRun {
  exitCode: number;
  stderr: string;
  json: DemoJson;
  run: RunFile;
  github: GitHubFile;
}

/** Runs the demo with `args` on a private copy of the example; `remove` ends leftovers and deletes the copy. */
export function demoRunner(): { start(args: string[]): Promise<DemoRun>; remove(): void } {
  // Copied when the demo starts, so a filtered-out describe leaves no copy behind.
  let example: ReturnType<typeof copyExample> | undefined;
  let run: RunFile | undefined;
  return {
    async start(args) {
      example = copyExample();
      const result = await execa(
        join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
        ['demo/main.ts', '--json', '--example', example.dir, ...args],
        {
          cwd: REPO_ROOT,
          reject: false,
          timeout: 400_000,
          env: { MODEL_DELIVERY_DEMO_NO_PROMETHEUS: '' },
        },
      );
      const stderr = String(result.stderr);
      const out = join(example.dir, '.model-delivery', 'demo');
      let json: DemoJson;
      try {
        json = JSON.parse(String(result.stdout).trim()) as DemoJson;
      } catch {
        throw new Error(
          `the demo printed no JSON (exit ${result.exitCode}):\n${stderr.slice(-3000)}`,
        );
      }
      run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunFile;
      const github = JSON.parse(readFileSync(join(out, 'github.json'), 'utf8')) as GitHubFile;
      return { exitCode: result.exitCode ?? -1, stderr, json, run, github };
    },
    // A demo that leaked processes fails its last test; they are still ended here, by pid.
    remove() {
      const leaked = run ? leftovers(run) : [];
      for (const pid of leaked) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      example?.remove();
    },
  };
}

/** Pids of processes the run left: its marker on their command line, or the local target's tag. */
export function leftovers(run: RunFile): number[] {
  return [
    ...(run.localState ? taggedProcesses(run.localState) : []),
    ...pgrep(run.marker).map((line) => Number(line.split(' ')[0])),
  ];
}

/** Running, not a zombie: here pid 1 reaps orphans late, and kill(pid, 0) succeeds on a zombie. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** pgrep -f: processes whose command line holds the marker (exit 1 means none). */
export function pgrep(marker: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', marker], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

/** Processes whose environment carries the local target's tag for this state dir. */
export function taggedProcesses(stateDir: string): number[] {
  const tag = `MODEL_DELIVERY_LOCAL_STATE=${stateDir}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(tag)) found.push(Number(entry));
    } catch {
      // Gone meanwhile, or another user's process: not ours.
    }
  }
  return found;
}

/** Recorded processes still running, and recorded ports still answering. */
export async function survivors(run: RunFile) {
  const open = [];
  for (const p of run.processes) if (p.port && (await listening(p.port))) open.push(p);
  return { running: run.processes.filter((p) => alive(p.pid)), open };
}

/** The story's outcome, the same on every target: the three verdicts, what was live, the ledger. */
export function expectStory(d: DemoRun): void {
  expect(d.json.releases.map((r) => [r.version, r.verdict, r.action])).toEqual([
    ['v1', 'deployed', 'stable'],
    ['v2', 'pass', 'promote'],
    ['v3', 'fail', 'rollback'],
  ]);
  expect(d.json.releases[0]?.secondsToVerdict).toBeNull();
  for (const r of d.json.releases.slice(1)) expect(r.secondsToVerdict).toBeGreaterThan(0);
  // The gate names the failing metric; whether the absolute bound or the comparison with
  // the baseline crosses first depends on the traffic.
  expect(d.stderr).toMatch(
    /✖ gate v3 .* fail( at step \d+%)?: error_rate is (beyond its bound|worse than the baseline)/,
  );
  expect(d.run.liveAfter).toEqual({ v1: 'v1', v2: 'v2', v3: 'v2', incident: 'v1' });
  const byVersion = Object.fromEntries(d.github.deployments.map((x) => [x.version, x.statuses]));
  expect(byVersion.v3).toEqual(['in_progress', 'failure']);
  expect(byVersion.v2).toContain('success');
}

/** The incident: one revert pull request and one rollback dispatch on the GitHub stand-in. */
export function expectIncident(d: DemoRun): void {
  expect(d.github.revertPullRequests).toHaveLength(1);
  expect(d.github.dispatches).toHaveLength(1);
  expect(d.json.incident.revertPullRequest).toBe(d.github.revertPullRequests[0]?.number);
  expect(d.json.incident.dispatched).toBe('rollback.yml');
  expect(d.github.dispatches[0]?.inputs.environment).toBe('production');
  expect(d.json.incident.secondsToActions).toBeGreaterThan(0);
}
