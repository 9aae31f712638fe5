import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLI } from '../../helpers/cli.js';
import { recordLocalVerdict } from '../../helpers/gate-verdict.js';
import { markedProcesses, sample } from './helpers.js';
import { createProject, ok, type Project } from './tiny-project.js';

// The local target's promises under misuse and faults, through the bundled CLI.
describe('local target: evidence for promote, a taken port, kill -9 mid-promote', () => {
  let p: Project;
  beforeAll(async () => {
    p = await createProject();
  });
  afterAll(async () => {
    await p?.remove();
  }, 60_000);

  test('promote refuses without a passing gate for this very canary; --force needs --reason and is recorded', async () => {
    await p.reset();
    await ok(p.cli(['deploy', '--version', 'v1']));
    await ok(p.cli(['deploy', '--version', 'v2']));

    const none = await p.cli(['promote', '--json']);
    expect(none.exitCode).toBe(1);
    expect(none.json?.reason).toBe('no_passing_gate');
    expect(none.json?.message).toMatch(/no gate verdict is recorded for canary v2/);

    await recordLocalVerdict(p.dir, [], 'inconclusive');
    const inconclusive = await p.cli(['promote', '--json']);
    expect(inconclusive.exitCode).toBe(1);
    expect(inconclusive.json?.message).toMatch(
      /the gate's verdict for canary v2 .* is inconclusive/,
    );

    // A pass for an earlier canary of the same version does not count for a new one.
    await recordLocalVerdict(p.dir);
    await ok(p.cli(['rollback']));
    await ok(p.cli(['deploy', '--version', 'v2']));
    const stale = await p.cli(['promote', '--json']);
    expect(stale.exitCode).toBe(1);
    expect(stale.json?.message).toMatch(/no gate verdict is recorded|is for another canary/);
    expect(p.state().tracks.stable?.release.version).toBe('v1');

    const noReason = await p.cli(['promote', '--force', '--json']);
    expect(noReason.exitCode).toBe(2);
    expect(noReason.json?.message).toMatch(/--force needs --reason/);

    const forced = await p.cli(['promote', '--force', '--reason', 'hotfix for INC-42', '--json'], {
      GITHUB_ACTOR: 'octocat',
    });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(forced.json?.reason).toBe('promoted_without_gate');
    expect(forced.json?.message).toBe(
      'v2 is stable; promoted without a passing gate by octocat: hotfix for INC-42',
    );
    expect(p.state().tracks.stable?.release.version).toBe('v2');

    await ok(p.cli(['deploy', '--version', 'v3']));
    await recordLocalVerdict(p.dir);
    const passed = await p.cli(['promote', '--json']);
    expect(passed.exitCode, passed.stderr).toBe(0);
    expect(passed.json?.reason).toBe('promoted');
  }, 180_000);

  test('a deploy refused because the new front port is taken leaves the live front serving', async () => {
    await p.reset();
    await ok(p.cli(['deploy', '--version', 'v1']));
    const squatter = createServer((_req, res) => res.end('not ours'));
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as AddressInfo).port;
    try {
      const before = p.state();
      const run = await p.cli([
        'deploy',
        '--version',
        'v2',
        '--set',
        `deploy.local.port=${taken}`,
        '--json',
      ]);
      expect(run.exitCode).toBe(3);
      expect(run.json?.reason).toBe('port_in_use');
      expect((await sample(p.port, 20)).versions).toEqual({ v1: 20 });
      expect(run.json?.message).toMatch(new RegExp(`the front on port ${p.port} still serves`));
      expect(p.state().tracks).toEqual(before.tracks);
      expect(p.state().proxy).toEqual(before.proxy);
    } finally {
      squatter.close();
    }
  }, 120_000);

  test('kill -9 while promote stops the old tracks: the next promote finishes it, history keeps every release', async () => {
    // Its old tracks ignore SIGTERM: stopping them takes the grace period, the window to kill in.
    await p.reset();
    const stubborn = await createProject({ stubborn: true });
    try {
      await kill9MidPromote(stubborn);
    } finally {
      await stubborn.remove();
    }
  }, 180_000);
});

async function kill9MidPromote(p: Project): Promise<void> {
  await ok(p.cli(['deploy', '--version', 'v1']));
  await ok(p.cli(['deploy', '--version', 'v2']));
  await recordLocalVerdict(p.dir);
  await ok(p.cli(['promote']));
  await ok(p.cli(['deploy', '--version', 'v3']));
  await recordLocalVerdict(p.dir);

  const doomed = execa(process.execPath, [CLI, 'promote'], {
    cwd: p.dir,
    env: { MD_TEST_MARKER: p.marker },
    reject: false,
  });
  let switched = false;
  for (let i = 0; i < 400 && !switched; i++) {
    await sleep(25);
    try {
      const s = p.state();
      switched = s.tracks.stable?.release.version === 'v3' && !s.tracks.canary;
    } catch {
      // Renamed into place: absent for an instant, never half-written.
    }
  }
  expect(switched).toBe(true);
  doomed.kill('SIGKILL');
  await doomed;

  const next = await p.cli(['promote', '--json']);
  expect(next.exitCode, next.stderr).toBe(0);
  expect(next.stdout + next.stderr).toMatch(/a previous promote of v3 .* was interrupted/);
  expect(p.state().history.map((r) => r.version)).toEqual(['v1', 'v2', 'v3']);
  expect((await sample(p.port, 20)).versions).toEqual({ v3: 20 });
  const back = await p.cli(['rollback', '--json']);
  expect(back.exitCode, back.stderr).toBe(0);
  expect(back.json?.message).toBe('stable rolled back from v3 to v2');
  await p.reset();
  expect(markedProcesses(p.marker)).toEqual([]);
}
