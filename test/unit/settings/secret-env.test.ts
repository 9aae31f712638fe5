import { describe, expect, it } from 'vitest';
import { SECRET_ENV, isPrivateEnvName, secretEnvValues } from '../../../src/settings/secret-env.js';
import { readStageInputs } from '../../../src/settings/stage-inputs.js';

describe('the secret env list', () => {
  it('every secret name is also private: a value redacted in logs never reaches a model process', () => {
    for (const name of SECRET_ENV) expect(isPrivateEnvName(name), name).toBe(true);
  });

  it.each([
    ['SLACK_WEBHOOK', true],
    ['INPUT_STAGES', true],
    ['ACTIONS_RUNTIME_TOKEN', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['PATH', false],
    ['MODEL_PORT', false],
  ])('isPrivateEnvName(%s) is %s', (name, expected) => {
    expect(isPrivateEnvName(name)).toBe(expected);
  });

  it('collects the values present, skipping empty ones', () => {
    expect(secretEnvValues({ GITHUB_TOKEN: 'ghs_x', SLACK_WEBHOOK: '', PATH: '/bin' })).toEqual([
      'ghs_x',
    ]);
  });
});

describe('readStageInputs', () => {
  it('reads the inputs once: inputs win over plain env, blank inputs fall back', () => {
    const inputs = readStageInputs({
      'INPUT_REGISTRY-USERNAME': ' ',
      REGISTRY_USERNAME: 'env',
      'INPUT_REGISTRY-PASSWORD': 'inpass',
      INPUT_KUBECONFIG: 'apiVersion: v1',
      LOGNAME: 'ci',
      PROM_TOKEN: 'tok',
    });
    expect(inputs.registry).toEqual({ username: 'env', password: 'inpass' });
    expect(inputs.kubeconfig).toBe('apiVersion: v1');
    expect(inputs.user).toBe('ci');
    expect(inputs.variable('PROM_TOKEN')).toBe('tok');
    expect(readStageInputs({ INPUT_KUBECONFIG: '  ' }).kubeconfig).toBeUndefined();
  });
});
