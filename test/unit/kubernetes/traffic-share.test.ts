import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { canaryReplicas, canaryTrafficShare } from '../../../src/targets/replicas.js';

const DOC = readFileSync(join(import.meta.dirname, '../../../docs/kubernetes.md'), 'utf8');
/** The rows of docs/kubernetes.md's "real split" table: stable, percent, pods, share. */
const rows = [...DOC.matchAll(/^\| (\d+) \| (\d+) % \| (\d+) \| ([\d.]+) % \|$/gm)].map((m) =>
  m.slice(1).map(Number),
);

describe('the canary’s real share of requests with traffic by replicas', () => {
  test('docs/kubernetes.md tabulates it', () => {
    expect(rows.length).toBeGreaterThanOrEqual(5);
  });

  test.each(rows)(
    '%i stable at %i %: %i pods each, %f % of requests',
    (stable, percent, pods, share) => {
      expect(canaryReplicas(stable!, percent!)).toBe(pods);
      expect(canaryTrafficShare(stable!, percent!) * 100).toBeCloseTo(share!, 2);
    },
  );

  test('it is not the configured percent', () => {
    for (const stable of [4, 5, 10, 100])
      expect(canaryTrafficShare(stable, 10)).not.toBeCloseTo(0.1, 3);
  });
});
