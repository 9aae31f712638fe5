import { describe, expect, test } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { ConfigError } from '../../../src/core/errors.js';
import { memoryLogger } from '../../../src/core/log.js';
import { SecretRegistry } from '../../../src/core/secrets.js';
import type { GitHubContext } from '../../../src/settings/github-context.js';
import { readStageInputs } from '../../../src/settings/stage-inputs.js';
import { kubernetesTargetOptions } from '../../../src/targets/kubernetes-options.js';
import {
  currentShare,
  routePatch,
  splitWeights,
  trackServices,
  type HttpRoute,
} from '../../../src/targets/kubernetes-route.js';

const names = { route: 'web', service: 'web', namespace: 'models' };
type Refs = NonNullable<NonNullable<HttpRoute['spec']>['rules']>[number]['backendRefs'];
const route = (backendRefs: Refs): HttpRoute => ({
  metadata: { name: 'web' },
  spec: { rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs }] },
});

describe('splitWeights', () => {
  test.each([
    [10, { stable: 80, canary: 10, baseline: 10 }],
    [25, { stable: 50, canary: 25, baseline: 25 }],
    [50, { stable: 0, canary: 50, baseline: 50 }],
    [12.5, { stable: 750, canary: 125, baseline: 125 }],
    [0.25, { stable: 9950, canary: 25, baseline: 25 }],
  ])('%s %% → %o', (percent, weights) => {
    expect(splitWeights(percent)).toEqual(weights);
    // The canary's share of the sum is the percent, exactly.
    const sum = weights.stable + weights.canary + weights.baseline;
    expect((weights.canary / sum) * 100).toBeCloseTo(percent, 10);
  });
  test.each([-1, 51, Number.NaN])('%s is refused', (percent) => {
    expect(() => splitWeights(percent)).toThrow(RangeError);
  });
});

describe('routePatch', () => {
  test('splits the stable ref into three, keeping its port and filters, guarded by a test op', () => {
    const refs = [{ name: 'web', port: 80, filters: [{ type: 'RequestHeaderModifier' }] }];
    const ops = routePatch(route(refs), names, 10, 'route web');
    expect(ops).toEqual([
      { op: 'test', path: '/spec/rules/0/backendRefs', value: refs },
      {
        op: 'replace',
        path: '/spec/rules/0/backendRefs',
        value: ['stable', 'canary', 'baseline'].map((t, i) => ({
          name: `web-${t}`,
          port: 80,
          filters: [{ type: 'RequestHeaderModifier' }],
          weight: [80, 10, 10][i],
        })),
      },
    ]);
  });

  test('back to stable alone from a split route; nothing to do when already there', () => {
    const split = ['stable', 'canary', 'baseline'].map((t, i) => ({
      name: `web-${t}`,
      port: 80,
      weight: [50, 25, 25][i],
    }));
    expect(currentShare(route(split), names, 'r')).toBe(25);
    expect(routePatch(route(split), names, undefined, 'r')[1]).toEqual({
      op: 'replace',
      path: '/spec/rules/0/backendRefs',
      value: [{ name: 'web', port: 80 }],
    });
    expect(routePatch(route([{ name: 'web', port: 80 }]), names, undefined, 'r')).toEqual([]);
    expect(currentShare(route([{ name: 'web', port: 80 }]), names, 'r')).toBeUndefined();
  });

  test.each([
    ['another Service only', [{ name: 'other', port: 80 }], /does not reference Service web/],
    [
      'the Service in another namespace',
      [{ name: 'web', namespace: 'elsewhere', port: 80 }],
      /does not reference Service web/,
    ],
    [
      'the Service beside another backend',
      [
        { name: 'web', port: 80 },
        { name: 'old', port: 80 },
      ],
      /rule 0 sends to web, old/,
    ],
  ])('%s: a ConfigError naming the fix', (_, refs, message) => {
    expect(() => routePatch(route(refs), names, 10, 'route web')).toThrow(ConfigError);
    expect(() => routePatch(route(refs), names, 10, 'route web')).toThrow(message);
  });
});

test('trackServices narrow the selector to each track and copy the ports', () => {
  const services = trackServices({
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      clusterIP: '10.0.0.1',
    },
  });
  expect(services.map((s) => [s.metadata.name, s.spec?.selector, s.spec?.clusterIP])).toEqual([
    ['web-stable', { app: 'web', track: 'stable' }, undefined],
    ['web-canary', { app: 'web', track: 'canary' }, undefined],
    ['web-baseline', { app: 'web', track: 'baseline' }, undefined],
  ]);
  expect(services[0]?.spec?.ports).toEqual([
    { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
  ]);
  expect(() => trackServices({ metadata: { name: 'x' }, spec: { ports: [] } })).toThrow(
    /has no selector/,
  );
});

describe('deploy.kubernetes.traffic in the target options', () => {
  const options = (kubernetes: Record<string, unknown>) =>
    kubernetesTargetOptions({
      config: configSchema.parse({
        deploy: {
          target: 'kubernetes',
          kubernetes: { deployment: 'classifier', namespace: 'models', ...kubernetes },
        },
      }),
      root: '/tmp',
      env: {},
      inputs: readStageInputs({}),
      log: memoryLogger(),
      secrets: new SecretRegistry(),
      flags: {},
      github: { actions: false } as GitHubContext,
    });

  test('gateway-api names the route and the stable Service (default: the Deployment)', () => {
    expect(options({ traffic: 'gateway-api', httpRoute: { name: 'public' } }).route).toEqual({
      route: 'public',
      service: 'classifier',
      namespace: 'models',
    });
    expect(
      options({ traffic: 'gateway-api', httpRoute: { name: 'public', service: 'web' } }).route
        ?.service,
    ).toBe('web');
    expect(options({}).route).toBeUndefined();
  });

  test('gateway-api without httpRoute is a config error (exit 2)', () => {
    expect(() => options({ traffic: 'gateway-api' })).toThrow(
      /deploy.kubernetes.httpRoute: required with traffic: gateway-api/,
    );
    expect(() => configSchema.parse({ deploy: { kubernetes: { traffic: 'istio' } } })).toThrow(
      /replicas.*gateway-api/,
    );
  });
});
