import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  jsonPatch,
  mergePatch,
  PatchError,
  strategicMergePatch,
  type Json,
} from '../../fakes/kubernetes/patches.js';
import { startKubernetesFake, type KubernetesFake } from '../../fakes/kubernetes/server.js';

/** The fake's own contract: the traps of ../shared/reference/kubectl-requests.md, checked over HTTP. */
const deployment = (name: string, image = 'img:1') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'ns', labels: { app: name } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
  },
});

describe('patch formats', () => {
  test.each<[string, Json, Json, Json]>([
    [
      'merge: null deletes, objects merge',
      { a: { b: 1, c: 2 } },
      { a: { b: null, d: 3 } },
      { a: { c: 2, d: 3 } },
    ],
    ['merge: arrays replace', { l: [1, 2] }, { l: [3] }, { l: [3] }],
  ])('%s', (_n, target, patch, out) => {
    expect(mergePatch(target, patch)).toEqual(out);
  });

  test('strategic: containers merge by name, $setElementOrder is dropped', () => {
    const live: Json = {
      containers: [
        { name: 'a', image: '1', ports: [] },
        { name: 'b', image: '2' },
      ],
    };
    const patch = {
      '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }],
      containers: [{ name: 'b', image: '3' }],
    };
    expect(strategicMergePatch(live, patch)).toEqual({
      containers: [
        { name: 'a', image: '1', ports: [] },
        { name: 'b', image: '3' },
      ],
    });
  });

  test('JSON patch: replace needs the path to exist (RFC 6902 §4.3)', () => {
    expect(jsonPatch({ a: { b: 1 } }, [{ op: 'replace', path: '/a/b', value: 2 }])).toEqual({
      a: { b: 2 },
    });
    expect(() => jsonPatch({ a: {} }, [{ op: 'replace', path: '/a/b', value: 2 }])).toThrow(
      PatchError,
    );
  });
});

describe('the Kubernetes API fake over HTTP', () => {
  let fake: KubernetesFake;
  const api = (path: string, init?: RequestInit) => fetch(`${fake.url}${path}`, init);
  const base = '/apis/apps/v1/namespaces/ns/deployments';

  beforeAll(async () => {
    fake = await startKubernetesFake({ namespaces: ['ns'], reconcileDelayMs: 10 });
    fake.seed(deployment('web'));
    fake.seed(deployment('other'));
  });
  afterAll(async () => {
    await fake.close();
  });

  test('list honours fieldSelector metadata.name and labelSelector', async () => {
    const byName = (await (await api(`${base}?fieldSelector=metadata.name%3Dweb`)).json()) as {
      items: Array<{ metadata: { name: string } }>;
    };
    expect(byName.items.map((i) => i.metadata.name)).toEqual(['web']);
    const byLabel = (await (await api(`${base}?labelSelector=app%3Dother`)).json()) as {
      items: Array<{ metadata: { name: string } }>;
    };
    expect(byLabel.items.map((i) => i.metadata.name)).toEqual(['other']);
  });

  test('a watch from a list resourceVersion delivers only later events, for the selected object, with kind', async () => {
    const list = (await (await api(`${base}?fieldSelector=metadata.name%3Dweb`)).json()) as {
      metadata: { resourceVersion: string };
    };
    const res = await api(
      `${base}?watch=true&fieldSelector=metadata.name%3Dweb&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=5`,
    );
    expect(res.headers.get('content-type')).toBe('application/json');
    const reader = res.body!.getReader();
    await api(`${base}/other`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: '{"metadata":{"annotations":{"x":"1"}}}',
    });
    await api(`${base}/web`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: '{"metadata":{"annotations":{"y":"2"}}}',
    });
    const { value } = await reader.read();
    const event = JSON.parse(new TextDecoder().decode(value).split('\n')[0] as string) as {
      type: string;
      object: { kind: string; metadata: { name: string; annotations: Record<string, string> } };
    };
    expect(event.type).toBe('MODIFIED');
    expect(event.object.kind).toBe('Deployment');
    expect(event.object.metadata.name).toBe('web');
    expect(event.object.metadata.annotations.y).toBe('2');
    await reader.cancel();
  });

  test('errors are Status objects: not found, invalid, conflict, unsupported media type, apply without fieldManager', async () => {
    const status = async (res: Response) => [
      res.status,
      ((await res.json()) as { kind: string; reason: string }).reason,
    ];
    expect(await status(await api(`${base}/nope`))).toEqual([404, 'NotFound']);
    const bad = {
      ...deployment('bad'),
      spec: { ...deployment('bad').spec, selector: { matchLabels: { app: 'other' } } },
    };
    expect(
      await status(
        await api(`${base}/bad?fieldManager=m`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/apply-patch+yaml' },
          body: JSON.stringify(bad),
        }),
      ),
    ).toEqual([422, 'Invalid']);
    expect(
      await status(
        await api(`${base}/web`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/merge-patch+json' },
          body: '{"metadata":{"resourceVersion":"1"}}',
        }),
      ),
    ).toEqual([409, 'Conflict']);
    expect(
      await status(
        await api(`${base}/web`, {
          method: 'PATCH',
          headers: { 'content-type': 'text/plain' },
          body: '{}',
        }),
      ),
    ).toEqual([415, 'UnsupportedMediaType']);
    expect(
      await status(
        await api(`${base}/web`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/apply-patch+yaml' },
          body: JSON.stringify(deployment('web')),
        }),
      ),
    ).toEqual([422, 'Invalid']);
  });

  test('the controller: generation, then observedGeneration and available replicas follow', async () => {
    await api(`${base}/web`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
      body: '{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"img:2"}]}}}}',
    });
    const changed = fake.cluster.get('deployments', 'ns', 'web') as {
      metadata: { generation: number };
      status: { observedGeneration: number };
    };
    expect(changed.metadata.generation).toBe(2);
    expect(changed.status.observedGeneration).toBeLessThan(2);
    await new Promise((r) => setTimeout(r, 100));
    const done = fake.cluster.get('deployments', 'ns', 'web') as {
      status: { observedGeneration: number; availableReplicas: number };
    };
    expect(done.status).toMatchObject({ observedGeneration: 2, availableReplicas: 2 });
    expect(
      fake.cluster
        .list('replicasets', 'ns')
        .filter((rs) => (rs.metadata as { name: string }).name.startsWith('web-')),
    ).toHaveLength(2);
  });
});
