import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CRASH_AFTER_STEP_ENV } from '../../../src/targets/local.js';
import type { LocalState } from '../../../src/targets/local-state.js';
import { runCli, type CliRun } from '../../helpers/cli.js';
import { recordLocalVerdict } from '../../helpers/gate-verdict.js';
import { freePort, groupOf, isAlive, markedProcesses, sample } from './helpers.js';

/**
 * kill -9 at every step of every local operation: after each state write, each process
 * start and each stop, the CLI dies (the crash hook sends itself SIGKILL). Then the next
 * natural command (the same one again) must name the interruption, finish or undo it, and
 * leave: exactly one stable release serving (the expected one), the history intact, no
 * process that the state does not name, no journal, no lock.
 */

// A model server that starts in milliseconds, so the whole matrix stays quick.
const SERVER = `import { createServer } from 'node:http';
createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ model_version: process.env.MODEL_VERSION, track: process.env.TRACK }));
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

interface Project {
  dir: string;
  port: number;
  marker: string;
  cli(args: string[], env?: Record<string, string>): Promise<CliRun>;
  state(): LocalState;
  reset(): Promise<void>;
}

async function createProject(): Promise<Project> {
  const dir = mkdtempSync(join(tmpdir(), 'md-crash-'));
  const port = await freePort();
  const marker = randomUUID();
  mkdirSync(join(dir, '.github'));
  writeFileSync(join(dir, 'server.mjs'), SERVER);
  writeFileSync(
    join(dir, '.github/model-delivery.yml'),
    [
      'deploy:',
      '  target: local',
      '  local:',
      '    command: node server.mjs',
      `    port: ${port}`,
      '    readyPath: /health',
      '',
    ].join('\n'),
  );
  const project: Project = {
    dir,
    port,
    marker,
    cli: (args, env = {}) =>
      runCli(args, { cwd: dir, env: { ...env, MD_TEST_MARKER: marker }, timeout: 60_000 }),
    state: () =>
      JSON.parse(readFileSync(join(dir, '.model-delivery/local/state.json'), 'utf8')) as LocalState,
    async reset() {
      if (existsSync(join(dir, '.model-delivery/local/state.json'))) await project.cli(['stop']);
      for (const pid of markedProcesses(marker)) process.kill(pid, 'SIGKILL');
      rmSync(join(dir, '.model-delivery'), { recursive: true, force: true });
    },
  };
  return project;
}

async function ok(run: Promise<CliRun>): Promise<CliRun> {
  const done = await run;
  expect(done.exitCode, done.stdout + done.stderr).toBe(0);
  return done;
}

interface Operation {
  name: string;
  /** Brings the project to the state the operation starts from. */
  setup(p: Project): Promise<void>;
  command: string[];
  /** After the operation (or its crash and the command again). */
  stable: string;
  canary?: string;
  history: string[];
}

const OPERATIONS: Operation[] = [
  {
    name: 'first deploy (front proxy and stable)',
    setup: async () => undefined,
    command: ['deploy', '--version', 'v1'],
    stable: 'v1',
    history: ['v1'],
  },
  {
    name: 'deploy of a canary',
    setup: async (p) => void (await ok(p.cli(['deploy', '--version', 'v1']))),
    command: ['deploy', '--version', 'v2'],
    stable: 'v1',
    canary: 'v2',
    history: ['v1'],
  },
  {
    name: 'promote',
    setup: async (p) => {
      await ok(p.cli(['deploy', '--version', 'v1']));
      await ok(p.cli(['deploy', '--version', 'v2']));
      await recordLocalVerdict(p.dir);
    },
    command: ['promote'],
    stable: 'v2',
    history: ['v1', 'v2'],
  },
  {
    name: 'abort (rollback with a canary out)',
    setup: async (p) => {
      await ok(p.cli(['deploy', '--version', 'v1']));
      await ok(p.cli(['deploy', '--version', 'v2']));
    },
    command: ['rollback'],
    stable: 'v1',
    history: ['v1'],
  },
  {
    name: 'rollback of stable',
    setup: async (p) => {
      await ok(p.cli(['deploy', '--version', 'v1']));
      await ok(p.cli(['deploy', '--version', 'v2']));
      await recordLocalVerdict(p.dir);
      await ok(p.cli(['promote']));
    },
    command: ['rollback'],
    stable: 'v1',
    history: ['v1'],
  },
];

/** The invariants after the crash and the command run again. */
async function expectSettled(p: Project, op: Operation): Promise<void> {
  const state = p.state();
  expect(state.journal).toBeUndefined();
  expect(state.pending).toEqual([]);
  expect(state.retired).toEqual([]);
  expect(existsSync(join(p.dir, '.model-delivery/local/lock'))).toBe(false);
  expect(state.tracks.stable?.release.version).toBe(op.stable);
  expect(state.tracks.canary?.release.version).toBe(op.canary);
  expect(state.history.map((r) => r.version)).toEqual(op.history);
  // Every process alive belongs to a recorded track or the proxy, and each of those runs.
  const recorded = [state.proxy?.pid, ...Object.values(state.tracks).map((t) => t.pid)];
  for (const pid of recorded) expect(isAlive(pid as number), `recorded pid ${pid}`).toBe(true);
  for (const pid of markedProcesses(p.marker)) expect(recorded).toContain(groupOf(pid));
  // Users reach exactly the expected releases through the front.
  const { versions } = await sample(p.port, 40);
  const served = Object.keys(versions).sort();
  expect(served).toEqual([op.stable, ...(op.canary ? [op.canary] : [])].sort());
}

/** How many steps the operation takes from its starting state (the hook logs each at debug level). */
function stepsOf(run: CliRun): number {
  const steps = [...(run.stdout + run.stderr).matchAll(/local step (\d+): /g)].map((m) =>
    Number(m[1]),
  );
  return Math.max(0, ...steps);
}

describe('local target: kill -9 at every step of every operation', () => {
  let p: Project;
  let covered = 0;
  beforeAll(async () => {
    p = await createProject();
  });
  afterAll(async () => {
    await p?.reset();
    if (p) rmSync(p.dir, { recursive: true, force: true });
    console.info(`local crash points covered: ${covered}`);
  });

  test.each(OPERATIONS)(
    '$name',
    async (op) => {
      await p.reset();
      await op.setup(p);
      const clean = await ok(p.cli([...op.command, '--verbose']));
      const steps = stepsOf(clean);
      expect(steps).toBeGreaterThanOrEqual(3);
      await expectSettled(p, op);

      for (let k = 1; k <= steps; k++) {
        await p.reset();
        await op.setup(p);
        const crashed = await p.cli(op.command, { [CRASH_AFTER_STEP_ENV]: String(k) });
        expect(crashed.exitCode, `crash after step ${k}: ${crashed.stderr}`).toBe(-1);
        const next = await ok(p.cli(op.command));
        expect(next.stdout + next.stderr, `after a crash at step ${k}`).toMatch(
          /was interrupted at step "[^"]+" (before|after) it took effect; (undid|finished) it/,
        );
        await expectSettled(p, op);
        covered += 1;
      }
    },
    600_000,
  );
});
