import { EnvironmentError } from '../core/errors.js';
import { KubectlError, type Kubectl, type KubeObject } from './kubectl.js';
import type { PodMetrics } from './types.js';

/**
 * Where each track's pods serve their metrics, for the scrape source on Kubernetes: the
 * track's Deployment names its pods (selector) and the port and path (the pod template's
 * prometheus.io/port and prometheus.io/path annotations, else its first container port and
 * /metrics); the API server's pod proxy reaches each ready pod.
 */
export function kubernetesPodMetrics(options: {
  kubectl: Pick<Kubectl, 'getDeployments' | 'listPods' | 'getRaw'>;
  namespace: string;
  deployments: { canary: string; baseline: string; stable: string };
}): PodMetrics {
  const { kubectl, namespace } = options;
  const refused = (e: unknown, what: string) =>
    e instanceof KubectlError && e.reason === 'forbidden'
      ? new EnvironmentError(
          `gate.source scrape on Kubernetes reads each pod's /metrics through the API server's pod proxy, and the cluster refused to ${what}: ${e.kubectlMessage}. Grant list on pods and get on pods/proxy in namespace ${namespace} (see k8s/rbac/role.yaml), or use gate.source prometheus`,
          'forbidden',
        )
      : e;

  async function metricsPaths(track: 'canary' | 'baseline' | 'stable'): Promise<string[]> {
    const [deployment] = await kubectl.getDeployments([options.deployments[track]]);
    if (!deployment) return [];
    const template = deployment.spec.template;
    const annotations = template.metadata?.annotations ?? {};
    const containerPort = (
      template.spec.containers[0]?.ports as Array<{ containerPort?: number }> | undefined
    )?.[0]?.containerPort;
    const port = annotations['prometheus.io/port'] ?? (containerPort ? String(containerPort) : '');
    const path = annotations['prometheus.io/path'] ?? '/metrics';
    const pods = await kubectl
      .listPods(deployment.spec.selector.matchLabels ?? {})
      .catch((e: unknown) => {
        throw refused(e, 'list pods');
      });
    return pods
      .filter(isReady)
      .map(
        (p) =>
          `/api/v1/namespaces/${namespace}/pods/${p.metadata.name}${port ? `:${port}` : ''}/proxy${path.startsWith('/') ? path : `/${path}`}`,
      );
  }

  async function fetchText(path: string, timeoutMs: number): Promise<string> {
    return kubectl.getRaw(path, timeoutMs).catch((e: unknown) => {
      throw refused(e, 'get pods/proxy');
    });
  }

  return {
    metricsPaths,
    fetchText,
    async check() {
      for (const track of ['canary', 'baseline'] as const) {
        const [first] = await metricsPaths(track);
        if (first) await fetchText(first, 10_000);
      }
    },
  };
}

function isReady(pod: KubeObject): boolean {
  const status = pod.status as
    { phase?: string; conditions?: Array<{ type: string; status: string }> } | undefined;
  return (
    !pod.metadata.deletionTimestamp &&
    status?.phase === 'Running' &&
    !!status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
  );
}
