// docs/setup.md keeps the order a team follows, and the files it tells them to copy exist.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli.js';

const doc = readFileSync(join(REPO_ROOT, 'docs', 'setup.md'), 'utf8');

test('the set-up steps come in the order of a first installation', () => {
  const headings = [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
  const steps = [
    /GitHub App from `app\.yml`/,
    /secrets/,
    /RBAC/,
    /Prometheus rules and Alertmanager routing/,
    /Grafana import/,
    /first delivery/,
    /`amtool alert add`/,
  ];
  const positions = steps.map((step) => headings.findIndex((h) => step.test(h)));
  expect(
    positions.every((p) => p >= 0),
    JSON.stringify(headings),
  ).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
});

test('every file the guide names in its copy tables exists', () => {
  const table = doc.slice(doc.indexOf('| Path |'), doc.indexOf('## 1.'));
  const paths = [...table.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]!);
  expect(paths.length).toBeGreaterThanOrEqual(7);
  // The model repository's files come from the Python example; the rest from here.
  const example = join(REPO_ROOT, 'examples', 'python-classifier');
  for (const path of paths)
    expect(existsSync(join(example, path)) || existsSync(join(REPO_ROOT, path)), path).toBe(true);
});
