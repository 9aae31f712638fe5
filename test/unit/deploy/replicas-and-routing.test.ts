import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { pickTrack, routesOf, type Routes } from '../../../src/targets/local-proxy.js';
import { emptyState } from '../../../src/targets/local-state.js';
import { canaryReplicas } from '../../../src/targets/replicas.js';

describe('canaryReplicas', () => {
  test.each([
    [10, 10, 1],
    [10, 25, 3], // 2.5 rounds half up
    [4, 10, 1], // 0.4 rounds to 0, at least 1
    [1, 50, 1], // 0.5 rounds up
    [20, 50, 10],
    [3, 10, 1],
    [0, 10, 1], // no stable replicas: still one to compare
    [100, 1, 1],
    [7, 30, 2], // 2.1
  ])('stable %i at %i%% → %i', (stable, percent, expected) => {
    expect(canaryReplicas(stable, percent)).toBe(expected);
  });

  test.each([
    [-1, 10],
    [3, 0],
    [3, 101],
    [Number.NaN, 10],
  ])('rejects stable %s, percent %s', (stable, percent) => {
    expect(() => canaryReplicas(stable, percent)).toThrow(RangeError);
  });

  test('never below 1 and never above stable when percent ≤ 50 and stable ≥ 2', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 500 }),
        fc.integer({ min: 1, max: 50 }),
        (stable, percent) => {
          const n = canaryReplicas(stable, percent);
          expect(n).toBeGreaterThanOrEqual(1);
          expect(n).toBeLessThanOrEqual(stable);
        },
      ),
    );
  });
});

describe('pickTrack', () => {
  const all: Routes = { percent: 10, ports: { stable: 1, baseline: 2, canary: 3 } };
  test.each([
    [all, 0, 'canary'],
    [all, 9.99, 'canary'],
    [all, 10, 'baseline'],
    [all, 19.99, 'baseline'],
    [all, 20, 'stable'],
    [all, 99.9, 'stable'],
    [{ percent: 50, ports: { stable: 1, baseline: 2, canary: 3 } }, 99.9, 'baseline'],
    [{ percent: 10, ports: { stable: 1 } }, 0, 'stable'],
    [{ percent: 10, ports: {} }, 0, undefined],
    [{ percent: 10, ports: { canary: 3 } }, 50, 'canary'],
  ] as const)('%j at r=%d → %s', (routes, r, expected) => {
    expect(pickTrack(routes, r)).toBe(expected);
  });

  test('the canary and baseline each get percent% of uniform draws', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), (percent) => {
        const routes: Routes = { percent, ports: { stable: 1, baseline: 2, canary: 3 } };
        const counts = { stable: 0, baseline: 0, canary: 0 };
        for (let i = 0; i < 1000; i++)
          counts[pickTrack(routes, (i + 0.5) / 10) as keyof typeof counts]++;
        expect(counts.canary).toBe(percent * 10);
        expect(counts.baseline).toBe(percent * 10);
        expect(counts.stable).toBe(1000 - 20 * percent);
      }),
    );
  });

  test('routesOf reads the ports of the tracks in the state', () => {
    const state = emptyState(15);
    state.tracks.stable = {
      track: 'stable',
      pid: 1,
      port: 4001,
      logFile: 'x',
      startedAt: '',
      release: { version: 'v1', sha: '', image: 'local:v1' },
    };
    expect(routesOf(state)).toEqual({ percent: 15, ports: { stable: 4001 } });
  });
});
