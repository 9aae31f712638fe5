import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { memoryLogger } from '../../../src/core/log.js';
import { waitFor as waitUntil } from '../../../src/core/wait-for.js';
import { createKubectl, type Kubectl } from '../../../src/targets/kubectl.js';
import {
  createKubernetesTarget,
  type KubernetesTargetOptions,
} from '../../../src/targets/kubernetes.js';
import type { Deployment } from '../../../src/targets/kubernetes-manifests.js';
import type { DeployTarget } from '../../../src/targets/types.js';
import type { JsonObject } from './patches.js';
import { startKubernetesFake, type KubernetesFake, type KubernetesFakeOptions } from './server.js';

export const NAMESPACE = 'models';
const EXAMPLE = join(import.meta.dirname, '../../../examples/classifier/k8s');

/** The example model's stable Deployment and Service, in NAMESPACE. */
export function exampleObjects(): JsonObject[] {
  return ['deployment.yaml', 'service.yaml'].map((file) => {
    const object = parseYaml(readFileSync(join(EXAMPLE, file), 'utf8')) as JsonObject;
    (object.metadata as JsonObject).namespace = NAMESPACE;
    return object;
  });
}

export interface Harness {
  fake: KubernetesFake;
  dir: string;
  kubeconfig: string;
  /** kubectl's whole environment: a fresh discovery cache per harness, no inherited KUBECONFIG. */
  env: Record<string, string | undefined>;
  kubectl: Kubectl;
  log: ReturnType<typeof memoryLogger>;
  target(overrides?: Partial<KubernetesTargetOptions>): DeployTarget;
  deployment(name: string): Deployment | undefined;
  close(): Promise<void>;
}

/** A fake API server holding the example, a kubeconfig pointing at it, and the real kubectl. */
export async function startHarness(options: KubernetesFakeOptions = {}): Promise<Harness> {
  const fake = await startKubernetesFake({
    namespaces: [NAMESPACE],
    reconcileDelayMs: 50,
    badImage: /:bad$|@sha256:bad/,
    ...options,
  });
  const dir = mkdtempSync(join(tmpdir(), 'k8s-target-'));
  const kubeconfig = join(dir, 'kubeconfig');
  fake.writeKubeconfig(kubeconfig);
  for (const object of exampleObjects()) fake.seed(object);
  const env = { PATH: process.env.PATH, HOME: dir, KUBECACHEDIR: join(dir, 'cache') };
  const log = memoryLogger();
  const kubectl = createKubectl({
    program: 'kubectl',
    connection: { namespace: NAMESPACE, kubeconfig },
    env,
    requestTimeoutMs: 20_000,
    log,
  });
  await waitFor(
    () =>
      (fake.cluster.get('deployments', NAMESPACE, 'classifier')?.status as JsonObject)
        ?.availableReplicas === 4,
    'the seeded stable to be available',
    // Running pods start real processes.
    options.kubelet ? 60_000 : 5000,
  );
  return {
    fake,
    dir,
    kubeconfig,
    env,
    kubectl,
    log,
    target: (overrides = {}) =>
      createKubernetesTarget({
        kubectl,
        deployment: 'classifier',
        namespace: NAMESPACE,
        canaryPercent: 25,
        timeoutMs: 4_000,
        holder: 'acme/classifier run 1',
        log,
        ...overrides,
      }),
    deployment: (name) =>
      fake.cluster.get('deployments', NAMESPACE, name) as unknown as Deployment | undefined,
    async close() {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it holds (tests wait for the event, never a fixed sleep). */
export async function waitFor(check: () => unknown, what: string, timeoutMs = 5000): Promise<void> {
  await waitUntil(() => Boolean(check()), { what, timeoutMs, intervalMs: 20 });
}
