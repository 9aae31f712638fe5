import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, repositoryRoot } from '../../../src/config/load.js';
import { parseOverride } from '../../../src/config/overrides.js';
import { ConfigError } from '../../../src/core/errors.js';

function repoWith(yaml: string): string {
  const root = mkdtempSync(join(tmpdir(), 'md-config-'));
  mkdirSync(join(root, '.github'));
  writeFileSync(join(root, '.github', 'model-delivery.yml'), yaml);
  return root;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills defaults for an empty file and finds the repository root', () => {
    const root = repoWith('');
    const loaded = loadConfig({ cwd: root, env: {} });
    expect(loaded.root).toBe(root);
    expect(loaded.config.train.timeout).toBe(600_000);
    expect(loaded.config.train.metricsFile).toBe('metrics.json');
    expect(loaded.config.lint.commands).toEqual([]);
  });

  it('reports every problem at once, each with its path and line', () => {
    const root = repoWith(
      [
        'lint:',
        '  comands: []',
        '  timeout: soon',
        'train:',
        '  thresholds:',
        '    accuracy: {min: high}',
        '  metricsFile: 3',
        'deploi: {}',
      ].join('\n'),
    );
    const problems = problemsOf(() => loadConfig({ cwd: root, env: {} }));
    expect(problems).toEqual(
      expect.arrayContaining([
        'train.thresholds.accuracy.min: expected number, got string (line 6)',
        'train.metricsFile: expected string, got number (line 7)',
        'lint.timeout: expected a duration such as 30s, 10m or 1h (line 3)',
        expect.stringMatching(
          /^lint\.comands: unknown key \(did you mean "commands"\?\); allowed: commands, /,
        ),
        expect.stringMatching(/^deploi: unknown key \(did you mean "deploy"\?\)/),
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('rejects a threshold with neither min nor max', () => {
    const root = repoWith('train:\n  thresholds:\n    accuracy: {}\n');
    expect(problemsOf(() => loadConfig({ cwd: root, env: {} }))).toEqual([
      'train.thresholds.accuracy: set min, max or both (line 3)',
    ]);
  });

  it('names the YAML syntax error with its position', () => {
    const root = repoWith('train:\n  command: [a, b\n');
    const [problem] = problemsOf(() => loadConfig({ cwd: root, env: {} }));
    expect(problem).toMatch(/^model-delivery\.yml:\d+:\d+: /);
  });

  it('says how to fix a missing file', () => {
    const root = mkdtempSync(join(tmpdir(), 'md-none-'));
    expect(problemsOf(() => loadConfig({ cwd: root, env: {} }))[0]).toMatch(
      /no config file at .*create \.github\/model-delivery\.yml/,
    );
  });

  it('reads ${VAR} from the environment and records the value as a secret', () => {
    const root = repoWith(
      'train:\n  env:\n    TOKEN: ${MY_TOKEN}\n    MODE: ${MODE:-fast}\n    PRICE: $$5\n',
    );
    const loaded = loadConfig({ cwd: root, env: { MY_TOKEN: 's3cr3t-value' } });
    expect(loaded.config.train.env).toEqual({ TOKEN: 's3cr3t-value', MODE: 'fast', PRICE: '$5' });
    expect(loaded.secrets).toEqual(['s3cr3t-value']);
  });

  it('reports an unset variable with its path, without a value', () => {
    const root = repoWith('train:\n  env:\n    TOKEN: ${NOPE_NOT_SET}\n');
    expect(problemsOf(() => loadConfig({ cwd: root, env: {} }))).toEqual([
      'train.env.TOKEN: environment variable NOPE_NOT_SET is not set (set it, or write ${NOPE_NOT_SET:-} to allow it to be empty)',
    ]);
  });

  it('applies --set overrides with YAML-typed values, before validation', () => {
    const root = repoWith(
      'train:\n  command: python train.py\n  thresholds:\n    accuracy: {min: 0.8}\n',
    );
    const loaded = loadConfig({
      cwd: root,
      env: {},
      overrides: [
        parseOverride('train.thresholds.accuracy.min=0.9'),
        parseOverride('train.timeout=90s'),
        parseOverride('lint.commands=["npm test"]'),
      ],
    });
    expect(loaded.config.train.thresholds.accuracy).toEqual({ min: 0.9 });
    expect(loaded.config.train.timeout).toBe(90_000);
    expect(loaded.config.lint.commands).toEqual(['npm test']);
  });

  it('validates overridden values like file values', () => {
    const root = repoWith('');
    expect(
      problemsOf(() =>
        loadConfig({ cwd: root, env: {}, overrides: [parseOverride('train.timeout=later')] }),
      ),
    ).toEqual(['train.timeout: expected a duration such as 30s, 10m or 1h']);
  });
});

describe('repositoryRoot', () => {
  const repo = mkdtempSync(join(tmpdir(), 'md-root-'));
  mkdirSync(join(repo, '.git'));
  mkdirSync(join(repo, 'sub', 'deeper'), { recursive: true });
  const plain = mkdtempSync(join(tmpdir(), 'md-noroot-'));
  it.each([
    ['.github/ → its parent', '/r/.github/model-delivery.yml', '/r', undefined, '/r'],
    [
      'a config in a subfolder keeps the git top-level',
      join(repo, 'sub/x.yml'),
      repo,
      undefined,
      repo,
    ],
    [
      '… from a deeper working directory too',
      join(repo, 'sub/x.yml'),
      join(repo, 'sub/deeper'),
      undefined,
      repo,
    ],
    ['no git: the working directory', join(plain, 'sub/x.yml'), plain, undefined, plain],
    ['--root wins', join(repo, 'sub/x.yml'), repo, 'sub', join(repo, 'sub')],
  ])('%s', (_what, path, cwd, root, expected) =>
    expect(repositoryRoot(path, cwd, root)).toBe(expected),
  );
});

describe('templates are checked for balance when the config loads', () => {
  const metric = (query: string) =>
    [
      'gate:',
      '  source: prometheus',
      "  prometheus: { url: 'http://127.0.0.1:9090' }",
      '  metrics:',
      '    - name: q',
      '      type: query',
      `      query: '${query}'`,
      '      max: 1',
      '',
    ].join('\n');
  it.each([
    [
      'sum(rate(x{track="{{track"}[1m]))',
      /gate\.metrics\.0\.query: "\{\{" at character 19 is never closed/,
    ],
    [
      'sum(rate(x{track="track}}"}[1m]))',
      /gate\.metrics\.0\.query: "\}\}" at character 24 closes no "\{\{"/,
    ],
  ])('%s', (query, problem) => {
    expect(problemsOf(() => loadConfig({ cwd: repoWith(metric(query)), env: {} }))).toEqual([
      expect.stringMatching(problem),
    ]);
  });
  it('balanced templates load', () => {
    const loaded = loadConfig({
      cwd: repoWith(metric('sum(rate(x{track="{{track}}",ns="{{ namespace }}"}[{{interval}}]))')),
      env: {},
    });
    expect(loaded.config.gate.metrics).toHaveLength(1);
  });
  it('commands are not templates: `}}` in code loads', () => {
    const loaded = loadConfig({
      cwd: repoWith(
        ['train:', `  command: ["node", "-e", "console.log(JSON.stringify({a:{b:1}}))"]`, ''].join(
          '\n',
        ),
      ),
      env: {},
    });
    expect(loaded.config.train.command).toEqual([
      'node',
      '-e',
      'console.log(JSON.stringify({a:{b:1}}))',
    ]);
  });
});
