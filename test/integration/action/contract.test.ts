import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_INPUTS, ACTION_OUTPUTS } from '../../../src/settings/action-io.js';
import { loadAction } from '../../helpers/action-runner.js';
import { REPO_ROOT } from '../../helpers/cli.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const action = loadAction(REPO_ROOT);
const src = join(REPO_ROOT, 'src');

describe('action.yml contract', () => {
  it('declares exactly the inputs the code reads', () => {
    expect(Object.keys(action.inputs ?? {}).sort()).toEqual([...ACTION_INPUTS].sort());
  });

  it('declares exactly the outputs the code writes', () => {
    expect(Object.keys(action.outputs ?? {}).sort()).toEqual([...ACTION_OUTPUTS].sort());
  });

  it('every output is produced by some stage', () => {
    const code = sourceFiles(src)
      .filter((f) => !f.endsWith('action-io.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    for (const name of ACTION_OUTPUTS) {
      const key = new RegExp(`(['"]${name}['"]|\\b${name.replace(/-/g, '\\-')}\\b)\\s*:`);
      expect(key.test(code), `no stage sets output "${name}"`).toBe(true);
    }
  });

  it('every output value reads a step output, and every step passes inputs only through env', () => {
    const ids = new Set(action.runs.steps.map((s) => s.id));
    for (const [name, { value }] of Object.entries(action.outputs ?? {})) {
      const m = /^\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}$/.exec(value);
      expect(m, `output ${name}`).not.toBeNull();
      expect(ids.has(m?.[1]), `output ${name} reads unknown step ${m?.[1]}`).toBe(true);
    }
    for (const step of action.runs.steps) {
      expect(step.run ?? '', `step ${step.id} expands an expression inside run:`).not.toMatch(
        /\$\{\{/,
      );
      for (const [key, value] of Object.entries(step.env ?? {})) {
        const input = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(value);
        if (input)
          expect(key, `step ${step.id}`).toBe(`INPUT_${(input[1] as string).toUpperCase()}`);
      }
    }
  });

  it('no module but action-io reads inputs or writes outputs', () => {
    const offenders = sourceFiles(src)
      .filter((f) => !f.endsWith(join('settings', 'action-io.ts')))
      .filter((f) =>
        /\bcore\.(getInput|getMultilineInput|getBooleanInput|setOutput)\s*\(/.test(
          readFileSync(f, 'utf8'),
        ),
      )
      .map((f) => relative(REPO_ROOT, f));
    expect(offenders).toEqual([]);
  });
});
