import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandManifestPaths, validateManifests } from '../../../src/lint/manifests.js';
import { EXAMPLE } from '../../helpers/cli.js';

function check(yaml: string) {
  const root = mkdtempSync(join(tmpdir(), 'md-manifests-'));
  writeFileSync(join(root, 'm.yaml'), yaml);
  return validateManifests(root, [join(root, 'm.yaml')]);
}

const deployment = (labels: string, selector = 'app: web') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {${selector}}}
  template:
    metadata: {labels: {${labels}}}
    spec: {containers: [{name: model, image: x}]}
`;

describe('validateManifests', () => {
  it('accepts the example project manifests', () => {
    const { files, missing } = expandManifestPaths(EXAMPLE, ['k8s']);
    expect(missing).toEqual([]);
    const { objects, problems } = validateManifests(EXAMPLE, files);
    expect(problems).toEqual([]);
    expect(objects.map((o) => `${o.kind}/${o.name}`).sort()).toEqual([
      'Deployment/classifier',
      'Kustomization/',
      'Service/classifier',
    ]);
  });

  it.each([
    [
      'an unknown kind',
      'apiVersion: v1\nkind: Widget\nmetadata: {name: a}\n',
      /kind Widget \(v1\) is not one model-delivery knows/,
    ],
    [
      'a wrong apiVersion',
      deployment('app: web, version: v1').replace('apps/v1', 'extensions/v1beta1'),
      /Deployment must use apiVersion apps\/v1, not extensions\/v1beta1/,
    ],
    ['no app label', deployment('tier: web, version: v1', 'tier: web'), /needs an "app" label/],
    [
      'a selector label missing from the pods',
      deployment('app: web, version: v1', 'app: web, tier: x'),
      /selector tier=x is missing from the pod template labels/,
    ],
    [
      'a Service selecting on track',
      'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {app: web, track: stable}}\n',
      /must not include "track"/,
    ],
    ['missing kind', 'apiVersion: v1\nmetadata: {name: a}\n', /missing apiVersion or kind/],
    ['broken YAML', 'kind: [\n', /^YAML: /],
  ])('reports %s', (_name, yaml, message) => {
    const { problems } = check(yaml);
    const errors = problems.filter((p) => p.severity === 'error').map((p) => p.message);
    expect(errors.length).toBeGreaterThan(0);
    expect(
      errors.every((m) => message.test(m)),
      errors.join('\n'),
    ).toBe(true);
  });

  it('warns, without failing, when pods carry no version label', () => {
    const { problems } = check(deployment('app: web'));
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/no "version" label/),
      }),
    ]);
  });

  it('reports the line of each document', () => {
    const { problems } = check(
      `apiVersion: v1\nkind: Service\nmetadata: {name: ok}\nspec: {selector: {app: a}}\n---\napiVersion: v1\nkind: Nope\n`,
    );
    expect(problems[0]).toMatchObject({ line: 6 });
  });
});
