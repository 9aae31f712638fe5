import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
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

  it('every output is written by the step it is read from, and every written output is declared', () => {
    const declared = declaredStepOutputs();
    const written = new Map<string, Set<string>>();
    for (const step of declared.keys()) written.set(step, writtenOutputs(step));
    for (const [step, names] of declared) {
      const missing = [...names].filter((n) => !written.get(step)?.has(n));
      expect(missing, `action.yml reads outputs step ${step} never writes`).toEqual([]);
    }
    const all = new Set([...written.values()].flatMap((names) => [...names]));
    expect([...all].sort(), 'outputs some step writes').toEqual(
      [...new Set([...declared.values()].flatMap((n) => [...n]))].sort(),
    );
    expect(
      [...all].filter((n) => !(n in (action.outputs ?? {}))),
      'written, undeclared',
    ).toEqual([]);
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

  it('no module but the input modules reads inputs (core.getInput or process.env) or writes outputs', () => {
    const offenders = sourceFiles(src)
      .map((f) => relative(REPO_ROOT, f).split('\\').join('/'))
      .filter((f) => !f.startsWith('src/settings/') && f !== 'src/bot/settings.ts')
      .filter((f) => {
        const code = readFileSync(join(REPO_ROOT, f), 'utf8').replace(/^\s*\/\/.*$/gm, '');
        const entry = /(^|\/)(main|[\w-]+-main)\.ts$/.test(f);
        return (
          /\bcore\.(getInput|getMultilineInput|getBooleanInput|setOutput)\s*\(/.test(code) ||
          /INPUT_/.test(code) ||
          (entry ? /\bprocess\.env\s*(\?\.|\.|\[)/ : /\bprocess\.env\b/).test(code)
        );
      });
    expect(offenders).toEqual([]);
  });

  it('the inputs the code reads are the inputs action.yml declares', () => {
    // secret-env.ts names env to redact, which is not reading it.
    const code = sourceFiles(join(src, 'settings'))
      .filter((f) => !f.endsWith('secret-env.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const read = new Set<string>();
    for (const m of code.matchAll(/\b(?:get|getInput|getMultilineInput)\(\s*'([\w-]+)'/g))
      read.add(m[1] as string);
    for (const m of code.matchAll(/'INPUT_([A-Z0-9_-]+)'/g))
      read.add((m[1] as string).toLowerCase());
    expect([...read].sort()).toEqual(Object.keys(action.inputs ?? {}).sort());
  });
});

/** action.yml's outputs, by the step they are read from (`steps.<id>.outputs.<name>`). */
function declaredStepOutputs(): Map<string, Set<string>> {
  const byStep = new Map<string, Set<string>>();
  for (const { value } of Object.values(action.outputs ?? {})) {
    const m = /^\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}$/.exec(value);
    if (!m) continue;
    const names = byStep.get(m[1] as string) ?? new Set<string>();
    names.add(m[2] as string);
    byStep.set(m[1] as string, names);
  }
  return byStep;
}

/**
 * The outputs a step writes, read from the code with the TypeScript parser: the keys of
 * every `outputs: {…}` a stage returns (spreads of conditional objects included), and for
 * `plan` the object execute.ts passes to writeActionOutputs.
 */
function writtenOutputs(step: string): Set<string> {
  const file = step === 'plan' ? join(src, 'cli', 'execute.ts') : join(src, 'stages', `${step}.ts`);
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const names = new Set<string>();
  const keys = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      for (const p of node.properties) {
        if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && p.name)
          names.add(p.name.getText(source).replace(/^['"]|['"]$/g, ''));
        else if (ts.isSpreadAssignment(p)) keys(p.expression);
      }
      return;
    }
    ts.forEachChild(node, keys);
  };
  const visit = (node: ts.Node): void => {
    if (
      ts.isPropertyAssignment(node) &&
      node.name.getText(source) === 'outputs' &&
      ts.isObjectLiteralExpression(node.initializer)
    )
      keys(node.initializer);
    if (
      ts.isCallExpression(node) &&
      node.expression.getText(source) === 'writeActionOutputs' &&
      node.arguments[0]
    )
      keys(node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}
