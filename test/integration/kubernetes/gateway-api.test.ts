import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { parse as parseYaml } from 'yaml';
import { ConfigError, EnvironmentError } from '../../../src/core/errors.js';
import { readLock } from '../../../src/targets/kubernetes-manifests.js';
import type { Release } from '../../../src/targets/types.js';
import { e2e } from '../../helpers/e2e.js';
import { recordVerdict } from '../../helpers/gate-verdict.js';
import { NAMESPACE, startHarness, type Harness } from '../../fakes/kubernetes/harness.js';
import type { KubernetesFakeOptions } from '../../fakes/kubernetes/server.js';
import type { JsonObject } from '../../fakes/kubernetes/patches.js';

const v2: Release = {
  version: 'v2',
  sha: 'b'.repeat(40),
  image: 'ghcr.io/example/classifier:v2',
  digest: `sha256:${'a'.repeat(64)}`,
};
const ROUTE_FILE = join(
  import.meta.dirname,
  '../../../examples/classifier/k8s/gateway/httproute.yaml',
);

/** The example's route, as the team applied it. */
function exampleRoute(): JsonObject {
  return parseYaml(readFileSync(ROUTE_FILE, 'utf8')) as JsonObject;
}

interface Ref {
  name: string;
  port?: number;
  weight?: number;
}

describe.skipIf(!e2e('kubectl'))(
  'kubernetes target: exact weights on a Gateway API HTTPRoute',
  () => {
    let h: Harness;
    const route = () =>
      h.fake.cluster.get('httproutes', NAMESPACE, 'classifier') as unknown as {
        spec: { rules: Array<{ backendRefs: Ref[] }>; hostnames: string[] };
      };
    const weights = () => route().spec.rules[0]!.backendRefs.map((r) => [r.name, r.port, r.weight]);
    const service = (name: string) => h.fake.cluster.get('services', NAMESPACE, name);
    const target = (percent = 10) =>
      h.target({
        canaryPercent: percent,
        route: { route: 'classifier', service: 'classifier', namespace: NAMESPACE },
      });
    const writes = () =>
      h.fake.calls.filter(
        (c) => !['GET'].includes(c.method) && c.query.dryRun !== 'All' && c.status < 400,
      );

    async function start(options: KubernetesFakeOptions = {}, seed = exampleRoute()) {
      h = await startHarness(options);
      h.fake.seed(seed);
    }
    afterEach(async () => {
      await h?.close();
    });

    describe('with the example route', () => {
      beforeEach(async () => {
        await start();
      });

      test('deploy splits 80/10/10 over per-track Services; steps 10 → 25 → 50 set the weights; promote puts the route back', async () => {
        await target(10).deployCanary(v2);
        expect(weights()).toEqual([
          ['classifier-stable', 80, 80],
          ['classifier-canary', 80, 10],
          ['classifier-baseline', 80, 10],
        ]);
        for (const track of ['stable', 'canary', 'baseline']) {
          const svc = service(`classifier-${track}`) as { spec: JsonObject };
          expect(svc.spec.selector).toEqual({ app: 'classifier', track });
          expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
        }
        // The rest of the route is the team's, untouched.
        expect(route().spec.hostnames).toEqual(['classifier.example.com']);

        for (const [percent, stable, replicas] of [
          [10, 80, 1],
          [25, 50, 1],
          [50, 0, 2],
        ] as const) {
          const from = h.fake.calls.length;
          const status = await target(10).setTrafficShare(percent);
          // Capacity before traffic: the canary is scaled (and rolled out) before the weights move.
          const patched = h.fake.calls
            .slice(from)
            .filter((c) => c.method === 'PATCH' && c.query.dryRun !== 'All')
            .map((c) => c.path.split('/').slice(-2).join('/'));
          expect(patched).toEqual([
            ...(percent === 50
              ? ['deployments/classifier-canary', 'deployments/classifier-baseline']
              : []),
            ...(percent === 10 ? [] : ['httproutes/classifier']),
          ]);
          expect(weights()).toEqual([
            ['classifier-stable', 80, stable],
            ['classifier-canary', 80, percent],
            ['classifier-baseline', 80, percent],
          ]);
          expect(h.deployment('classifier-canary')?.spec.replicas).toBe(replicas);
          expect(status.tracks.find((t) => t.track === 'canary')?.replicas).toBe(replicas);
        }

        await recordVerdict(target());
        await target().promote();
        expect(route().spec.rules[0]!.backendRefs).toEqual([{ name: 'classifier', port: 80 }]);
        for (const track of ['stable', 'canary', 'baseline'])
          expect(service(`classifier-${track}`)).toBeUndefined();
        expect(service('classifier')).toBeDefined();
      });

      test('abort puts the route back on stable alone and removes the track Services', async () => {
        await target().deployCanary(v2);
        await target().abort();
        expect(route().spec.rules[0]!.backendRefs).toEqual([{ name: 'classifier', port: 80 }]);
        expect(service('classifier-canary')).toBeUndefined();
        expect(readLock(h.deployment('classifier')!)).toBeUndefined();
      });

      test('a failure setting the weights at deploy undoes everything: Services, canary, lock', async () => {
        // The dry run passes, the real patch fails.
        h.fake.inject({ method: 'PATCH', path: '/httproutes/classifier', skip: 1, status: 500 });
        const before = route();
        await expect(target().deployCanary(v2)).rejects.toThrow(
          /could not be applied.*canary and baseline removed/,
        );
        expect(route().spec).toEqual(before.spec);
        for (const name of ['classifier-canary', 'classifier-baseline'])
          expect(h.deployment(name)).toBeUndefined();
        for (const track of ['stable', 'canary', 'baseline'])
          expect(service(`classifier-${track}`)).toBeUndefined();
        expect(readLock(h.deployment('classifier')!)).toBeUndefined();
      });

      test('a promote interrupted while putting the route back is finished by the next command', async () => {
        await target().deployCanary(v2);
        await recordVerdict(target());
        h.fake.inject({ method: 'PATCH', path: '/httproutes/classifier', status: 500 });
        await expect(target().promote()).rejects.toThrow(/injected fault/);
        // The journal names the promote; the lock stays until it is finished.
        expect(readLock(h.deployment('classifier')!)).toBeDefined();
        await target().abort();
        expect(route().spec.rules[0]!.backendRefs).toEqual([{ name: 'classifier', port: 80 }]);
        for (const track of ['stable', 'canary', 'baseline'])
          expect(service(`classifier-${track}`)).toBeUndefined();
        expect(h.deployment('classifier-canary')).toBeUndefined();
        expect(readLock(h.deployment('classifier')!)).toBeUndefined();
        expect(h.log.lines.join('\n')).toMatch(/a previous promote of v2 .* was interrupted/);
      });

      test('the fake checks every HTTPRoute against the Gateway API v1 schema (422)', async () => {
        const ops = [{ op: 'add', path: '/spec/rules/0/backendRefs/0/weight', value: -1 }];
        const error = await h.kubectl
          .patchJson('httproutes.gateway.networking.k8s.io', 'classifier', ops)
          .catch((e: unknown) => e);
        expect(String(error)).toMatch(
          /The HTTPRoute "classifier" is invalid: spec.rules\[0\].backendRefs\[0\].weight: Invalid value: must be >= 0/,
        );
        expect(h.fake.calls.at(-1)?.status).toBe(422);
        // A server-side apply (how a team's manifests reach it) is checked the same way.
        const bad = exampleRoute() as unknown as { spec: { hostnames: string[] } };
        bad.spec.hostnames = ['Not A Hostname'];
        await expect(h.kubectl.apply([bad])).rejects.toThrow(/spec.hostnames\[0\]: Invalid value/);
        expect(route().spec.hostnames).toEqual(['classifier.example.com']);
        // The example's route itself passes the same schema.
        expect(() => new HTTPRoute(exampleRoute() as never).validate()).not.toThrow();
        expect(route().spec.rules[0]!.backendRefs).toEqual([{ name: 'classifier', port: 80 }]);
      });
    });

    test('replicas mode: a step scales canary and baseline and waits for them', async () => {
      h = await startHarness();
      const t = h.target({ canaryPercent: 10 });
      await t.deployCanary(v2);
      for (const [percent, replicas] of [
        [25, 1],
        [50, 2],
      ] as const) {
        const status = await t.setTrafficShare(percent);
        for (const track of ['canary', 'baseline'] as const) {
          expect(h.deployment(`classifier-${track}`)?.spec.replicas).toBe(replicas);
          const st = status.tracks.find((s) => s.track === track);
          expect([st?.ready, st?.replicas]).toEqual([true, replicas]);
        }
      }
      await expect(t.setTrafficShare(60)).rejects.toThrow(ConfigError);
    });

    test.each([
      [
        'an HTTPRoute that does not exist',
        () => ({ ...exampleRoute(), metadata: { name: 'other', namespace: NAMESPACE } }),
        {},
        ConfigError,
        /deploy.kubernetes.httpRoute.name: HTTPRoute classifier in namespace models .* not found/,
      ],
      [
        'a route that does not reference the stable Service',
        () => {
          const r = exampleRoute() as unknown as { spec: { rules: Array<{ backendRefs: Ref[] }> } };
          r.spec.rules[0]!.backendRefs = [{ name: 'something-else', port: 80 }];
          return r as unknown as JsonObject;
        },
        {},
        ConfigError,
        /does not reference Service classifier \(its backends: something-else\)/,
      ],
      [
        'a rule that mixes the stable Service with another backend',
        () => {
          const r = exampleRoute() as unknown as { spec: { rules: Array<{ backendRefs: Ref[] }> } };
          r.spec.rules[0]!.backendRefs.push({ name: 'legacy', port: 80 });
          return r as unknown as JsonObject;
        },
        {},
        ConfigError,
        /rule 0 sends to classifier, legacy; the split needs a rule whose only backend is Service classifier/,
      ],
      [
        'RBAC refusing patch on httproutes',
        exampleRoute,
        {
          authorize: (r: { verb: string; resource: string }) =>
            !(r.resource === 'httproutes' && r.verb === 'patch'),
        },
        EnvironmentError,
        /refused: .*cannot patch resource "httproutes" in API group "gateway.networking.k8s.io".*grant the CI identity get and patch on httproutes/,
      ],
      [
        'a cluster without the Gateway API',
        exampleRoute,
        { gatewayApi: false },
        EnvironmentError,
        /does not serve gateway.networking.k8s.io\/v1 HTTPRoute; install the Gateway API CRDs, or set deploy.kubernetes.traffic: replicas/,
      ],
    ])('%s: a clear error, nothing applied', async (_, seed, options, type, message) => {
      await start(options, seed());
      const error = await target()
        .deployCanary(v2)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(type);
      expect((error as Error).message).toMatch(message);
      expect((error as ConfigError).exitCode).toBe(type === ConfigError ? 2 : 3);
      expect(writes()).toEqual([]);
    });
  },
);
