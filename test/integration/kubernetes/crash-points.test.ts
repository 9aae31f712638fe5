import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { JOURNAL_ANNOTATION } from '../../../src/targets/kubernetes-journal.js';
import { ANNOTATION, readLock, readRelease } from '../../../src/targets/kubernetes-manifests.js';
import type { Release } from '../../../src/targets/types.js';
import { e2e } from '../../helpers/e2e.js';
import { recordVerdict } from '../../helpers/gate-verdict.js';
import { startHarness, type Harness } from '../../fakes/kubernetes/harness.js';

/**
 * The API fails (500) at every write of every operation in turn: each PATCH, POST, PUT and
 * DELETE kubectl sends. After the failure and the next natural command (the same one
 * again), exactly one release runs as stable and it is the expected one, the previous
 * release is recorded and is not the current one, no canary or baseline is left over, and
 * the lock and the journal are gone (or, after a deploy, held by the canary in flight).
 */
const WRITES = /^(POST|PUT|PATCH|DELETE)$/;
const release = (v: string): Release => ({
  version: v,
  sha: v.repeat(20).slice(0, 40),
  image: `ghcr.io/example/classifier:${v}`,
});

interface Expect {
  stable: string;
  previous?: string;
  canary?: string;
}

interface Operation {
  name: string;
  /** Brings the cluster to the operation's starting state; returns what must hold after it. */
  setup(h: Harness, round: number): Promise<Expect>;
  run(h: Harness): Promise<unknown>;
}

const OPERATIONS: Operation[] = [
  {
    name: 'deploy',
    setup: async (h) => {
      await h.target().abort();
      return { stable: 'v1', canary: 'v2' };
    },
    run: (h) => h.target().deployCanary(release('v2')),
  },
  {
    name: 'promote',
    setup: async (h, round) => {
      const before = readRelease(h.deployment('classifier')!)?.version ?? 'v1';
      const next = `p${round}`;
      await h.target().deployCanary(release(next));
      await recordVerdict(h.target());
      return { stable: next, previous: before };
    },
    run: (h) => h.target().promote(),
  },
  {
    name: 'abort',
    setup: async (h) => {
      await h.target().deployCanary(release('v2'));
      return { stable: 'v1' };
    },
    run: (h) => h.target().abort(),
  },
  {
    name: 'rollback',
    setup: async (h) => {
      await h.target().deployCanary(release('v2'));
      await recordVerdict(h.target());
      await h.target().promote();
      return { stable: 'v1', previous: 'v2' };
    },
    run: (h) => h.target().rollback(),
  },
];

function expectSettled(h: Harness, want: Expect): void {
  const stable = h.deployment('classifier')!;
  const image = stable.spec.template.spec.containers[0]?.image;
  expect(image).toBe(
    want.stable === 'v1' ? 'ghcr.io/example/classifier:latest' : release(want.stable).image,
  );
  expect(readRelease(stable)?.version ?? 'v1').toBe(want.stable);
  if (want.previous) {
    expect(readRelease(stable, ANNOTATION.previous)?.version).toBe(want.previous);
    expect(want.previous).not.toBe(want.stable);
  }
  expect(stable.metadata.annotations?.[JOURNAL_ANNOTATION.operation]).toBeUndefined();
  if (want.canary) {
    expect(readLock(stable)).toBeDefined();
    expect(readRelease(h.deployment('classifier-canary')!)?.version).toBe(want.canary);
    expect(h.deployment('classifier-baseline')).toBeDefined();
  } else {
    expect(readLock(stable)).toBeUndefined();
    expect(h.deployment('classifier-canary')).toBeUndefined();
    expect(h.deployment('classifier-baseline')).toBeUndefined();
  }
}

const writesSince = (h: Harness, from: number) =>
  h.fake.calls.slice(from).filter((c) => WRITES.test(c.method));

describe.skipIf(!e2e('kubectl'))('kubernetes target: an API error at every write', () => {
  let covered = 0;
  afterAll(() => {
    console.info(`kubernetes crash points covered: ${covered}`);
  });

  describe.each(OPERATIONS)('$name', (op) => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
    });
    afterAll(async () => {
      await h?.close();
    });

    test('fails at each write, then the same command again settles it', async () => {
      let round = 0;
      const want = await op.setup(h, round++);
      const from = h.fake.calls.length;
      await op.run(h);
      const writes = writesSince(h, from);
      expect(writes.length).toBeGreaterThanOrEqual(2);
      expectSettled(h, want);

      for (let k = 0; k < writes.length; k++) {
        const expected = await op.setup(h, round++);
        const before = h.fake.calls.length;
        h.fake.inject({ method: WRITES, path: '/deployments', skip: k, status: 500 });
        const failed = await op.run(h).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(
          failed,
          `a 500 on write ${k + 1} (${writes[k]?.method} ${writes[k]?.path})`,
        ).toBeInstanceOf(Error);
        expect(h.fake.calls.slice(before).filter((c) => c.status === 500)).toHaveLength(1);
        // The lock is released only once canary and baseline are gone.
        if (h.deployment('classifier-canary') || h.deployment('classifier-baseline'))
          expect(readLock(h.deployment('classifier')!), `lock after write ${k + 1}`).toBeDefined();
        await op.run(h);
        expectSettled(h, expected);
        covered += 1;
      }
    }, 300_000);
  });
});
