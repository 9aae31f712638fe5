import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execaSync } from 'execa';

/**
 * A PATH of one directory holding links to exactly these programs, so a test can run the
 * action the way a runner without a `node` of its own would. A name is looked up on this
 * PATH; `[name, path]` links `name` to `path`.
 */
export function toolPath(tools: ReadonlyArray<string | readonly [string, string]>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'md-tools-')), 'bin');
  mkdirSync(dir);
  for (const tool of tools) {
    const [name, where] = typeof tool === 'string' ? [tool, lookup(tool)] : tool;
    symlinkSync(where, join(dir, name));
  }
  return dir;
}

function lookup(tool: string): string {
  // `command -v` through bash: the PATH lookup a runner's shell does.
  const found = execaSync('bash', ['-c', 'command -v "$1"', 'bash', tool], { reject: false });
  const where = String(found.stdout).trim();
  if (found.exitCode !== 0 || !where.startsWith('/')) throw new Error(`${tool} is not on PATH`);
  return where;
}

/** The Python interpreter itself (not a pyenv shim, which needs pyenv on PATH). */
export function pythonExecutable(): string {
  const found = execaSync('python3', ['-c', 'import sys; print(sys.executable)']);
  return String(found.stdout).trim();
}
