import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { readReleaseManifests } from '../../../src/targets/kubernetes-manifest-files.js';
import type { Release } from '../../../src/targets/types.js';
import { e2e } from '../../helpers/e2e.js';
import { startHarness, type Harness } from '../../fakes/kubernetes/harness.js';
import { recordVerdict } from '../../helpers/gate-verdict.js';

const ROOT = join(import.meta.dirname, '../../..');

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/**
 * `resource:verb` pairs the Role in k8s/rbac grants for deploy, promote and rollback. The
 * gate's pod verbs (pods list, pods/proxy get) are proven in scrape-pods.test.ts, where
 * pods run.
 */
function grantedByRole(): string[] {
  return grantedAll().filter((g) => !g.startsWith('pods'));
}

function grantedAll(): string[] {
  const role = parseYaml(readFileSync(join(ROOT, 'k8s/rbac/role.yaml'), 'utf8')) as {
    kind: string;
    rules: Rule[];
  };
  expect(role.kind).toBe('Role');
  return role.rules.flatMap((r) => r.resources.flatMap((res) => r.verbs.map((v) => `${res}:${v}`)));
}

const v2: Release = { version: 'v2', sha: 'd'.repeat(40), image: 'ghcr.io/example/classifier:v2' };

/** Everything the target does: undo-rollback, deploy + abort, a failed canary, deploy + promote, rollback. */
async function wholeFlow(h: Harness): Promise<void> {
  await h.kubectl.patch('classifier', {
    spec: {
      template: {
        spec: { containers: [{ name: 'model', image: 'ghcr.io/example/classifier:hand' }] },
      },
    },
  });
  // The example's own manifests are the release, as the example config says.
  const manifests = () =>
    readReleaseManifests(
      join(ROOT, 'examples/classifier'),
      { manifests: ['k8s'], deployment: 'classifier', container: 'model', namespace: 'models' },
      h.kubectl,
    );
  const target = h.target({ timeoutMs: 3000, manifests });
  await target.rollback(); // rollout undo
  await target.deployCanary(v2);
  await target.abort();
  await expect(
    target.deployCanary({ ...v2, image: 'ghcr.io/example/classifier:bad' }),
  ).rejects.toThrow(/timed out/);
  await target.deployCanary(v2);
  await recordVerdict(target);
  await target.promote();
  await target.rollback(); // to the recorded previous release
  await target.status();
}

describe.skipIf(!e2e('kubectl'))(
  'k8s/rbac: the CI Role is enough, and every verb in it is needed',
  () => {
    let h: Harness | undefined;
    afterEach(async () => {
      await h?.close();
      h = undefined;
    });

    test('the whole flow runs under the Role; the only refusal is the namespace lookup kubectl makes after a 404', async () => {
      const granted = new Set(grantedByRole());
      h = await startHarness({
        authorize: ({ verb, resource }) => granted.has(`${resource}:${verb}`),
      });
      await wholeFlow(h);
      const refused = h.fake.calls
        .filter((c) => c.status === 403)
        .map((c) => `${c.method} ${c.path}`);
      expect(new Set(refused)).toEqual(new Set(['GET /api/v1/namespaces/models']));
      // Every verb of the Role was used by an allowed request.
      const used = new Set(
        h.fake.calls.flatMap((c) => {
          const m = /\/(deployments|replicasets|services)(\/[^/]+)?$/.exec(c.path);
          if (!m || c.status >= 400) return [];
          const verb =
            c.method === 'GET'
              ? m[2]
                ? 'get'
                : c.query.watch === 'true'
                  ? 'watch'
                  : 'list'
              : c.method === 'PATCH'
                ? 'patch'
                : c.method.toLowerCase();
          // A server-side apply that created the object (201) was authorized as create too.
          return c.status === 201 ? [`${m[1]}:${verb}`, `${m[1]}:create`] : [`${m[1]}:${verb}`];
        }),
      );
      expect([...used].sort()).toEqual(grantedByRole().sort());
    });

    // Not watch: without it `rollout status` falls back to re-listing with back-off (measured:
    // the flow still passes, 14 s instead of 9 s); it stays in the Role for prompt rollouts.
    test.each(grantedByRole().filter((g) => g !== 'deployments:watch'))(
      'without %s the flow fails',
      async (missing) => {
        const granted = new Set(grantedByRole().filter((g) => g !== missing));
        h = await startHarness({
          authorize: ({ verb, resource }) => granted.has(`${resource}:${verb}`),
        });
        await expect(wholeFlow(h)).rejects.toThrow();
      },
    );

    test('kubectl kustomize k8s builds the model, its Service and the RBAC in one namespace', () => {
      const out = execFileSync('kubectl', ['kustomize', join(ROOT, 'k8s')], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: '/nonexistent' },
      });
      const objects = parseAllDocuments(out).map(
        (d) =>
          d.toJSON() as {
            kind: string;
            metadata: { name: string; namespace?: string };
            subjects?: Array<{ namespace?: string }>;
          },
      );
      expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
        [
          'Deployment/classifier',
          'Role/model-delivery-ci',
          'RoleBinding/model-delivery-ci',
          'Service/classifier',
          'ServiceAccount/model-delivery-ci',
        ].sort(),
      );
      expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set(['models']));
      expect(objects.find((o) => o.kind === 'RoleBinding')?.subjects?.[0]?.namespace).toBe(
        'models',
      );
    });
  },
);
