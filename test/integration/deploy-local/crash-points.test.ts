import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CRASH_AFTER_STEP_ENV } from '../../../src/targets/local.js';
import type { CliRun } from '../../helpers/cli.js';
import { recordLocalVerdict } from '../../helpers/gate-verdict.js';
import { groupOf, isAlive, markedProcesses, sample } from './helpers.js';
import { createProject, ok, type Project } from './tiny-project.js';

/**
 * kill -9 at every step of every local operation: after each state write, each process
 * start and each stop, the CLI dies (the crash hook sends itself SIGKILL). Then the next
 * natural command (the same one again) must name the interruption, finish or undo it, and
 * leave: exactly one stable release serving (the expected one), the history intact, no
 * process that the state does not name, no journal, no lock.
 */

interface Operation {
  name: string;
  command: string[];
  /** Run before it, not crashed (a verdict, a canary to abort). */
  before?(p: Project): Promise<void>;
  /** What holds after it (or after its crash and the command again). */
  stable: string;
  canary?: string;
  history: string[];
}

/**
 * One cycle from nothing back to stable v1 runs each operation once; in round k every
 * operation is killed after its k-th step, then run again, then checked.
 */
const CYCLE: Operation[] = [
  { name: 'first deploy', command: ['deploy', '--version', 'v1'], stable: 'v1', history: ['v1'] },
  {
    name: 'deploy of a canary',
    command: ['deploy', '--version', 'v2'],
    stable: 'v1',
    canary: 'v2',
    history: ['v1'],
  },
  {
    name: 'promote',
    before: (p) => recordLocalVerdict(p.dir).then(() => undefined),
    command: ['promote'],
    stable: 'v2',
    history: ['v1', 'v2'],
  },
  {
    name: 'abort',
    before: async (p) => void (await ok(p.cli(['deploy', '--version', 'v3']))),
    command: ['rollback'],
    stable: 'v2',
    history: ['v1', 'v2'],
  },
  { name: 'rollback of stable', command: ['rollback'], stable: 'v1', history: ['v1'] },
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
  const { versions } = await sample(p.port, 30);
  const served = Object.keys(versions).sort();
  if (op.canary) expect(served).toContain(op.stable);
  else expect(served).toEqual([op.stable]);
}

/** How many steps the operation took (the hook logs each at debug level). */
function stepsOf(run: CliRun): number {
  const steps = [...(run.stdout + run.stderr).matchAll(/local step (\d+): /g)].map((m) =>
    Number(m[1]),
  );
  return Math.max(0, ...steps);
}

/** Rounds run at once, each in its own project: the CLI calls mostly wait, so they overlap well. */
const ROUNDS = Array.from({ length: 8 }, (_, i) => i + 1);

describe('local target: kill -9 at every step of every operation', () => {
  const steps = new Map<string, number>();
  let covered = 0;
  beforeAll(async () => {
    const p = await createProject();
    try {
      for (const op of CYCLE) {
        await op.before?.(p);
        const run = await ok(p.cli([...op.command, '--verbose']));
        steps.set(op.name, stepsOf(run));
        await expectSettled(p, op);
      }
    } finally {
      await p.remove();
    }
  }, 300_000);
  afterAll(() => {
    console.info(
      `local crash points covered: ${covered} (steps per operation: ${JSON.stringify(Object.fromEntries(steps))})`,
    );
  });

  test('every operation was counted, and every step falls in a round', () => {
    for (const op of CYCLE) expect(steps.get(op.name), op.name).toBeGreaterThanOrEqual(2);
    expect(Math.max(...steps.values())).toBeLessThanOrEqual(ROUNDS.length);
  });

  test.concurrent.each(ROUNDS)(
    'killed after step %i of each operation: the same command again settles it',
    async (k) => {
      const p = await createProject();
      try {
        for (const op of CYCLE) {
          await op.before?.(p);
          if (k > (steps.get(op.name) ?? 0)) {
            await ok(p.cli(op.command));
            continue;
          }
          const crashed = await p.cli(op.command, { [CRASH_AFTER_STEP_ENV]: String(k) });
          expect(crashed.exitCode, `${op.name}, killed after step ${k}: ${crashed.stderr}`).toBe(
            -1,
          );
          const next = await ok(p.cli(op.command));
          expect(next.stdout + next.stderr, `${op.name}, killed after step ${k}`).toMatch(
            /was interrupted at step "[^"]+" (before|after) it took effect; (undid|finished) it/,
          );
          await expectSettled(p, op);
          covered += 1;
        }
      } finally {
        await p.remove();
      }
    },
    900_000,
  );
});
