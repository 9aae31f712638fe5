import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { initialShare } from '../../../src/config/sections/deploy.js';
import { ConfigError, ExitCode } from '../../../src/core/errors.js';

// deploy.steps: the shares canary and baseline each get, raised by the gate step by step.
function load(yaml: string) {
  const root = mkdtempSync(join(tmpdir(), 'md-steps-'));
  mkdirSync(join(root, '.github'));
  writeFileSync(join(root, '.github', 'model-delivery.yml'), yaml);
  return loadConfig({ cwd: root, env: {} });
}

function problemsOf(yaml: string): ConfigError {
  try {
    load(yaml);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('deploy.steps', () => {
  it.each([
    ['[10, 25, 50]', [10, 25, 50], 10],
    ['[5]', [5], 5],
    ['[0.5, 50]', [0.5, 50], 0.5],
  ])('%s is a ramp starting at its first step', (steps, parsed, start) => {
    const { config } = load(`deploy:\n  steps: ${steps}\n  canary: { percent: 30 }\n`);
    expect(config.deploy.steps).toEqual(parsed);
    expect(initialShare(config.deploy)).toBe(start);
  });

  it('without steps the share is canary.percent', () => {
    const { config } = load('deploy:\n  canary: { percent: 30 }\n');
    expect(config.deploy.steps).toBeUndefined();
    expect(initialShare(config.deploy)).toBe(30);
  });

  it.each([
    [
      '[10, 10, 50]',
      /^deploy\.steps\[1\]: must be above the step before it \(10\): steps only raise the share/,
    ],
    ['[25, 10]', /^deploy\.steps\[1\]: must be above the step before it \(25\)/],
    [
      '[10, 25, 60]',
      /^deploy\.steps\[2\]: each step is at most 50: canary and baseline each get this share/,
    ],
    ['[0, 10]', /^deploy\.steps\[0\]: each step is a share of traffic above 0/],
    ['[-5, 10]', /^deploy\.steps\[0\]: each step is a share of traffic above 0/],
    ['[]', /^deploy\.steps: list at least one step, such as \[10, 25, 50\], or leave steps out/],
    ['25', /^deploy\.steps: expected array, got number/],
    ['[ten]', /^deploy\.steps\[0\]: expected number, got string/],
  ])('%s is a config error (exit 2) naming the step and what to fix', (steps, message) => {
    const error = problemsOf(`deploy:\n  steps: ${steps}\n`);
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.problems).toEqual([expect.stringMatching(message)]);
    expect(error.problems[0]).toMatch(/\(line 2\)$/);
  });

  it.each([
    [
      'a step shorter than a look',
      'deploy: { steps: [10, 50], stepDuration: 10s }\ngate: { interval: 30s }\n',
      /^deploy\.stepDuration: shorter than gate\.interval \(30s\): a step must last at least one look/,
    ],
    [
      'a ramp longer than the gate',
      'deploy: { steps: [10, 25, 50], stepDuration: 4m }\ngate: { maxDuration: 10m }\n',
      /^deploy\.stepDuration: 3 steps of 4m need 12m, longer than gate\.maxDuration \(10m\): the gate would end before the last step; shorten stepDuration, drop a step or raise gate\.maxDuration/,
    ],
  ])('%s is a config error against the gate', (_, yaml, message) => {
    const error = problemsOf(yaml);
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.problems).toEqual([expect.stringMatching(message)]);
  });

  it('stepDuration is not checked without steps', () => {
    expect(load('deploy: { stepDuration: 1h }\n').config.deploy.stepDuration).toBe(3_600_000);
  });
});
