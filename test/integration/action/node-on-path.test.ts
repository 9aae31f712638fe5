import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runCompositeAction } from '../../helpers/action-runner.js';
import { CLI, REPO_ROOT } from '../../helpers/cli.js';
import { pythonExecutable, toolPath } from '../../helpers/tool-path.js';

/**
 * The action brings its own Node when the runner has none (or an old one), and needs
 * nothing from the project's package manager: a Python project with no package.json.
 */
function pythonProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'md-python-project-'));
  mkdirSync(join(dir, '.github'));
  writeFileSync(
    join(dir, '.github', 'model-delivery.yml'),
    // The command from the issue: quotes inside quotes, split as a shell would.
    `version: 1\nlint:\n  commands:\n    - python3 -c "print('lint ok')"\n`,
  );
  return dir;
}

function withOldNode(dir: string): string {
  const node = join(dir, 'node');
  writeFileSync(node, '#!/bin/sh\necho v18.19.0\n');
  chmodSync(node, 0o755);
  return dir;
}

describe('the node the action runs on', () => {
  const tools = () => toolPath(['bash', ['python3', pythonExecutable()]]);

  it.each([
    ['no node on PATH', () => tools(), /node on PATH: none; model-delivery needs >= 20\.18\.1/],
    [
      'an old node on PATH',
      () => `${withOldNode(mkdtempSync(join(tmpdir(), 'md-old-node-')))}:${tools()}`,
      /node on PATH: v18\.19\.0; model-delivery needs >= 20\.18\.1/,
    ],
  ])('%s: setup-node supplies one and the stages run', async (_, path, message) => {
    const run = await runCompositeAction({
      actionDir: REPO_ROOT,
      workspace: pythonProject(),
      inputs: { stages: 'lint' },
      env: { PATH: path() },
    });
    const byId = Object.fromEntries(run.steps.map((s) => [s.id, s]));
    expect(byId.node?.stdout).toMatch(message);
    expect(run.steps[1]).toMatchObject({ ran: true, stdout: 'emulated actions/setup-node@v4' });
    expect(byId.plan?.outcome).toBe('success');
    expect(byId.lint?.outcome).toBe('success');
    expect(byId.lint?.stdout).toContain('lint ok');
    expect(run.failed).toBe(false);
  });
});

describe('the CLI checks the Node it runs on', () => {
  it('an old Node gets a clear message and exit 3 before anything runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-old-versions-'));
    // Node 20 and 24 are what this machine has: pretend to be an older one.
    const preload = join(dir, 'old.mjs');
    writeFileSync(
      preload,
      "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '20.9.0' } });\n",
    );
    const result = await execa(process.execPath, ['--import', preload, CLI, 'plan'], {
      cwd: dir,
      reject: false,
    });
    expect(result.exitCode).toBe(3);
    expect(String(result.stderr)).toMatch(
      /^model-delivery: Node 20\.9\.0 is too old: model-delivery needs Node >= 20\.18\.1/,
    );
    expect(String(result.stdout)).toBe('');
  });
});
