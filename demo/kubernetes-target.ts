// The demo on the kubernetes target (issue 17): every stage runs the real kubectl against
// the Kubernetes API stand-in (test/fakes/kubernetes: an API server fake that validates what
// kubectl sends), whose kubelet runs each pod as a local process of the example server.
// v1 is the example's manifests applied with `kubectl apply -k`, as docs/kubernetes.md
// bootstraps a cluster; v2 and v3 go through `model-delivery deploy` with those manifests.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createActionOctokit, parseRepository } from '../src/github/action-octokit.js';
import { ReleaseLedger } from '../src/github/deployments.js';
import { readLock, readRelease, type Deployment } from '../src/targets/kubernetes-manifests.js';
import { exampleServerImage } from '../test/fakes/kubernetes/example-pods.js';
import { startKubernetesFake, type KubernetesFake } from '../test/fakes/kubernetes/server.js';
import type { JsonObject } from '../test/fakes/kubernetes/patches.js';
import type { Narrator } from './narrator.js';
import { isAlive, sleep } from './processes.js';
import type { DemoTarget, LedgerAccess, ProcessNote } from './target.js';

const run = promisify(execFile);

export const NAMESPACE = 'models';
const DEPLOYMENT = 'classifier';
const REPOSITORY_IMAGE = 'ghcr.io/example/classifier';

/**
 * Progressive steps for v2 and v3: the gate raises canary and baseline from 10 % to 25 % to
 * 50 % (replica counts here), one judge carrying its evidence across the steps. A step lasts
 * one look (4 s), so v2's pass comes once the 50 % step has run, within the demo's 24 s.
 */
export const KUBERNETES_STEPS: string[] = ['deploy.steps=[10, 25, 50]', 'deploy.stepDuration=4s'];

/** What a chapter left in the cluster, for run.json (the e2e test reads it). */
interface ClusterSnapshot {
  stable: { image: string; version: string; release: string | null; locked: boolean } | null;
  deployments: string[];
  pods: { owner: string; track: string; version: string; ready: boolean }[];
}

/** The image a release of the demo ships (the digest stands for its build). */
export function releaseImage(version: string): string {
  return `${REPOSITORY_IMAGE}@sha256:${createHash('sha256').update(`classifier ${version}`).digest('hex')}`;
}

export interface KubernetesTargetOptions {
  repoRoot: string;
  exampleDir: string;
  runDir: string;
  env: Record<string, string | undefined>;
}

export function kubernetesTarget(o: KubernetesTargetOptions): DemoTarget {
  const dir = join(o.runDir, 'kubernetes');
  const kubeconfig = join(dir, 'kubeconfig');
  const kubectlEnv = {
    PATH: o.env.PATH ?? '',
    HOME: dir,
    KUBECONFIG: kubeconfig,
    // A discovery cache of its own: the stand-in's port changes every run.
    KUBECACHEDIR: join(dir, 'cache'),
  };
  // The images of bad builds: the kubelet runs them with MODEL_VARIANT=errors.
  const bad = new Set<string>();
  const snapshots: Record<string, ClusterSnapshot> = {};
  let fake: KubernetesFake | undefined;
  let kubectlVersion = '?';
  let front = '';

  const kubectl = async (args: string[]) =>
    (await run('kubectl', args, { env: kubectlEnv, timeout: 120_000 })).stdout.trim();
  const cluster = () => {
    if (!fake) throw new Error('the Kubernetes API stand-in is not running');
    return fake;
  };

  return {
    name: 'kubernetes',
    headline: `kubernetes (the real kubectl; the API server is a local stand-in whose pods are processes), namespace ${NAMESPACE}`,
    // Each look lists each track's pods and reads each pod through kubectl (a process per
    // call): looking every 4 s instead of 2 s halves that work for the same evidence.
    scrapeInterval: '4s',
    overrides: () => [
      'deploy.target=kubernetes',
      'deploy.timeout=60s',
      `deploy.kubernetes.namespace=${NAMESPACE}`,
      `deploy.kubernetes.kubeconfig=${kubeconfig}`,
      // The gate's traffic and the demo's "what is live" go through the Service, as users' do.
      `deploy.url=${front}`,
      ...KUBERNETES_STEPS,
    ],
    env: () => ({ KUBECACHEDIR: kubectlEnv.KUBECACHEDIR }),
    async cleanSlate() {
      // Each run starts its own stand-in: nothing of an earlier run is left in it.
      return '';
    },

    async setUp(n: Narrator) {
      mkdirSync(dir, { recursive: true });
      const image = await n.step(
        'example server image',
        () => exampleServerImage(join(dir, 'image'), (img) => (bad.has(img) ? 'errors' : 'good')),
        () => ({
          ok: true,
          note: `examples/classifier/src/server.ts bundled with a smoke-trained model: what the kubelet runs for ${REPOSITORY_IMAGE} images (no registry, no container runtime)`,
        }),
      );
      fake = await n.step(
        'Kubernetes API stand-in',
        () =>
          startKubernetesFake({
            namespaces: [NAMESPACE],
            reconcileDelayMs: 50,
            kubelet: { images: [image], baseEnv: { PATH: o.env.PATH } },
          }),
        (f) => ({
          ok: true,
          note: `LOCAL STAND-IN for a Kubernetes API server (test/fakes/kubernetes, not a cluster) at ${f.url}: it checks every request kubectl sends; its kubelet runs each pod as a process on 127.0.0.1`,
        }),
      );
      fake.writeKubeconfig(kubeconfig, { namespace: NAMESPACE });
      front = `${fake.url}/api/v1/namespaces/${NAMESPACE}/services/${DEPLOYMENT}:http/proxy`;
      kubectlVersion = await n.step(
        'kubectl',
        async () => {
          const out = JSON.parse(await kubectl(['version', '--client', '-o', 'json'])) as {
            clientVersion?: { gitVersion?: string };
          };
          return out.clientVersion?.gitVersion ?? '?';
        },
        (v) => ({ ok: true, note: `the real kubectl ${v}, kubeconfig ${kubeconfig}` }),
      );
    },

    realParts: () => [
      `  · real: kubectl ${kubectlVersion} for every cluster call, the CLI (dist/cli.js), each pod a process of the example server`,
      '  · stand-in: the Kubernetes API server (and its deployment controller, kubelet and Service proxy); the build (no registry: each release names an image digest the kubelet maps to the example server)',
    ],

    async firstRelease({ version, sha, ledger, n }) {
      await n.step(
        'kubectl apply -k k8s',
        () =>
          kubectl([
            'apply',
            '--server-side',
            // The stand-in serves no OpenAPI document; the target applies the same way.
            '--validate=false',
            `--namespace=${NAMESPACE}`,
            '-k',
            join(o.exampleDir, 'k8s'),
          ]),
        (out) => ({ ok: true, note: out.split('\n').join(', ') }),
      );
      await n.step(
        'kubectl rollout status',
        () =>
          kubectl([
            'rollout',
            'status',
            `deployment/${DEPLOYMENT}`,
            `--namespace=${NAMESPACE}`,
            '--timeout=60s',
          ]),
        (out) => ({ ok: true, note: out.split('\n').at(-1) ?? '' }),
      );
      // What runs is what the manifests say: their image and their version label.
      const [image, label] = (
        await kubectl([
          'get',
          `deployment/${DEPLOYMENT}`,
          `--namespace=${NAMESPACE}`,
          '-o',
          "jsonpath={.spec.template.spec.containers[0].image} {.spec.template.metadata.labels['version']}",
        ])
      ).split(' ');
      if (!image || label !== version)
        throw new Error(
          `examples' k8s/deployment.yaml runs ${image ?? '?'} labelled version ${label ?? '?'}; the demo's first release is ${version}`,
        );
      await n.step(
        `ledger: ${version} is live`,
        () =>
          recordLive(
            ledger,
            join(dir, 'bootstrap-ledger.json'),
            { version, sha, image },
            `${version} applied with kubectl apply -k k8s (first release)`,
          ),
        (id) => ({
          ok: id !== undefined,
          note: `GitHub Deployment ${String(id)} (success) for ${version} (${image}) on the stand-in, as the bootstrap job records it: deploys canary beside it, and the bot rolls back to it`,
        }),
      );
    },

    prepareRelease(version, isBad) {
      const ref = releaseImage(version);
      if (isBad) bad.add(ref);
      // What `model-delivery build` would have written: deploy reads the image from it.
      const reports = join(o.exampleDir, '.model-delivery', 'reports');
      mkdirSync(reports, { recursive: true });
      const digest = ref.split('@')[1] as string;
      writeFileSync(
        join(reports, 'build.json'),
        JSON.stringify({
          stage: 'build',
          status: 'success',
          reason: 'ok',
          details: {},
          outputs: { image: `${REPOSITORY_IMAGE}:${version}`, digest, 'image-ref': ref },
          startedAt: new Date().toISOString(),
          durationMs: 0,
        }),
      );
      return {
        args: [],
        note: `build (stand-in): ${version} is ${REPOSITORY_IMAGE}@${digest.slice(0, 19)}…${isBad ? '; the kubelet runs that image with MODEL_VARIANT=errors, a bad build' : ''}`,
      };
    },

    liveUrl: () => front,

    scrapeTargets: () =>
      [...(fake?.kubelet?.pods.values() ?? [])]
        .filter((p) => !p.stopped)
        .map((p) => `127.0.0.1:${p.port}`),

    noteProcesses(add: (p: ProcessNote) => void) {
      for (const pod of fake?.kubelet?.pods.values() ?? []) {
        const pid = pod.process?.pid;
        if (pid !== undefined)
          add({
            name: `pod ${pod.name} (${pod.labels.track ?? '?'} ${pod.labels.version ?? '?'})`,
            pid,
            port: pod.port,
          });
      }
    },

    snapshot(chapter) {
      const f = cluster();
      const stable = f.cluster.get('deployments', NAMESPACE, DEPLOYMENT) as unknown as
        Deployment | undefined;
      const template = stable?.spec.template;
      snapshots[chapter] = {
        stable: stable
          ? {
              image: String(template?.spec.containers[0]?.image),
              version: template?.metadata?.labels?.version ?? '',
              release: readRelease(stable)?.version ?? null,
              locked: readLock(stable) !== undefined,
            }
          : null,
        deployments: f.cluster
          .list('deployments', NAMESPACE)
          .map((d) => String((d.metadata as JsonObject).name))
          .sort(),
        pods: [...(f.kubelet?.pods.values() ?? [])]
          .filter((p) => !p.stopped)
          .map((p) => ({
            owner: p.owner,
            track: p.labels.track ?? '',
            version: p.labels.version ?? '',
            ready: p.ready,
          })),
      };
    },

    facts() {
      const calls = fake?.calls ?? [];
      const count = (re: RegExp) => calls.filter((c) => re.test(c.path)).length;
      return {
        kubernetes: {
          apiServer: fake ? `${fake.url} (LOCAL STAND-IN)` : null,
          kubectl: kubectlVersion,
          requests: calls.length,
          kubectlRuns: new Set(calls.map((c) => c.session).filter(Boolean)).size,
          // The gate's scrape source reads each track's pods through the pod proxy; its
          // traffic and the demo's checks go through the Service proxy.
          podProxyScrapes: {
            canary: count(/\/pods\/classifier-canary-[^/]+\/proxy\/metrics$/),
            baseline: count(/\/pods\/classifier-baseline-[^/]+\/proxy\/metrics$/),
          },
          servicePredictions: count(/\/services\/classifier:http\/proxy\/predict$/),
          afterChapter: snapshots,
        },
      };
    },

    async tearDown() {
      const f = fake;
      if (!f) return undefined;
      const pids = [...(f.kubelet?.pods.values() ?? [])].flatMap((p) =>
        p.process?.pid === undefined ? [] : [p.process.pid],
      );
      await f.close();
      // The kubelet sends SIGTERM; the demo ends only once every pod's process is gone.
      const deadline = Date.now() + 5000;
      while (pids.some(isAlive) && Date.now() < deadline) await sleep(50);
      for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
      return undefined;
    },
  };
}

/** Records a release as live in the GitHub Deployments ledger, as `model-delivery deploy` does. */
export async function recordLive(
  ledger: LedgerAccess,
  stateFile: string,
  release: { version: string; sha: string; image: string },
  description: string,
): Promise<number | undefined> {
  const octokit = createActionOctokit({ token: ledger.token, apiUrl: ledger.apiUrl });
  const book = new ReleaseLedger(octokit.rest.repos, {
    ...parseRepository(ledger.repository),
    environment: ledger.environment,
    stateFile,
  });
  await book.open(release);
  return (await book.close('success', description))?.deploymentId;
}
