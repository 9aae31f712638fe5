import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSandbox, markedProcesses, sample, type Sandbox } from './helpers.js';

// The local target with the real example server, driven through the bundled CLI
// (npm run bundle first): every call is its own process, as in a workflow.
describe('local target: deploy, promote, rollback, stop', () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await createSandbox('deploy-local');
  }, 120_000);
  afterAll(async () => {
    await box?.remove();
  }, 60_000);

  test('the whole life of a release on the front port', async () => {
    const first = await box.cli(['deploy', '--version', 'v1', '--json']);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.json?.reason).toBe('deployed_as_stable');
    expect((await sample(box.port, 20)).versions).toEqual({ v1: 20 });

    const canary = await box.cli(['deploy', '--version', 'v2', '--json']);
    expect(canary.exitCode, canary.stderr).toBe(0);
    expect(canary.json?.reason).toBe('canary_deployed');
    const status = (canary.json?.details.status ?? {}) as {
      tracks: Array<{ track: string; metricsUrls: string[] }>;
      frontUrl: string;
    };
    expect(status.frontUrl).toBe(`http://127.0.0.1:${box.port}`);
    expect(status.tracks.map((t) => t.track).sort()).toEqual(['baseline', 'canary', 'stable']);
    for (const t of status.tracks)
      expect(t.metricsUrls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

    // 10 % each: over 1,000 requests the count is Binomial(1000, 0.1), sd ≈ 9.5; ±5 sd.
    const split = await sample(box.port, 1000);
    expect(split.tracks.canary).toBeGreaterThanOrEqual(100 - 48);
    expect(split.tracks.canary).toBeLessThanOrEqual(100 + 48);
    expect(split.tracks.baseline).toBeGreaterThanOrEqual(100 - 48);
    expect(split.tracks.baseline).toBeLessThanOrEqual(100 + 48);
    expect(split.versions.v2).toBe(split.tracks.canary);
    expect(split.tracks.canary! + split.tracks.baseline! + split.tracks.stable!).toBe(1000);

    // Each track labels its own metrics, so the gate can tell them apart.
    const metrics = await (
      await fetch(status.tracks.find((t) => t.track === 'canary')!.metricsUrls[0]!)
    ).text();
    expect(metrics).toMatch(
      /predictions_total\{[^}]*version="v2"[^}]*track="canary"|predictions_total\{[^}]*track="canary"[^}]*version="v2"/,
    );

    await box.pass();

    const promoted = await box.cli(['promote', '--json']);
    expect(promoted.exitCode, promoted.stderr).toBe(0);
    expect(await sample(box.port, 50)).toEqual({ tracks: { stable: 50 }, versions: { v2: 50 } });

    const v3 = await box.cli(['deploy', '--version', 'v3']);
    expect(v3.exitCode, v3.stderr).toBe(0);
    const rolledBack = await box.cli(['rollback', '--json']);
    expect(rolledBack.exitCode, rolledBack.stderr).toBe(0);
    expect(rolledBack.json?.reason).toBe('canary_aborted');
    expect(await sample(box.port, 50)).toEqual({ tracks: { stable: 50 }, versions: { v2: 50 } });

    // No canary in flight: rollback takes stable back to the release before it.
    const previous = await box.cli(['rollback', '--json']);
    expect(previous.exitCode, previous.stderr).toBe(0);
    expect(previous.json?.reason).toBe('rolled_back');
    expect((await sample(box.port, 20)).versions).toEqual({ v1: 20 });
    const explicit = await box.cli(['rollback', '--to', 'v2']);
    expect(explicit.exitCode, explicit.stderr).toBe(0);
    expect((await sample(box.port, 20)).versions).toEqual({ v2: 20 });

    const pids = [box.state().proxy!.pid, box.state().tracks.stable!.pid];
    expect(markedProcesses(box.marker).length).toBeGreaterThanOrEqual(3); // proxy, tsx, node
    const stopped = await box.cli(['stop', '--json']);
    expect(stopped.exitCode, stopped.stderr).toBe(0);
    expect(
      (stopped.json?.details.stopped as Array<{ pid: number }>).map((s) => s.pid).sort(),
    ).toEqual(pids.sort());
    expect(markedProcesses(box.marker)).toEqual([]);
    expect(box.state().tracks).toEqual({});
    await expect(fetch(`http://127.0.0.1:${box.port}/version`)).rejects.toThrow();
  }, 240_000);

  test('each release runs with the env it was deployed with, as canary, baseline and stable', async () => {
    const variantOf = (track: 'stable' | 'baseline' | 'canary') => {
      const pid = box.state().tracks[track]?.pid;
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      return environ.find((e) => e.startsWith('MODEL_VARIANT='))?.slice('MODEL_VARIANT='.length);
    };
    const plain = await box.cli([
      'deploy',
      '--version',
      'env-a',
      '--force',
      '--set',
      'deploy.timeout=0s',
    ]);
    expect(plain.exitCode, plain.stderr).toBe(0);
    if (box.state().tracks.canary) {
      await box.pass();
      const promoted = await box.cli(['promote']);
      expect(promoted.exitCode, promoted.stderr).toBe(0);
    }
    const bad = await box.cli([
      'deploy',
      '--version',
      'env-b',
      '--set',
      'deploy.local.env.MODEL_VARIANT=slow',
    ]);
    expect(bad.exitCode, bad.stderr).toBe(0);
    expect(variantOf('canary')).toBe('slow');
    // The baseline is the stable release, so it runs with stable's env, not the new one's.
    expect(variantOf('baseline')).toBeUndefined();
    await box.pass();
    const promoted = await box.cli(['promote']);
    expect(promoted.exitCode, promoted.stderr).toBe(0);
    expect(variantOf('stable')).toBe('slow');
    const rolledBack = await box.cli(['rollback', '--to', 'env-a']);
    expect(rolledBack.exitCode, rolledBack.stderr).toBe(0);
    expect(variantOf('stable')).toBeUndefined();
  }, 180_000);

  test('a canary that never becomes ready is removed and stable is untouched', async () => {
    expect((await box.cli(['stop'])).exitCode).toBe(0);
    expect((await box.cli(['deploy', '--version', 'v1'])).exitCode).toBe(0);
    const stableBefore = box.state().tracks.stable!;
    const failed = await box.cli([
      'deploy',
      '--version',
      'v9',
      '--set',
      'deploy.local.readyPath=/nope',
      '--set',
      'deploy.local.readyTimeout=2s',
      '--json',
    ]);
    expect(failed.exitCode).toBe(1);
    expect(failed.json?.reason).toBe('not_ready');
    expect(failed.json?.message).toMatch(
      /was not ready at http:\/\/127\.0\.0\.1:\d+\/nope within deploy\.local\.readyTimeout \(2(\.0)?s\)/,
    );
    expect(box.state().tracks).toEqual({ stable: stableBefore });
    expect(box.state().pending).toEqual([]);
    expect((await sample(box.port, 20)).versions).toEqual({ v1: 20 });
    expect((await box.cli(['stop'])).exitCode).toBe(0);
    expect(markedProcesses(box.marker)).toEqual([]);
  }, 120_000);

  test('a front port taken by another program: exit 3 naming the port, nothing started', async () => {
    expect((await box.cli(['stop'])).exitCode).toBe(0);
    const squatter = createServer((_req, res) => res.end('not ours'));
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as AddressInfo).port;
    try {
      const run = await box.cli([
        'deploy',
        '--version',
        'v1',
        '--set',
        `deploy.local.port=${taken}`,
        '--json',
      ]);
      expect(run.exitCode).toBe(3);
      expect(run.json?.reason).toBe('port_in_use');
      expect(run.json?.message).toBe(
        `deploy.local.port ${taken} is in use by another program; stop it, or set deploy.local.port to a free port (0 picks one)`,
      );
      expect(box.state().tracks).toEqual({});
      expect(box.state().proxy).toBeUndefined();
      expect(markedProcesses(box.marker)).toEqual([]);
    } finally {
      squatter.close();
    }
  }, 60_000);
});
