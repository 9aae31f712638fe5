import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE, REPO_ROOT } from './cli.js';

/**
 * A private copy of examples/classifier inside the repository (so node_modules and tsx
 * resolve as they do for the real example), without build outputs or state. Each test gets
 * its own `.model-delivery/`, so parallel tests never share reports.
 */
export function copyExample(): { dir: string; remove: () => void } {
  const base = join(REPO_ROOT, '.tmp-tests');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'example-'));
  cpSync(EXAMPLE, dir, {
    recursive: true,
    filter: (src) =>
      !/[/\\](out|\.model-delivery|node_modules)([/\\]|$)/.test(src.slice(EXAMPLE.length)),
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
