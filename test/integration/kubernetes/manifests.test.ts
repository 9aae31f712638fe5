import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { CheckFailedError, ConfigError } from '../../../src/core/errors.js';
import { readReleaseManifests } from '../../../src/targets/kubernetes-manifest-files.js';
import {
  ANNOTATION,
  readLock,
  readRelease,
  type Deployment,
} from '../../../src/targets/kubernetes-manifests.js';
import { JOURNAL_ANNOTATION } from '../../../src/targets/kubernetes-journal.js';
import type { JsonObject } from '../../fakes/kubernetes/patches.js';
import type { Release } from '../../../src/targets/types.js';
import { e2e } from '../../helpers/e2e.js';
import { recordVerdict } from '../../helpers/gate-verdict.js';
import { NAMESPACE, startHarness, type Harness } from '../../fakes/kubernetes/harness.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const v2: Release = {
  version: 'v2',
  sha: 'd'.repeat(40),
  image: 'ghcr.io/example/classifier:v2',
  digest: DIGEST,
};
const V2_IMAGE = `ghcr.io/example/classifier@${DIGEST}`;
const EXAMPLE = join(import.meta.dirname, '../../../examples/classifier/k8s');

interface ModelContainer {
  image: string;
  env: Array<{ name: string; value?: string }>;
  envFrom?: unknown[];
  resources: { requests: Record<string, string>; limits: Record<string, string> };
}
const container = (d: Deployment | undefined) =>
  d?.spec.template.spec.containers[0] as unknown as ModelContainer;

/** The example's manifests as the team changes them for v2: a new env var, more memory, a ConfigMap. */
function teamManifests(dir: string, change: (deployment: Deployment) => void = () => {}): void {
  mkdirSync(join(dir, 'k8s'), { recursive: true });
  const deployment = parseYaml(
    readFileSync(join(EXAMPLE, 'deployment.yaml'), 'utf8'),
  ) as Deployment;
  const model = container(deployment);
  model.env.push({ name: 'MODEL_PATH', value: '/models/v2.json' });
  model.envFrom = [{ configMapRef: { name: 'classifier-settings' } }];
  model.resources = { requests: { cpu: '200m', memory: '512Mi' }, limits: { memory: '1Gi' } };
  change(deployment);
  writeFileSync(join(dir, 'k8s/deployment.yaml'), stringify(deployment));
  writeFileSync(
    join(dir, 'k8s/settings.yaml'),
    stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'classifier-settings' },
      data: { THRESHOLD: '0.5' },
    }),
  );
  writeFileSync(join(dir, 'k8s/service.yaml'), readFileSync(join(EXAMPLE, 'service.yaml')));
}

describe.skipIf(!e2e('kubectl'))('kubernetes target: the team’s manifests are the release', () => {
  let h: Harness;
  let repo: string;
  const config = (manifests: string[], container = 'model') => ({
    manifests,
    deployment: 'classifier',
    container,
    namespace: NAMESPACE,
  });
  const target = (manifests = ['k8s/*.yaml'], name = 'model') =>
    h.target({ manifests: () => readReleaseManifests(repo, config(manifests, name), h.kubectl) });
  const mutations = () =>
    h.fake.calls.filter((c) => c.method !== 'GET' && !c.path.startsWith('/version'));

  beforeEach(async () => {
    h = await startHarness();
    repo = join(h.dir, 'repo');
    teamManifests(repo);
  });
  afterEach(async () => {
    await h?.close();
  });

  test('a manifest change (env var, resources) reaches the canary, then stable on promote', async () => {
    await target().deployCanary(v2);

    const canary = h.deployment('classifier-canary');
    expect(container(canary).image).toBe(V2_IMAGE);
    expect(container(canary).env).toContainEqual({ name: 'MODEL_PATH', value: '/models/v2.json' });
    expect(container(canary).resources.requests.memory).toBe('512Mi');
    expect(canary?.spec.selector.matchLabels).toEqual({ app: 'classifier', track: 'canary' });
    // The baseline is stable as it runs: like-for-like with what serves today.
    const baseline = h.deployment('classifier-baseline');
    expect(container(baseline).env.map((e) => e.name)).not.toContain('MODEL_PATH');
    expect(container(baseline).resources.requests.memory).toBe('128Mi');
    // The new ConfigMap the canary needs exists; the existing Service is left for promote.
    expect(h.fake.cluster.get('configmaps', NAMESPACE, 'classifier-settings')?.data).toEqual({
      THRESHOLD: '0.5',
    });
    expect(mutations().some((c) => c.path.endsWith('/services/classifier'))).toBe(false);
    // Stable untouched until promote.
    expect(container(h.deployment('classifier')).env).toHaveLength(3);

    await recordVerdict(target());
    const status = await target().promote();
    const stable = h.deployment('classifier')!;
    expect(container(stable).image).toBe(V2_IMAGE);
    expect(container(stable).env).toContainEqual({ name: 'MODEL_PATH', value: '/models/v2.json' });
    expect(container(stable).resources.limits.memory).toBe('1Gi');
    expect(stable.spec.template.metadata?.labels).toMatchObject({ track: 'stable', version: 'v2' });
    expect(readRelease(stable)).toMatchObject({ version: 'v2', image: V2_IMAGE });
    expect(readRelease(stable, ANNOTATION.previous)).toMatchObject({ version: 'v1' });
    expect(readLock(stable)).toBeUndefined();
    expect(status.tracks.map((t) => t.track)).toEqual(['stable']);
    // Server-side applied by our field manager: the ConfigMap and Service, then stable.
    const applies = mutations()
      .filter((c) => c.contentType === 'application/apply-patch+yaml')
      .map((c) => `${c.path.split('/').slice(-2).join('/')} ${c.query.fieldManager}`);
    expect(applies.slice(-3)).toEqual([
      'configmaps/classifier-settings model-delivery',
      'services/classifier model-delivery',
      'deployments/classifier model-delivery',
    ]);

    // Rollback restores the spec v1 ran, as it ran: env and resources too, not only the image.
    await target().rollback();
    const back = h.deployment('classifier')!;
    expect(container(back).image).toBe('ghcr.io/example/classifier:latest');
    expect(container(back).env.map((e) => e.name)).toEqual(['HOST', 'TRACK', 'MODEL_VERSION']);
    expect(container(back).envFrom).toBeUndefined();
    expect(container(back).resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '256Mi' },
    });
    expect(back.spec.template.metadata?.labels?.version).toBe('v1');
    expect(readRelease(back)).toMatchObject({ version: 'v1' });
    expect(readRelease(back, ANNOTATION.previous)).toMatchObject({ version: 'v2' });
    expect(back.metadata.annotations?.[JOURNAL_ANNOTATION.operation]).toBeUndefined();
    // The spec left is recorded in turn: rolling back again brings v2's whole spec.
    await target().rollback();
    const again = h.deployment('classifier')!;
    expect(container(again).image).toBe(V2_IMAGE);
    expect(container(again).resources.limits.memory).toBe('1Gi');
    expect(container(again).env).toContainEqual({ name: 'MODEL_PATH', value: '/models/v2.json' });
  });

  test('a kustomize directory is rendered with kubectl kustomize', async () => {
    writeFileSync(
      join(repo, 'k8s/kustomization.yaml'),
      stringify({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: ['deployment.yaml', 'settings.yaml', 'service.yaml'],
        commonAnnotations: { 'team.example/owner': 'ml' },
      }),
    );
    await target(['k8s']).deployCanary(v2);
    const canary = h.deployment('classifier-canary');
    expect(canary?.metadata.annotations?.['team.example/owner']).toBe('ml');
    expect(container(canary).env).toContainEqual({ name: 'MODEL_PATH', value: '/models/v2.json' });
  });

  test.each([
    [
      'no Deployment of that name',
      (d: Deployment) => (d.metadata.name = 'other'),
      'model',
      /no Deployment named classifier .*found: other in k8s\/deployment\.yaml/,
    ],
    [
      'a container that does not exist',
      () => {},
      'server',
      /k8s\/deployment\.yaml:\d+: Deployment classifier has no container "server".*it has: model/,
    ],
    [
      'another namespace',
      (d: Deployment) => (d.metadata.namespace = 'staging'),
      'model',
      /k8s\/deployment\.yaml:\d+: .*namespace staging, but deploy\.kubernetes\.namespace is models/,
    ],
  ])(
    'bad manifests (%s): a ConfigError naming the file, nothing applied',
    async (_n, change, name, message) => {
      teamManifests(repo, change);
      const error = await target(['k8s/*.yaml'], name)
        .deployCanary(v2)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      expect(mutations()).toEqual([]);
    },
  );

  test('a glob matching nothing is a ConfigError naming the pattern', async () => {
    const error = await target(['deploy/*.yaml'])
      .deployCanary(v2)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('deploy/*.yaml: the pattern matches no file');
    expect(mutations()).toEqual([]);
  });

  test('a canary that cannot be applied removes what the deploy created', async () => {
    h.fake.inject({ method: 'PATCH', path: '/deployments/classifier-canary', status: 500 });
    await expect(target().deployCanary(v2)).rejects.toThrow(/could not be applied/);
    expect(h.fake.cluster.get('configmaps', NAMESPACE, 'classifier-settings')).toBeUndefined();
    expect(h.deployment('classifier-canary')).toBeUndefined();
    expect(readLock(h.deployment('classifier')!)).toBeUndefined();
  });

  test('a manual edit of stable is reported as drift at deploy', async () => {
    const stable = h.deployment('classifier')!;
    const edited = structuredClone(stable);
    container(edited).resources.limits.memory = '300Mi';
    h.fake.cluster.update(
      'deployments',
      NAMESPACE,
      edited as unknown as JsonObject,
      'kubectl-edit',
    );
    await target().deployCanary(v2);
    expect(h.log.lines.join('\n')).toMatch(
      /kubectl-edit changed the spec of classifier at .*; promote applies the manifests and replaces that change/,
    );
  });

  test('promote refuses manifests that no longer render the pod spec the canary ran', async () => {
    await target().deployCanary(v2);
    teamManifests(repo, (d) => container(d).env.push({ name: 'X', value: '1' }));
    await recordVerdict(target());
    const error = await target()
      .promote()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckFailedError);
    expect((error as CheckFailedError).reason).toBe('manifests_changed');
    expect(container(h.deployment('classifier')).image).toBe('ghcr.io/example/classifier:latest');
  });
});
