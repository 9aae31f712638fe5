import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import type { ManifestObject } from '../../../src/lint/manifests.js';
import { driftReport } from '../../../src/targets/kubernetes-apply.js';
import { globRegExp } from '../../../src/targets/kubernetes-manifest-files.js';
import type { Deployment } from '../../../src/targets/kubernetes-manifests.js';
import {
  canaryFromManifest,
  checkPromotedMatchesCanary,
  selectReleaseObjects,
  stableFromManifest,
} from '../../../src/targets/kubernetes-release-manifests.js';

function object(kind: string, name: string, body: Record<string, unknown> = {}): ManifestObject {
  const apiVersion = kind === 'Deployment' ? 'apps/v1' : 'v1';
  return {
    file: `k8s/${name}.yaml`,
    line: 1,
    apiVersion,
    kind,
    name,
    body: { apiVersion, kind, metadata: { name }, ...body },
  };
}

const model = (containers = ['model']) =>
  object('Deployment', 'classifier', {
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'classifier', track: 'stable' } },
      template: {
        metadata: { labels: { app: 'classifier', track: 'stable', version: 'v1' } },
        spec: { containers: containers.map((name) => ({ name, image: 'img:old' })) },
      },
    },
  });

const options = { deployment: 'classifier', namespace: 'models', sources: ['k8s'] };

describe('selectReleaseObjects', () => {
  test('orders the other objects so what a pod names exists first, HPA and PDB last', () => {
    const picked = selectReleaseObjects(
      [
        object('PodDisruptionBudget', 'pdb'),
        object('Service', 'svc'),
        model(),
        object('ConfigMap', 'cm'),
        object('Ingress', 'web'),
        object('ServiceAccount', 'sa'),
      ],
      options,
    );
    expect(picked.model.file).toBe('k8s/classifier.yaml');
    expect(picked.others.map((o) => o.kind)).toEqual([
      'ServiceAccount',
      'ConfigMap',
      'Service',
      'Ingress',
      'PodDisruptionBudget',
    ]);
  });

  test.each<[string, ManifestObject[], string | undefined, RegExp]>([
    ['no Deployment', [object('Service', 'svc')], undefined, /the manifests hold no Deployment/],
    [
      'another Deployment',
      [object('Deployment', 'web', model().body)],
      undefined,
      /no Deployment named classifier.*found: web in k8s\/web\.yaml/,
    ],
    ['two of it', [model(), model()], undefined, /defined 2 times/],
    ['a missing container', [model()], 'server', /has no container "server".*it has: model/],
    ['several containers, none named', [model(['a', 'b'])], undefined, /has 2 containers \(a, b\)/],
    [
      'a cluster-scoped object',
      [model(), object('ClusterRole', 'admin')],
      undefined,
      /k8s\/admin\.yaml:1: ClusterRole admin is cluster-scoped/,
    ],
    [
      'another namespace',
      [model(), object('ConfigMap', 'cm', { metadata: { name: 'cm', namespace: 'prod' } })],
      undefined,
      /k8s\/cm\.yaml:1: ConfigMap cm is in namespace prod, but deploy.kubernetes.namespace is models/,
    ],
  ])('%s is a ConfigError that says what to fix', (_name, objects, container, message) => {
    const run = () => selectReleaseObjects(objects, { ...options, container });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });
});

describe('canary and promoted stable from the manifest', () => {
  const manifests = selectReleaseObjects([model()], options);
  const release = { version: 'v2', sha: 'abc', image: 'img@sha256:2' };
  const render = { container: 'model', image: 'img@sha256:2', release };

  test('the canary runs the manifest with the new image on its own track; promote ships the same pod spec', () => {
    const canary = canaryFromManifest(manifests, { ...render, replicas: 1 });
    expect(canary.metadata.name).toBe('classifier-canary');
    expect(canary.spec.template.metadata?.labels).toEqual({
      app: 'classifier',
      track: 'canary',
      version: 'v2',
    });
    const stable = stableFromManifest(manifests, render);
    expect(stable.metadata.name).toBe('classifier');
    expect(stable.spec.replicas).toBe(3);
    expect(stable.spec.template.metadata?.labels?.version).toBe('v2');
    expect(stable.spec.template.spec.containers[0]?.image).toBe('img@sha256:2');
    expect(checkPromotedMatchesCanary(canary, stable)).toEqual([]);
    // The manifest itself is not changed.
    expect(manifests.model.deployment.spec.template.spec.containers[0]?.image).toBe('img:old');
  });

  test('a different pod spec, or a canary without a recorded one, is refused', () => {
    const canary = canaryFromManifest(manifests, { ...render, replicas: 1 });
    const other = stableFromManifest(manifests, { ...render, image: 'img@sha256:3' });
    expect(checkPromotedMatchesCanary(canary, other)[0]).toMatch(/different pod spec/);
    const bare = { ...canary, metadata: { ...canary.metadata, annotations: {} } };
    expect(checkPromotedMatchesCanary(bare, other)[0]).toMatch(
      /without deploy.kubernetes.manifests/,
    );
  });
});

describe('globRegExp', () => {
  test.each<[string, string, boolean]>([
    ['*.yaml', 'a.yaml', true],
    ['*.yaml', 'sub/a.yaml', false],
    ['**/*.yaml', 'a.yaml', true],
    ['**/*.yaml', 'x/y/a.yaml', true],
    ['base/?.yml', 'base/a.yml', true],
    ['base/?.yml', 'base/ab.yml', false],
    ['a.b*.yaml', 'axb.yaml', false],
  ])('%s on %s: %s', (pattern, path, expected) => {
    expect(globRegExp(pattern).test(path)).toBe(expected);
  });
});

describe('driftReport', () => {
  const stable = (fields: object[]): Deployment =>
    ({
      metadata: { name: 'classifier', managedFields: fields },
      spec: { selector: {}, template: { spec: { containers: [] } } },
    }) as unknown as Deployment;
  const entry = (manager: string, time: string, spec = true, operation = 'Update') => ({
    manager,
    operation,
    time,
    fieldsV1: spec ? { 'f:spec': {} } : { 'f:metadata': {} },
  });

  test.each<[string, object[], string[]]>([
    [
      'an edit after our apply',
      [
        entry('model-delivery', '2026-01-01T00:00:00Z', true, 'Apply'),
        entry('kubectl-edit', '2026-01-02T00:00:00Z'),
      ],
      ['kubectl-edit'],
    ],
    [
      'an edit before our apply',
      [
        entry('kubectl-edit', '2026-01-01T00:00:00Z'),
        entry('model-delivery', '2026-01-02T00:00:00Z', true, 'Apply'),
      ],
      [],
    ],
    ['an annotation only', [entry('kubectl-annotate', '2026-01-02T00:00:00Z', false)], []],
    ['the controller', [entry('kube-controller-manager', '2026-01-02T00:00:00Z')], []],
  ])('%s', (_name, fields, managers) => {
    expect(driftReport(stable(fields)).map((m) => m.split(' ')[0])).toEqual(managers);
  });
});
