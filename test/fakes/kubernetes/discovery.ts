/**
 * Legacy discovery documents, verbatim from ../shared/reference/kubectl-requests.md §1.
 * Legacy (not aggregated) discovery works with every kubectl from 1.27 to 1.33; minor
 * "32" makes the gcloud dispatcher run its built-in kubectl.
 */
export const VERSION_DOC = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.5',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-05-15T00:00:00Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export const API_VERSIONS = { kind: 'APIVersions', versions: ['v1'] };

export const API_GROUP_LIST = {
  kind: 'APIGroupList',
  apiVersion: 'v1',
  groups: [
    {
      name: 'apps',
      versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
    },
    {
      name: 'gateway.networking.k8s.io',
      versions: [{ groupVersion: 'gateway.networking.k8s.io/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'gateway.networking.k8s.io/v1', version: 'v1' },
    },
  ],
};

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const CORE_V1_RESOURCES = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    {
      name: 'namespaces',
      singularName: 'namespace',
      namespaced: false,
      kind: 'Namespace',
      verbs: ['get', 'list'],
      shortNames: ['ns'],
    },
    {
      name: 'services',
      singularName: 'service',
      namespaced: true,
      kind: 'Service',
      verbs: VERBS,
      shortNames: ['svc'],
    },
    {
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: VERBS,
      shortNames: ['po'],
      categories: ['all'],
    },
    {
      name: 'pods/proxy',
      singularName: '',
      namespaced: true,
      kind: 'PodProxyOptions',
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    },
    {
      name: 'services/proxy',
      singularName: '',
      namespaced: true,
      kind: 'ServiceProxyOptions',
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    },
    {
      name: 'endpoints',
      singularName: 'endpoints',
      namespaced: true,
      kind: 'Endpoints',
      verbs: VERBS,
      shortNames: ['ep'],
    },
    {
      name: 'configmaps',
      singularName: 'configmap',
      namespaced: true,
      kind: 'ConfigMap',
      verbs: VERBS,
      shortNames: ['cm'],
    },
    {
      name: 'services/status',
      singularName: '',
      namespaced: true,
      kind: 'Service',
      verbs: ['get', 'patch', 'update'],
    },
  ],
};

export const APPS_V1_RESOURCES = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'apps/v1',
  resources: [
    {
      name: 'deployments',
      singularName: 'deployment',
      namespaced: true,
      kind: 'Deployment',
      verbs: VERBS,
      shortNames: ['deploy'],
      categories: ['all'],
    },
    {
      name: 'deployments/scale',
      singularName: '',
      namespaced: true,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    },
    {
      name: 'deployments/status',
      singularName: '',
      namespaced: true,
      kind: 'Deployment',
      verbs: ['get', 'patch', 'update'],
    },
    {
      name: 'replicasets',
      singularName: 'replicaset',
      namespaced: true,
      kind: 'ReplicaSet',
      verbs: VERBS,
      shortNames: ['rs'],
      categories: ['all'],
    },
  ],
};

/** The Gateway API's CRD group as a cluster with its standard channel installed serves it. */
export const GATEWAY_V1_RESOURCES = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'gateway.networking.k8s.io/v1',
  resources: [
    {
      name: 'httproutes',
      singularName: 'httproute',
      namespaced: true,
      kind: 'HTTPRoute',
      verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
      categories: ['gateway-api'],
    },
    {
      name: 'httproutes/status',
      singularName: '',
      namespaced: true,
      kind: 'HTTPRoute',
      verbs: ['get', 'patch', 'update'],
    },
  ],
};
