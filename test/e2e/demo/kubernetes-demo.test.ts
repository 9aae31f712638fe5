// The demo on the kubernetes target (issue 17): `tsx demo/main.ts --target kubernetes --json
// --no-prometheus` on a private copy of the example. Every cluster call is the real kubectl
// against the Kubernetes API stand-in, whose kubelet runs the example server as pods; the
// gate scrapes the pods through the pod proxy and sends its traffic through the Service.
// This is also the kubernetes target's whole loop (deploy → gate → promote, a bad release
// caught and rolled back) with real traffic: it replaced test/integration/kubernetes/whole-loop.test.ts.
import { execa } from 'execa';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { releaseImage } from '../../../demo/kubernetes-target.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { e2e } from '../../helpers/e2e.js';
import {
  demoRunner,
  expectIncident,
  expectStory,
  pgrep,
  survivors,
  type DemoRun,
  type KubernetesFacts,
} from './run-demo.js';

describe.skipIf(!e2e('kubectl', 'pgrep'))('npm run demo -- --target kubernetes', () => {
  const runner = demoRunner();
  let d: DemoRun;
  let k8s: KubernetesFacts;

  beforeAll(async () => {
    d = await runner.start(['--target', 'kubernetes', '--no-prometheus']);
    k8s = d.run.kubernetes as KubernetesFacts;
  }, 420_000);
  afterAll(() => runner.remove());

  test('exits 0 and says what is real (kubectl, the pods as processes) and what is a stand-in (the API server)', () => {
    expect(d.exitCode, d.stderr.slice(-3000)).toBe(0);
    expect(d.run.target).toBe('kubernetes');
    expect(d.stderr).toMatch(/real: kubectl v1\.\d+/);
    expect(d.stderr).toContain('LOCAL STAND-IN for a Kubernetes API server');
    expect(d.stderr).toContain('LOCAL STAND-IN for github.com');
    expect(d.stderr).toContain('deployment.apps/classifier serverside-applied');
    // v2 and v3 go through deploy.steps 10 → 25 → 50 %: each look names its step; v2's pass
    // comes at the last step, with one judge's evidence carried across them.
    expect(d.stderr).toMatch(/look +\d+ at +\d+s \(10% each\): /);
    expect(d.stderr).toMatch(/look +\d+ at +\d+s \(50% each\): /);
    expect(d.stderr).toMatch(
      /gate: raised to 25% each after look \d+; the evidence so far carries on/,
    );
    expect(d.stderr).toMatch(/✔ gate v2 .* pass at step 50%/);
  });

  test("the local demo's JSON shape and story: v1 stable, v2 promoted, v3 caught and rolled back, v1 after the incident", () => {
    expect(Object.keys(d.json)).toEqual(['releases', 'incident']);
    expectStory(d);
  });

  test('v1 is the example manifests as applied by kubectl apply -k: four ready pods of v1', () => {
    const v1 = k8s.afterChapter.v1!;
    expect(v1.stable).toMatchObject({ image: 'ghcr.io/example/classifier:latest', version: 'v1' });
    expect(v1.pods.map((p) => [p.owner, p.version, p.ready])).toEqual(
      Array(4).fill(['classifier', 'v1', true]),
    );
  });

  test('the gate read the canary and baseline pods through the pod proxy; its traffic went through the Service', () => {
    expect(k8s.podProxyScrapes.canary).toBeGreaterThan(0);
    expect(k8s.podProxyScrapes.baseline).toBeGreaterThan(0);
    expect(k8s.servicePredictions).toBeGreaterThan(0);
  });

  // Promoted v2: its digest, its version label and release record, the lock released.
  const stableV2 = () => ({
    image: releaseImage('v2'),
    version: 'v2',
    release: 'v2',
    locked: false,
  });

  test('v2 promoted: stable runs its digest as four v2 pods, canary and baseline removed, the lock released', () => {
    const v2 = k8s.afterChapter.v2!;
    expect(v2.stable).toEqual(stableV2());
    expect(v2.deployments).toEqual(['classifier']);
    expect(v2.pods.map((p) => [p.owner, p.track, p.version, p.ready])).toEqual(
      Array(4).fill(['classifier', 'stable', 'v2', true]),
    );
  });

  test("v3 rolled back: stable untouched on v2's digest, canary and baseline gone, no lock", () => {
    const v3 = k8s.afterChapter.v3!;
    expect(v3.stable).toEqual(stableV2());
    expect(v3.deployments).toEqual(['classifier']);
    expect(v3.pods.every((p) => p.version === 'v2' && p.owner === 'classifier')).toBe(true);
  });

  test("the incident: the bot's revert PR and rollback run, carried out as stable back on v1's image", () => {
    expectIncident(d);
    expect(k8s.afterChapter.incident?.stable).toMatchObject({
      image: 'ghcr.io/example/classifier:latest',
      version: 'v1',
      locked: false,
    });
  });

  test('no pod process or helper is left behind', async () => {
    expect(d.run.processes.filter((p) => p.name.startsWith('pod classifier-canary-'))).not.toEqual(
      [],
    );
    expect(await survivors(d.run)).toEqual({ running: [], open: [] });
    expect(pgrep(d.run.marker)).toEqual([]);
  });
});

describe('npm run demo: a target it cannot run on', () => {
  const demo = (args: string[], env: Record<string, string> = {}) =>
    execa(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['demo/main.ts', ...args], {
      cwd: REPO_ROOT,
      reject: false,
      env,
    });

  test('an unknown --target exits 2 and names the choices, before anything starts', async () => {
    const r = await demo(['--target', 'kubernets']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--target kubernets: use one of local, kubernetes');
  });

  test('--target kubernetes without kubectl on PATH exits 3 and says what to install', async () => {
    // A PATH holding only node (tsx starts with `env node`): no kubectl there.
    const bin = mkdtempSync(join(tmpdir(), 'demo-path-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = await demo(['--target', 'kubernetes'], { PATH: bin }).finally(() =>
      rmSync(bin, { recursive: true, force: true }),
    );
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('the real kubectl, which is not on PATH');
  });
});
