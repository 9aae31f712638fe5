/**
 * How long each kubernetes-target operation takes with the real kubectl against the API
 * fake (controller delay 50 ms per step), how many kubectl runs and HTTP requests it makes.
 * The fake is nearly free, so this is kubectl's own cost: process start, discovery (first
 * call only; cached after), the requests themselves.
 *
 *   npm run -s bench:kubernetes            # 5 rounds
 *   npx tsx bench/kubernetes/target-operations.ts 10
 */
import { startHarness } from '../../test/fakes/kubernetes/harness.js';
import type { DeployTarget, Release } from '../../src/targets/types.js';

const rounds = Number(process.argv[2] ?? 5);
const samples = new Map<string, { ms: number[]; runs: number; requests: number }>();

const h = await startHarness();
try {
  const target: DeployTarget = h.target({ timeoutMs: 2000 });
  async function op(
    name: string,
    fn: () => Promise<unknown>,
    expectFailure = false,
  ): Promise<void> {
    const from = h.fake.calls.length;
    const started = performance.now();
    const failed = await fn().then(
      () => false,
      () => true,
    );
    if (failed !== expectFailure)
      throw new Error(`${name}: ${failed ? 'failed' : 'succeeded'} unexpectedly`);
    const calls = h.fake.calls.slice(from);
    const entry = samples.get(name) ?? { ms: [], runs: 0, requests: 0 };
    entry.ms.push(performance.now() - started);
    entry.runs = new Set(calls.map((c) => c.session).filter(Boolean)).size;
    entry.requests = calls.length;
    samples.set(name, entry);
  }
  await op('status (cold discovery cache)', () => target.status());
  for (let i = 0; i < rounds; i += 1) {
    const release: Release = {
      version: `v${i + 2}`,
      sha: '',
      image: `ghcr.io/example/classifier:v${i + 2}`,
    };
    await op('status', () => target.status());
    await op('deploy', () => target.deployCanary(release));
    await op('promote', () => target.promote());
    await target.deployCanary({
      ...release,
      version: `${release.version}b`,
      image: `${release.image}b`,
    });
    await op('abort', () => target.abort());
    await op('rollback (recorded previous)', () => target.rollback());
    await op(
      'failed deploy (bad image, timeout 2s)',
      () => target.deployCanary({ ...release, image: 'ghcr.io/example/classifier:bad' }),
      true,
    );
  }
} finally {
  await h.close();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
console.log(
  `kubectl ${h.fake.calls.find((c) => c.userAgent?.startsWith('kubectl/'))?.userAgent?.split(' ')[0] ?? '?'}, ${rounds} rounds`,
);
console.log('| operation | median ms | max ms | kubectl runs | requests |\n|---|---|---|---|---|');
for (const [name, s] of samples) {
  console.log(
    `| ${name} | ${Math.round(median(s.ms))} | ${Math.round(Math.max(...s.ms))} | ${s.runs} | ${s.requests} |`,
  );
}
