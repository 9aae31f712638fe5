import { describe, expect, test } from 'vitest';
import {
  annotateArgs,
  deleteObjectsArgs,
  getObjectsArgs,
  kustomizeArgs,
  listPodsArgs,
  rawGetArgs,
  applyArgs,
  connectionArgs,
  deleteDeploymentsArgs,
  getDeploymentsArgs,
  patchArgs,
  rolloutStatusArgs,
  rolloutUndoArgs,
  timeoutFlag,
} from '../../../src/targets/kubectl-args.js';
import { kubectlSaid, reasonOf } from '../../../src/targets/kubectl.js';

describe('kubectl argument lists', () => {
  test.each([
    [{ namespace: 'models' }, ['--namespace=models']],
    [{ namespace: 'models', context: 'prod' }, ['--context=prod', '--namespace=models']],
    [
      { namespace: 'models', kubeconfig: '/tmp/x/config', context: 'prod' },
      ['--kubeconfig=/tmp/x/config', '--context=prod', '--namespace=models'],
    ],
  ])('connection %j → %j', (connection, argv) => {
    expect(connectionArgs(connection)).toEqual(argv);
  });

  test.each([
    [1, '--timeout=1s'],
    [999, '--timeout=1s'],
    [1000, '--timeout=1s'],
    [1001, '--timeout=2s'],
    [300_000, '--timeout=300s'],
  ])('timeout %d ms → %s (rounded up, at least 1 s)', (ms, flag) => {
    expect(timeoutFlag(ms)).toBe(flag);
  });

  test.each<[string, () => string[], string[]]>([
    [
      'get one',
      () => getDeploymentsArgs(['web']),
      [
        'get',
        'deployment',
        'web',
        '--output=json',
        '--ignore-not-found',
        '--show-managed-fields=true',
      ],
    ],
    [
      'get every track',
      () => getDeploymentsArgs(['web', 'web-canary', 'web-baseline']),
      [
        'get',
        'deployment',
        'web',
        'web-canary',
        'web-baseline',
        '--output=json',
        '--ignore-not-found',
        '--show-managed-fields=true',
      ],
    ],
    [
      'server-side apply from stdin',
      () => applyArgs(),
      [
        'apply',
        '--server-side',
        '--field-manager=model-delivery',
        '--force-conflicts',
        '--validate=false',
        '--filename=-',
      ],
    ],
    [
      'rollout status',
      () => rolloutStatusArgs('web-canary', 90_000),
      ['rollout', 'status', 'deployment/web-canary', '--watch=true', '--timeout=90s'],
    ],
    [
      'strategic patch of image and version',
      () =>
        patchArgs('web', {
          spec: { template: { spec: { containers: [{ name: 'model', image: 'r/m@sha256:1' }] } } },
        }),
      [
        'patch',
        'deployment',
        'web',
        '--type=strategic',
        '--field-manager=model-delivery',
        '--patch={"spec":{"template":{"spec":{"containers":[{"name":"model","image":"r/m@sha256:1"}]}}}}',
      ],
    ],
    [
      'annotate with the optimistic lock',
      () =>
        annotateArgs('web', {
          set: { 'model-delivery.dev/lock': '{"holder":"a b"}' },
          resourceVersion: '42',
        }),
      [
        'annotate',
        'deployment',
        'web',
        'model-delivery.dev/lock={"holder":"a b"}',
        '--overwrite',
        '--field-manager=model-delivery',
        '--resource-version=42',
      ],
    ],
    [
      'annotate set and remove',
      () => annotateArgs('web', { set: { a: '1' }, remove: ['model-delivery.dev/lock'] }),
      [
        'annotate',
        'deployment',
        'web',
        'a=1',
        'model-delivery.dev/lock-',
        '--overwrite',
        '--field-manager=model-delivery',
      ],
    ],
    ['rollout undo', () => rolloutUndoArgs('web'), ['rollout', 'undo', 'deployment/web']],
    ['kustomize', () => kustomizeArgs('/repo/k8s'), ['kustomize', '/repo/k8s']],
    [
      'a track’s pods',
      () => listPodsArgs({ app: 'classifier', track: 'canary' }),
      ['get', 'pods', '--selector=app=classifier,track=canary', '--output=json'],
    ],
    [
      'a pod’s metrics through the pod proxy',
      () => rawGetArgs('/api/v1/namespaces/m/pods/p-1:8080/proxy/metrics'),
      ['get', '--raw=/api/v1/namespaces/m/pods/p-1:8080/proxy/metrics'],
    ],
    [
      'get the manifests objects that exist',
      () => getObjectsArgs(),
      ['get', '--filename=-', '--output=json', '--ignore-not-found'],
    ],
    [
      'delete objects',
      () => deleteObjectsArgs(30_000),
      ['delete', '--filename=-', '--ignore-not-found', '--wait=true', '--timeout=30s'],
    ],
    [
      'delete canary and baseline',
      () => deleteDeploymentsArgs(['web-canary', 'web-baseline'], 60_000),
      [
        'delete',
        'deployment',
        'web-canary',
        'web-baseline',
        '--ignore-not-found',
        '--wait=true',
        '--timeout=60s',
      ],
    ],
  ])('%s', (_name, build, argv) => {
    expect(build()).toEqual(argv);
  });

  test.each<[string, () => string[]]>([
    ['get without names', () => getDeploymentsArgs([])],
    ['delete without names', () => deleteDeploymentsArgs([], 1000)],
    ['annotate without a change', () => annotateArgs('web', {})],
    ['pods without a selector', () => listPodsArgs({})],
    ['a raw GET outside the API', () => rawGetArgs('http://elsewhere/metrics')],
  ])('%s is refused', (_name, build) => {
    expect(build).toThrow(RangeError);
  });
});

describe("kubectl's messages", () => {
  test.each([
    ['Error from server (Conflict): Operation cannot be fulfilled', 'conflict'],
    ['Error from server (NotFound): deployments.apps "web" not found', 'not_found'],
    ['Error from server (Forbidden): deployments.apps is forbidden: User "ci"', 'forbidden'],
    ['The Deployment "web" is invalid: spec.template.metadata.labels', 'invalid'],
    ['Error from server (Invalid): error when applying patch', 'invalid'],
    [
      'The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?',
      'unreachable',
    ],
    ['error: deployment "web" exceeded its progress deadline', 'progress_deadline_exceeded'],
    ['error: timed out waiting for the condition', 'rollout_timeout'],
    ['error: something else', 'kubectl_failed'],
  ])('%s → %s', (message, reason) => {
    expect(reasonOf(message)).toBe(reason);
  });

  test('klog noise is dropped, the message kept', () => {
    const stderr = [
      'E1123 17:40:02.476791   14842 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list"',
      'The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?',
      '',
    ].join('\n');
    expect(kubectlSaid(stderr)).toBe(
      'The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?',
    );
  });
});
