// The demo end to end (issue 10), as a newcomer runs it: `tsx demo/main.ts --json` on a private
// copy of the example, with the real Prometheus and Alertmanager. It asserts the story's
// outcome, what the GitHub stand-in recorded, and that no process outlives the demo.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { e2e } from '../../helpers/e2e.js';
import { demoRunner, pgrep, survivors, taggedProcesses, type DemoRun } from './run-demo.js';

describe.skipIf(!e2e('prometheus', 'prometheus-alertmanager', 'pgrep'))('npm run demo', () => {
  const runner = demoRunner();
  let d: DemoRun;

  beforeAll(async () => {
    d = await runner.start([]);
  }, 300_000);
  afterAll(() => runner.remove());

  test('exits 0 and narrates with real Prometheus and Alertmanager and the labelled GitHub stand-in', () => {
    expect(d.exitCode, d.stderr.slice(-3000)).toBe(0);
    expect(d.stderr).toContain('real Prometheus at http://127.0.0.1:');
    expect(d.stderr).toContain('Alertmanager routes it to the bot');
    expect(d.stderr).toContain('LOCAL STAND-IN for github.com');
    expect(d.stderr).toMatch(/look +\d+ at +\d+s: /);
  });

  test('the three verdicts: v1 deployed as stable, v2 passes and is promoted, v3 fails and is rolled back', () => {
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
      /✖ gate v3 .* fail: error_rate is (beyond its bound|worse than the baseline)/,
    );
  });

  test('v2 is live after the v3 rollback; the incident rolls stable back to v1', () => {
    expect(d.run.liveAfter).toEqual({ v1: 'v1', v2: 'v2', v3: 'v2', incident: 'v1' });
    const byVersion = Object.fromEntries(d.github.deployments.map((x) => [x.version, x.statuses]));
    expect(byVersion.v3).toEqual(['in_progress', 'failure']);
    expect(byVersion.v2).toContain('success');
  });

  test('the bot opened one revert pull request and dispatched one rollback run', () => {
    expect(d.github.revertPullRequests).toHaveLength(1);
    expect(d.github.dispatches).toHaveLength(1);
    expect(d.json.incident.revertPullRequest).toBe(d.github.revertPullRequests[0]?.number);
    expect(d.json.incident.dispatched).toBe('rollback.yml');
    expect(d.github.dispatches[0]?.inputs.environment).toBe('production');
    expect(d.json.incident.secondsToActions).toBeGreaterThan(0);
  });

  test('no process is left behind', async () => {
    const names = d.run.processes.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['prometheus', 'alertmanager', 'bot', 'front proxy', 'canary v3']),
    );
    expect(await survivors(d.run)).toEqual({ running: [], open: [] });
    expect(pgrep(d.run.marker)).toEqual([]);
    expect(taggedProcesses(d.run.localState as string)).toEqual([]);
  });
});
