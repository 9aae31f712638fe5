// The demo end to end (issue 10), as a newcomer runs it: `tsx demo/main.ts --json` on a private
// copy of the example, with the real Prometheus and Alertmanager. It asserts the story's
// outcome, what the GitHub stand-in recorded, and that no process outlives the demo.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { e2e } from '../../helpers/e2e.js';
import {
  demoRunner,
  expectIncident,
  expectStory,
  pgrep,
  survivors,
  taggedProcesses,
  type DemoRun,
} from './run-demo.js';

describe.skipIf(!e2e('prometheus', 'prometheus-alertmanager', 'pgrep'))('npm run demo', () => {
  const runner = demoRunner();
  let d: DemoRun;

  beforeAll(async () => {
    d = await runner.start([]);
  }, 420_000);
  afterAll(() => runner.remove());

  test('exits 0 and narrates with real Prometheus and Alertmanager and the labelled GitHub stand-in', () => {
    expect(d.exitCode, d.stderr.slice(-3000)).toBe(0);
    expect(d.stderr).toContain('real Prometheus at http://127.0.0.1:');
    expect(d.stderr).toContain('Alertmanager routes it to the bot');
    expect(d.stderr).toContain('LOCAL STAND-IN for github.com');
    expect(d.stderr).toMatch(/look +\d+ at +\d+s: /);
  });

  test('v1 deployed as stable, v2 passes and is promoted, v3 fails and is rolled back (v2 stays live); the incident rolls back to v1', () => {
    expectStory(d);
  });

  test('the bot opened one revert pull request and dispatched one rollback run', () => {
    expectIncident(d);
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
