import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Cluster, KINDS, metadataOf, nameOf, REVISION, type Resource } from './cluster.js';
import {
  API_GROUP_LIST,
  API_VERSIONS,
  APPS_V1_RESOURCES,
  CORE_V1_RESOURCES,
  GATEWAY_V1_RESOURCES,
  VERSION_DOC,
} from './discovery.js';
import {
  clone,
  isObject,
  jsonPatch,
  mergePatch,
  PatchError,
  strategicMergePatch,
  type Json,
  type JsonObject,
} from './patches.js';
import {
  checkResourceVersion,
  header,
  HttpError,
  notFound,
  parseBody,
  qualified,
  readBody,
  selectorFilter,
  send,
  statusDoc,
} from './http.js';
import { Kubelet, type KubeletOptions } from './kubelet.js';
import { applyKeys } from './managed-fields.js';
import { endpoints, ENDPOINTS, proxy, PROXY, proxyTarget } from './proxy.js';
import { validateDeployment, validateHttpRoute, validateService, type Cause } from './validate.js';

/**
 * A Kubernetes API server fake on 127.0.0.1 for the real kubectl: legacy discovery,
 * namespaces, apps/v1 Deployments and ReplicaSets, core/v1 Services (get, list with field
 * and label selectors, create, replace, the four patch types, delete, long-lived watch),
 * a simulated deployment controller, fault injection and a call log. What kubectl sends
 * and needs back is in ../shared/reference/kubectl-requests.md.
 */
export interface KubernetesFakeOptions {
  namespaces?: string[];
  badImage?: RegExp;
  reconcileDelayMs?: number;
  /** `/version` minor: the gcloud dispatcher runs kubectl.1.<minor> for 27–31 and 33, its built-in 1.32 otherwise. */
  minor?: string;
  /** Runs each Deployment's pods as local processes (see kubelet.ts), serving the pod proxy and endpoints. */
  kubelet?: KubeletOptions;
  /** false: a cluster without the Gateway API CRDs (no gateway.networking.k8s.io group). */
  gatewayApi?: boolean;
  /** RBAC: when set, each request is allowed only if this says so (else 403 Forbidden, as the API server answers). */
  authorize?: (request: { verb: string; resource: string; namespace?: string }) => boolean;
}

export interface Call {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  body?: Json;
  /** The `Kubectl-Command` header: `kubectl apply`, `kubectl rollout status`, … */
  command?: string;
  /** The `Kubectl-Session` header: one per kubectl invocation. */
  session?: string;
  userAgent?: string;
  status: number;
}

export interface Fault {
  /** An exact method, or a pattern (`/^(POST|PUT|PATCH|DELETE)$/` for every write). */
  method?: string | RegExp;
  /** Let this many matching requests through first (fail the n+1-th). */
  skip?: number;
  /** Matched against the path (a substring, or a RegExp). */
  path?: string | RegExp;
  status: number;
  message?: string;
  /** How many requests it applies to (default 1). */
  times?: number;
}

export interface KubernetesFake {
  url: string;
  cluster: Cluster;
  kubelet?: Kubelet;
  calls: Call[];
  /** Stores an object as if a user had applied it (namespace from the object or `default`). */
  seed(object: JsonObject): JsonObject;
  inject(fault: Fault): void;
  /** Writes a kubeconfig that points at the fake (no auth). */
  writeKubeconfig(path: string, options?: { namespace?: string; context?: string }): void;
  close(): Promise<void>;
}

const COLLECTION =
  /^\/(?:api\/v1|apis\/apps\/v1|apis\/gateway\.networking\.k8s\.io\/v1)\/namespaces\/([^/]+)\/(deployments|replicasets|services|configmaps|pods|httproutes)(?:\/([^/]+))?$/;
const NAMESPACE = /^\/api\/v1\/namespaces\/([^/]+)$/;
const DISCOVERY: Record<string, unknown> = {
  '/version': VERSION_DOC,
  '/api': API_VERSIONS,
  '/apis': API_GROUP_LIST,
  '/api/v1': CORE_V1_RESOURCES,
  '/apis/apps/v1': APPS_V1_RESOURCES,
  '/apis/gateway.networking.k8s.io/v1': GATEWAY_V1_RESOURCES,
};

export async function startKubernetesFake(
  options: KubernetesFakeOptions = {},
): Promise<KubernetesFake> {
  const kubelet = options.kubelet ? new Kubelet(options.kubelet) : undefined;
  const cluster = new Cluster({
    badImage: options.badImage,
    reconcileDelayMs: options.reconcileDelayMs ?? 100,
    kubelet,
  });
  for (const ns of options.namespaces ?? ['default']) cluster.namespaces.add(ns);
  const calls: Call[] = [];
  const faults: Fault[] = [];
  const streams = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, statusDoc(500, 'InternalError', String(e)));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const contentType = req.headers['content-type']?.split(';')[0]?.trim();
    const call: Call = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType,
      command: header(req, 'kubectl-command'),
      session: header(req, 'kubectl-session'),
      userAgent: header(req, 'user-agent'),
      status: 0,
    };
    calls.push(call);
    try {
      const fault = takeFault(call);
      if (fault)
        throw new HttpError(
          fault.status,
          fault.status === 409 ? 'Conflict' : 'InternalError',
          fault.message ?? 'injected fault',
        );
      const proxied = await podNetwork(call, url, raw, req, res);
      if (proxied !== undefined) {
        call.status = proxied;
        return;
      }
      if (raw) call.body = parseBody(raw, contentType);
      const result = route(call, res);
      if (result === 'streaming') {
        call.status = 200;
        return;
      }
      call.status = result.code;
      send(res, result.code, result.body);
    } catch (e) {
      const error =
        e instanceof HttpError
          ? e
          : e instanceof PatchError
            ? new HttpError(422, 'Invalid', e.message)
            : new HttpError(500, 'InternalError', String(e));
      call.status = error.code;
      send(res, error.code, statusDoc(error.code, error.reason, error.message, error.details));
    }
  }

  /** The pod proxy, the Service proxy and endpoints, when the kubelet runs pods; undefined otherwise. */
  async function podNetwork(
    call: Call,
    url: URL,
    raw: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<number | undefined> {
    if (!kubelet) return undefined;
    const endpointsMatch = ENDPOINTS.exec(call.path);
    if (endpointsMatch && call.method === 'GET') {
      const [namespace, name] = endpointsMatch.slice(1).map(decodeURIComponent) as [string, string];
      authorize('get', 'endpoints', namespace, name);
      send(res, 200, endpoints(cluster, kubelet, namespace, name));
      return 200;
    }
    const m = PROXY.exec(call.path);
    if (!m) return undefined;
    const [namespace, kind, segment] = [decodeURIComponent(m[1] as string), m[2], m[3] as string];
    authorize(verbOf(call, segment), `${kind}/proxy`, namespace, proxyTarget(segment).name);
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'accept']) {
      const v = header(req, h);
      if (v) headers[h] = v;
    }
    return proxy(
      cluster,
      kubelet,
      {
        method: call.method,
        namespace,
        kind: kind as 'pods' | 'services',
        segment,
        path: m[4] ?? '/',
        search: url.search,
        headers,
        body: raw ? Buffer.from(raw) : undefined,
      },
      res,
    );
  }

  function takeFault(call: Call): Fault | undefined {
    const index = faults.findIndex(
      (f) =>
        (!f.method ||
          (typeof f.method === 'string' ? f.method === call.method : f.method.test(call.method))) &&
        (!f.path ||
          (typeof f.path === 'string' ? call.path.includes(f.path) : f.path.test(call.path))),
    );
    const fault = faults[index];
    if (!fault) return undefined;
    if (fault.skip) {
      fault.skip -= 1;
      return undefined;
    }
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) faults.splice(index, 1);
    return fault;
  }

  function route(call: Call, res: ServerResponse): { code: number; body: unknown } | 'streaming' {
    if (call.method === 'GET' && call.path === '/version' && options.minor) {
      return {
        code: 200,
        body: { ...VERSION_DOC, minor: options.minor, gitVersion: `v1.${options.minor}.0` },
      };
    }
    if (options.gatewayApi === false && call.path.startsWith('/apis/gateway.networking.k8s.io'))
      throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
    if (call.method === 'GET' && call.path === '/apis' && options.gatewayApi === false) {
      const groups = API_GROUP_LIST.groups.filter((g) => g.name !== 'gateway.networking.k8s.io');
      return { code: 200, body: { ...API_GROUP_LIST, groups } };
    }
    if (call.method === 'GET' && DISCOVERY[call.path])
      return { code: 200, body: DISCOVERY[call.path] };
    const ns = NAMESPACE.exec(call.path);
    if (ns && call.method === 'GET') {
      const name = decodeURIComponent(ns[1] as string);
      authorize('get', 'namespaces', undefined, name);
      if (!cluster.namespaces.has(name)) throw notFound('namespaces', '', name);
      return {
        code: 200,
        body: {
          kind: 'Namespace',
          apiVersion: 'v1',
          metadata: { name },
          spec: { finalizers: ['kubernetes'] },
          status: { phase: 'Active' },
        },
      };
    }
    const match = COLLECTION.exec(call.path);
    if (!match)
      throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
    const namespace = decodeURIComponent(match[1] as string);
    const resource = match[2] as Resource;
    const name = match[3] ? decodeURIComponent(match[3]) : undefined;
    authorize(verbOf(call, name), resource, namespace, name);
    if (name === undefined) {
      if (call.method === 'GET' && call.query.watch === 'true')
        return watch(call, res, resource, namespace);
      if (call.method === 'GET') return { code: 200, body: list(call, resource, namespace) };
      if (call.method === 'POST') return create(call, resource, namespace);
      throw new HttpError(
        405,
        'MethodNotAllowed',
        `${call.method} is not supported on a collection`,
      );
    }
    switch (call.method) {
      case 'GET':
        return { code: 200, body: liveOrThrow(resource, namespace, name) };
      case 'PUT':
        return replace(call, resource, namespace, name);
      case 'PATCH':
        return patch(call, resource, namespace, name);
      case 'DELETE': {
        const gone = cluster.delete(resource, namespace, name);
        if (!gone) throw notFound(resource, KINDS[resource].group, name);
        const details = {
          name,
          group: KINDS[resource].group,
          kind: resource,
          uid: metadataOf(gone).uid ?? '',
        };
        return {
          code: 200,
          body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details },
        };
      }
      default:
        throw new HttpError(405, 'MethodNotAllowed', `${call.method} is not supported`);
    }
  }

  function authorize(
    verb: string,
    resource: string,
    namespace: string | undefined,
    name: string | undefined,
  ): void {
    if (!options.authorize || options.authorize({ verb, resource, namespace })) return;
    const group = KINDS[resource as Resource]?.group ?? '';
    const what = `${group ? `${resource}.${group}` : resource}${name ? ` "${name}"` : ''}`;
    throw new HttpError(
      403,
      'Forbidden',
      `${what} is forbidden: User "system:serviceaccount:${namespace ?? 'default'}:model-delivery-ci" cannot ${verb} resource "${resource}" in API group "${group}"${namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope'}`,
      { ...(name ? { name } : {}), group, kind: resource },
    );
  }

  function liveOrThrow(resource: Resource, namespace: string, name: string): JsonObject {
    const live = cluster.get(resource, namespace, name);
    if (!live) throw notFound(resource, KINDS[resource].group, name);
    return live;
  }

  function list(call: Call, resource: Resource, namespace: string): JsonObject {
    const matches = selectorFilter(call.query);
    const items = cluster.list(resource, namespace, matches);
    return {
      kind: `${KINDS[resource].kind}List`,
      apiVersion: KINDS[resource].apiVersion,
      metadata: { resourceVersion: String(cluster.resourceVersion) },
      items,
    };
  }

  function watch(
    call: Call,
    res: ServerResponse,
    resource: Resource,
    namespace: string,
  ): 'streaming' {
    const matches = selectorFilter(call.query);
    const rv = call.query.resourceVersion;
    const from = rv === undefined || rv === '' || rv === '0' ? undefined : Number(rv);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    // client-go waits for the watch's headers before it looks at its stop channel: send them now.
    res.flushHeaders();
    streams.add(res);
    const stop = cluster.watch(
      {
        resource,
        namespace,
        matches,
        send: (event) =>
          res.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`),
      },
      from,
    );
    const seconds = Math.min(Number(call.query.timeoutSeconds ?? 60), 600);
    const timer = setTimeout(() => res.end(), seconds * 1000);
    res.on('close', () => {
      clearTimeout(timer);
      stop();
      streams.delete(res);
    });
    return 'streaming';
  }

  function create(
    call: Call,
    resource: Resource,
    namespace: string,
  ): { code: number; body: unknown } {
    const body = requireObject(call.body, resource);
    expectContentType(call, ['application/json', 'application/yaml']);
    if (!cluster.namespaces.has(namespace)) throw notFound('namespaces', '', namespace);
    const name = nameOf(body);
    if (cluster.get(resource, namespace, name))
      throw new HttpError(409, 'AlreadyExists', `${qualified(resource)} "${name}" already exists`);
    check(resource, name, body);
    if (dryRun(call)) return { code: 201, body };
    return { code: 201, body: cluster.create(resource, namespace, body, call.query.fieldManager) };
  }

  function replace(
    call: Call,
    resource: Resource,
    namespace: string,
    name: string,
  ): { code: number; body: unknown } {
    const body = requireObject(call.body, resource);
    const live = liveOrThrow(resource, namespace, name);
    checkResourceVersion(body, live, resource, name);
    check(resource, name, body, live);
    return { code: 200, body: cluster.update(resource, namespace, body, call.query.fieldManager) };
  }

  function patch(
    call: Call,
    resource: Resource,
    namespace: string,
    name: string,
  ): { code: number; body: unknown } {
    if (call.body === undefined) throw new HttpError(400, 'BadRequest', 'the patch body is empty');
    if (call.contentType === 'application/apply-patch+yaml')
      return serverSideApply(call, resource, namespace, name);
    const live = liveOrThrow(resource, namespace, name);
    let next: Json;
    if (call.contentType === 'application/merge-patch+json') next = mergePatch(live, call.body);
    else if (call.contentType === 'application/strategic-merge-patch+json')
      next = strategicMergePatch(live, call.body);
    else if (call.contentType === 'application/json-patch+json') next = jsonPatch(live, call.body);
    else
      throw new HttpError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
    if (!isObject(next)) throw new HttpError(422, 'Invalid', 'the patched object is not an object');
    checkResourceVersion(next, live, resource, name);
    check(resource, name, next, live);
    if (dryRun(call)) return { code: 200, body: next };
    return { code: 200, body: cluster.update(resource, namespace, next, call.query.fieldManager) };
  }

  /**
   * Server-side apply with one manager per object: the applied configuration becomes the
   * object's labels, annotations and spec (fields it stops applying are removed), while
   * identity, status and the controller's revision annotation are kept.
   */
  function serverSideApply(
    call: Call,
    resource: Resource,
    namespace: string,
    name: string,
  ): { code: number; body: unknown } {
    const manager = call.query.fieldManager;
    if (!manager)
      throw new HttpError(
        422,
        'Invalid',
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    if (call.query.force !== undefined && !['true', 'false'].includes(call.query.force))
      throw new HttpError(400, 'BadRequest', 'force must be true or false');
    const applied = requireObject(call.body, resource);
    if (nameOf(applied) !== name)
      throw new HttpError(
        400,
        'BadRequest',
        `the name of the object (${nameOf(applied)}) does not match the name on the URL (${name})`,
      );
    const live = cluster.get(resource, namespace, name);
    if (!live) {
      // An apply that creates is authorized as create too.
      authorize('create', resource, namespace, name);
      if (!cluster.namespaces.has(namespace)) throw notFound('namespaces', '', namespace);
      check(resource, name, applied);
      if (dryRun(call)) return { code: 201, body: applied };
      return { code: 201, body: cluster.create(resource, namespace, applied, manager, 'Apply') };
    }
    const next = clone(live);
    const meta = metadataOf(next);
    const appliedMeta = metadataOf(applied);
    const revision = (meta.annotations as JsonObject | undefined)?.[REVISION];
    // Keys another manager owns (a `kubectl annotate`) stay; the spec is replaced whole.
    meta.labels = applyKeys(
      meta.labels as JsonObject,
      appliedMeta.labels as JsonObject,
      meta,
      manager,
      'f:labels',
    );
    meta.annotations = {
      ...applyKeys(
        meta.annotations as JsonObject,
        appliedMeta.annotations as JsonObject,
        meta,
        manager,
        'f:annotations',
      ),
      ...(revision ? { [REVISION]: revision } : {}),
    };
    next.spec = applied.spec ?? {};
    check(resource, name, next, live);
    if (dryRun(call)) return { code: 200, body: next };
    return {
      code: 200,
      body: cluster.update(resource, namespace, next, manager, 'Apply', applied),
    };
  }

  function check(resource: Resource, name: string, object: JsonObject, live?: JsonObject): void {
    const causes: Cause[] =
      resource === 'deployments'
        ? validateDeployment(object, live)
        : resource === 'services'
          ? validateService(object)
          : resource === 'httproutes'
            ? validateHttpRoute(object)
            : [];
    if (causes.length === 0) return;
    const kind = KINDS[resource].kind;
    throw new HttpError(
      422,
      'Invalid',
      `${kind}.${KINDS[resource].group || 'core'} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
      {
        name,
        group: KINDS[resource].group,
        kind,
        causes: causes.map((c) => ({
          reason: 'FieldValueInvalid',
          message: c.message,
          field: c.field,
        })),
      },
    );
  }

  function requireObject(body: Json | undefined, resource: Resource): JsonObject {
    if (!isObject(body))
      throw new HttpError(400, 'BadRequest', 'the request body is not an object');
    const { apiVersion, kind } = KINDS[resource];
    if (body.apiVersion !== apiVersion || body.kind !== kind) {
      throw new HttpError(
        400,
        'BadRequest',
        `the body is ${String(body.apiVersion)}/${String(body.kind)}, expected ${apiVersion}/${kind}`,
      );
    }
    return body;
  }

  const server_ = await new Promise<ReturnType<typeof createServer>>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(server)),
  );
  const url = `http://127.0.0.1:${(server_.address() as AddressInfo).port}`;

  return {
    url,
    cluster,
    kubelet,
    calls,
    seed(object) {
      const namespace = String(metadataOf(object).namespace ?? 'default');
      cluster.namespaces.add(namespace);
      const resource = (Object.keys(KINDS) as Resource[]).find(
        (r) => KINDS[r].kind === object.kind,
      );
      if (!resource) throw new Error(`the fake holds no ${String(object.kind)}`);
      return cluster.create(resource, namespace, clone(object), 'kubectl-client-side-apply');
    },
    inject(fault) {
      faults.push({ ...fault });
    },
    writeKubeconfig(path, opts = {}) {
      const context = opts.context ?? 'fake';
      const config = {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'fake', cluster: { server: url } }],
        users: [{ name: 'fake', user: {} }],
        contexts: [
          {
            name: context,
            context: {
              cluster: 'fake',
              user: 'fake',
              ...(opts.namespace ? { namespace: opts.namespace } : {}),
            },
          },
        ],
        'current-context': context,
      };
      writeFileSync(path, JSON.stringify(config), { mode: 0o600 });
    },
    async close() {
      cluster.close();
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `?dryRun=All` (kubectl's `--dry-run=server`): checked and answered, never stored. */
function dryRun(call: Call): boolean {
  if (call.query.dryRun === undefined) return false;
  if (call.query.dryRun !== 'All')
    throw new HttpError(400, 'BadRequest', `invalid dry run option: ${call.query.dryRun}`);
  return true;
}

/** The RBAC verb of a request, as the API server names it. */
function verbOf(call: Call, name: string | undefined): string {
  if (call.method === 'GET') return name ? 'get' : call.query.watch === 'true' ? 'watch' : 'list';
  return (
    (
      {
        POST: 'create',
        PUT: 'update',
        PATCH: 'patch',
        DELETE: name ? 'delete' : 'deletecollection',
      } as Record<string, string>
    )[call.method] ?? call.method.toLowerCase()
  );
}

function expectContentType(call: Call, allowed: string[]): void {
  if (call.contentType && !allowed.includes(call.contentType)) {
    throw new HttpError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${allowed.join(', ')}`,
    );
  }
}
