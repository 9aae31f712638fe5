import type { ServerResponse } from 'node:http';
import type { Cluster } from './cluster.js';
import { HttpError, notFound } from './http.js';
import type { Kubelet, RunningPod } from './kubelet.js';
import type { JsonObject } from './patches.js';

/**
 * The API server's proxy to pods and Services, and Service endpoints, over the kubelet's
 * processes: `/api/v1/namespaces/{ns}/pods/{[scheme:]name[:port]}/proxy/{path}`,
 * `/api/v1/namespaces/{ns}/services/{[scheme:]name[:port]}/proxy/{path}` (to one ready pod
 * the Service selects, at random, as kube-proxy's iptables mode picks), and
 * `/api/v1/namespaces/{ns}/endpoints/{name}`.
 */

export const PROXY = /^\/api\/v1\/namespaces\/([^/]+)\/(pods|services)\/([^/]+)\/proxy(\/.*)?$/;
export const ENDPOINTS = /^\/api\/v1\/namespaces\/([^/]+)\/endpoints\/([^/]+)$/;

/** `[scheme:]name[:port]` as the API server splits it. */
export function proxyTarget(segment: string): { name: string; port?: string } {
  const parts = decodeURIComponent(segment).split(':');
  if (parts.length === 3) return { name: parts[1] as string, port: parts[2] || undefined };
  if (parts.length === 2 && !['http', 'https'].includes(parts[0] as string))
    return { name: parts[0] as string, port: parts[1] || undefined };
  return { name: parts[parts.length - 1] as string };
}

function selected(cluster: Cluster, kubelet: Kubelet, namespace: string, service: string) {
  const svc = cluster.get('services', namespace, service);
  if (!svc) throw notFound('services', '', service);
  const selector = ((svc.spec as JsonObject)?.selector ?? {}) as Record<string, string>;
  const pods = [...kubelet.pods.values()].filter(
    (p) =>
      p.namespace === namespace &&
      !p.stopped &&
      Object.entries(selector).every(([k, v]) => p.labels[k] === v),
  );
  return { svc, pods };
}

/** The Service port's targetPort (a number or a container port name), for `name:port`. */
function targetPort(svc: JsonObject, port: string | undefined): string | undefined {
  const ports = ((svc.spec as JsonObject)?.ports ?? []) as JsonObject[];
  const found = port ? ports.find((p) => p.name === port || String(p.port) === port) : ports[0];
  if (port && !found) return undefined;
  return found ? String(found.targetPort ?? found.port) : undefined;
}

export function endpoints(
  cluster: Cluster,
  kubelet: Kubelet,
  namespace: string,
  name: string,
): JsonObject {
  const { svc, pods } = selected(cluster, kubelet, namespace, name);
  const ports = ((svc.spec as JsonObject)?.ports ?? []) as JsonObject[];
  // Each pod has its own loopback port (the stand-in for its own IP): one subset per pod.
  const subset = (p: RunningPod) => ({
    [p.ready ? 'addresses' : 'notReadyAddresses']: [
      { ip: '127.0.0.1', targetRef: { kind: 'Pod', namespace, name: p.name } },
    ],
    ports: ports.map((sp) => ({
      ...(sp.name ? { name: sp.name } : {}),
      port: p.ports.get(String(sp.targetPort ?? sp.port)) ?? p.port,
      protocol: 'TCP',
    })),
  });
  return {
    kind: 'Endpoints',
    apiVersion: 'v1',
    metadata: { name, namespace },
    subsets: pods.map(subset),
  };
}

export interface ProxyRequest {
  method: string;
  namespace: string;
  kind: 'pods' | 'services';
  segment: string;
  path: string;
  search: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** Forwards to the pod's process; answers 503 as the API server does when nothing is ready. */
export async function proxy(
  cluster: Cluster,
  kubelet: Kubelet,
  request: ProxyRequest,
  res: ServerResponse,
): Promise<number> {
  const { name, port } = proxyTarget(request.segment);
  let pod: RunningPod | undefined;
  let local: number | undefined;
  if (request.kind === 'pods') {
    pod = [...kubelet.pods.values()].find(
      (p) => p.namespace === request.namespace && p.name === name,
    );
    if (!pod) throw notFound('pods', '', name);
    local = port ? pod.ports.get(port) : pod.port;
    if (local === undefined)
      throw new HttpError(400, 'BadRequest', `pod ${name} has no container port ${port}`);
  } else {
    const { svc, pods } = selected(cluster, kubelet, request.namespace, name);
    const target = targetPort(svc, port);
    if (target === undefined)
      throw new HttpError(404, 'NotFound', `no service port "${port}" found for service "${name}"`);
    const ready = pods.filter((p) => p.ready);
    pod = ready[Math.floor(Math.random() * ready.length)];
    if (!pod)
      throw new HttpError(
        503,
        'ServiceUnavailable',
        `no endpoints available for service "${name}"`,
      );
    local = pod.ports.get(target) ?? pod.port;
  }
  const answer = await fetch(`http://127.0.0.1:${local}${request.path || '/'}${request.search}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body && request.body.length > 0 ? { body: request.body } : {}),
  }).catch((e: unknown) => {
    throw new HttpError(
      503,
      'ServiceUnavailable',
      `error trying to reach pod ${pod?.name}: ${String(e)}`,
    );
  });
  const body = Buffer.from(await answer.arrayBuffer());
  const headers: Record<string, string> = { 'Content-Length': String(body.length) };
  const type = answer.headers.get('content-type');
  if (type) headers['Content-Type'] = type;
  res.writeHead(answer.status, headers);
  res.end(body);
  return answer.status;
}
