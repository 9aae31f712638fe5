import { execa } from 'execa';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLI } from '../../helpers/cli.js';
import {
  createSandbox,
  groupOf,
  isAlive,
  markedProcesses,
  sample,
  type Sandbox,
} from './helpers.js';

// What survives between CLI calls and what a killed call leaves behind.
describe('local target: interrupted and separate calls', () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await createSandbox('deploy-crash');
  }, 120_000);
  afterAll(async () => {
    await box?.remove();
  }, 60_000);

  test('kill -9 of a CLI mid-deploy: the next call reports it, stops what it started, and deploys', async () => {
    expect((await box.cli(['deploy', '--version', 'v1'])).exitCode).toBe(0);
    const stable = box.state().tracks.stable!;

    const env: Record<string, string | undefined> = { ...process.env, MD_TEST_MARKER: box.marker };
    for (const key of Object.keys(env)) if (key.startsWith('GITHUB_')) delete env[key];
    const doomed = execa(
      process.execPath,
      [CLI, 'deploy', '--version', 'v2', '--set', `deploy.local.port=${box.port}`],
      {
        cwd: box.dir,
        env,
        extendEnv: false,
        reject: false,
      },
    );
    // Wait until the call has started its processes but not committed them.
    let pending: number[] = [];
    for (let i = 0; i < 200 && pending.length === 0; i++) {
      await sleep(25);
      try {
        pending = box.state().pending.map((p) => p.pid);
      } catch {
        // The state is replaced by rename: never half-written, but it may be absent for a moment.
      }
    }
    expect(pending.length).toBeGreaterThan(0);
    doomed.kill('SIGKILL');
    await doomed;
    expect(box.state().pending.length).toBeGreaterThan(0);

    const next = await box.cli(['deploy', '--version', 'v2', '--json']);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.stdout + next.stderr).toMatch(
      /a previous deploy of v2 \(started \S+\) was interrupted at step "[^"]+" before it took effect; undid it: stopped the processes it had started \(pids [\d, ]+\)/,
    );
    for (const pid of pending) expect(isAlive(pid), `pid ${pid} from the killed call`).toBe(false);
    expect(box.state().pending).toEqual([]);
    expect(box.state().tracks.stable).toEqual(stable); // stable was never touched
    expect(Object.keys(box.state().tracks).sort()).toEqual(['baseline', 'canary', 'stable']);
    // Nothing else is left running: each marked process belongs to a recorded track or the proxy.
    const recorded = [
      box.state().proxy!.pid,
      ...Object.values(box.state().tracks).map((t) => t.pid),
    ];
    for (const pid of markedProcesses(box.marker)) expect(recorded).toContain(groupOf(pid));

    await box.pass();

    const promoted = await box.cli(['promote']);
    expect(promoted.exitCode, promoted.stderr).toBe(0);
    expect((await sample(box.port, 20)).versions).toEqual({ v2: 20 });
  }, 120_000);

  test('a stable process that died is reported and restarted by the next deploy', async () => {
    const stable = box.state().tracks.stable!;
    process.kill(-stable.pid, 'SIGKILL');
    for (let i = 0; i < 100 && isAlive(stable.pid); i++) await sleep(20);

    const next = await box.cli(['deploy', '--version', 'v3', '--json']);
    expect(next.exitCode, next.stderr).toBe(0);
    const warnings = (next.json?.details.status as { warnings: string[] }).warnings;
    expect(warnings).toContainEqual(
      expect.stringMatching(
        new RegExp(`the stable process \\(pid ${stable.pid}, v2\\) is no longer running`),
      ),
    );
    expect(warnings).toContainEqual(
      'restarted the stable process for v2, which was no longer running',
    );
    expect(box.state().tracks.stable?.release.version).toBe('v2');
    expect(box.state().tracks.canary?.release.version).toBe('v3');
  }, 120_000);

  test('a second deploy while a canary is in flight exits 1 naming it; --force does not break a fresh one', async () => {
    const again = await box.cli(['deploy', '--version', 'v4', '--json']);
    expect(again.exitCode).toBe(1);
    expect(again.json?.reason).toBe('canary_in_progress');
    expect(again.json?.message).toMatch(
      /the canary v3 has been in flight since \S+; promote or roll it back first/,
    );
    const forced = await box.cli(['deploy', '--version', 'v4', '--force', '--json']);
    expect(forced.exitCode).toBe(1);
    expect(forced.json?.message).toMatch(
      /--force breaks it only when it is older than deploy\.timeout \(5m/,
    );
    const old = await box.cli([
      'deploy',
      '--version',
      'v4',
      '--force',
      '--set',
      'deploy.timeout=0s',
      '--json',
    ]);
    expect(old.exitCode, old.stderr).toBe(0);
    expect(box.state().tracks.canary?.release.version).toBe('v4');

    expect((await box.cli(['stop'])).exitCode).toBe(0);
    expect(markedProcesses(box.marker)).toEqual([]);
  }, 120_000);
});
