/**
 * The kubernetes target's operations against the API fake with the real kubectl, each as a
 * RATIO to a bare `kubectl apply` of the same manifests (the example's k8s/, rendered once,
 * with a new image each run so every apply is a real change) in the same run: the median of
 * N runs of each, interleaved so a busy machine slows both alike. The fake is nearly free,
 * so the figures are kubectl's own cost (process start, requests, watches) and the fake's
 * simulated controller (50 ms a step), not a real cluster's.
 *
 *   npm run -s bench:kubernetes                 # 5 runs
 *   npm run -s bench:kubernetes -- --runs 10
 *
 * Progressive steps: after deploy (at 10 %), a row per step of `deploy.steps: [10, 25, 50]`
 * raised by the target's `setTrafficShare` (replica counts here: with the example's stable
 * of 3 replicas, 25 % keeps canary and baseline at 1 replica each, 50 % scales them to 2).
 */
import { execa } from 'execa';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readReleaseManifests } from '../../src/targets/kubernetes-manifest-files.js';
import type { DeployTarget, Release } from '../../src/targets/types.js';
import { NAMESPACE, startHarness } from '../../test/fakes/kubernetes/harness.js';
import { recordVerdict } from '../../test/helpers/gate-verdict.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench:kubernetes: --runs ${values.runs}: a whole number of runs, 1 or more`);
  process.exit(2);
}

const EXAMPLE = join(import.meta.dirname, '../../examples/classifier');
/** The bare applies go to a namespace of their own, so they never touch the target's Deployments. */
const BARE = 'bare';
const BARE_APPLY = 'kubectl apply (bare)';

interface Sample {
  ms: number[];
  runs: number;
  requests: number;
}
const samples = new Map<string, Sample>();

const h = await startHarness({ namespaces: [NAMESPACE, BARE] });
try {
  const target: DeployTarget = h.target({
    timeoutMs: 30_000,
    manifests: () =>
      readReleaseManifests(
        EXAMPLE,
        { manifests: ['k8s'], deployment: 'classifier', container: 'model', namespace: NAMESPACE },
        h.kubectl,
      ),
  });
  const kubectl = (args: string[], input?: string) =>
    execa('kubectl', [`--kubeconfig=${h.kubeconfig}`, `--namespace=${BARE}`, ...args], {
      env: h.env,
      extendEnv: false,
      input,
    });
  const rendered = (await kubectl(['kustomize', join(EXAMPLE, 'k8s')])).stdout;

  async function op(name: string, fn: () => Promise<unknown>): Promise<void> {
    const from = h.fake.calls.length;
    const started = performance.now();
    await fn();
    const ms = performance.now() - started;
    const calls = h.fake.calls.slice(from);
    const entry = samples.get(name) ?? { ms: [], runs: 0, requests: 0 };
    entry.ms.push(ms);
    entry.runs = new Set(calls.map((c) => c.session).filter(Boolean)).size;
    entry.requests = calls.length;
    samples.set(name, entry);
  }

  // Discovery is cached after kubectl's first call: warm it so no row pays it alone.
  await target.status();
  await kubectl(['get', 'deployments']);
  for (let i = 0; i < runs; i += 1) {
    const digest = (c: string) => `sha256:${c.repeat(64)}`;
    const release = (version: string, d: string): Release => ({
      version,
      sha: '',
      image: `ghcr.io/example/classifier@${d}`,
      digest: d,
    });
    const image = `ghcr.io/example/classifier:bare-${i}`;
    const manifests = rendered.replace(/image: \S+/g, `image: ${image}`);
    await op(BARE_APPLY, () =>
      kubectl(['apply', '--server-side', '--validate=false', '-f', '-'], manifests),
    );
    await op('kubectl apply + rollout status (bare)', async () => {
      await kubectl(
        ['apply', '--server-side', '--validate=false', '-f', '-'],
        manifests.replace(image, `${image}-b`),
      );
      await kubectl(['rollout', 'status', 'deployment/classifier', '--timeout=60s']);
    });
    await op('deploy (canary + baseline, rolled out)', () =>
      target.deployCanary(release(`v${i}a`, digest(String(i % 10)))),
    );
    for (const percent of [25, 50])
      await op(`step to ${percent}% (setTrafficShare)`, () => target.setTrafficShare(percent));
    await recordVerdict(target);
    await op('promote', () => target.promote());
    await target.deployCanary(release(`v${i}b`, digest('f')));
    await op('abort', () => target.abort());
    await op('rollback (to the recorded previous)', () => target.rollback());
  }
} finally {
  await h.close();
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const bare = median(samples.get(BARE_APPLY)?.ms ?? [NaN]);
console.log(
  `kubectl ${h.fake.calls.find((c) => c.userAgent?.startsWith('kubectl/'))?.userAgent?.split(' ')[0] ?? '?'} against the API fake, ${runs} run(s) each; ratio = median / median of a bare kubectl apply (${Math.round(bare)} ms)`,
);
console.log(
  '| operation | ratio to bare apply | median ms | max ms | kubectl runs | requests |\n|---|---|---|---|---|---|',
);
for (const [name, s] of samples) {
  const m = median(s.ms);
  console.log(
    `| ${name} | ${(m / bare).toFixed(2)} | ${Math.round(m)} | ${Math.round(Math.max(...s.ms))} | ${s.runs} | ${s.requests} |`,
  );
}
