import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT } from '../helpers/cli.js';
import { requireE2E } from '../helpers/e2e.js';

describe('dist/', () => {
  it('matches a fresh bundle (run `npm run bundle` and commit dist/)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'md-dist-'));
    await execa(process.execPath, ['scripts/bundle.mjs', out], { cwd: REPO_ROOT });
    const committed = readdirSync(join(REPO_ROOT, 'dist')).sort();
    expect(committed, 'dist/ holds other files than a fresh bundle: run `npm run bundle`').toEqual(
      readdirSync(out).sort(),
    );
    for (const file of committed) {
      const same = readFileSync(join(REPO_ROOT, 'dist', file)).equals(
        readFileSync(join(out, file)),
      );
      expect(same, `dist/${file} is stale: run \`npm run bundle\` and commit dist/`).toBe(true);
    }
  });

  const node20 = findNode20();
  it.skipIf(!node20 && !requireE2E)('runs on Node 20 (self-hosted runners)', async () => {
    expect(node20, 'no Node 20 found: set MODEL_DELIVERY_NODE20 to a node 20 binary').toBeTruthy();
    const version = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'))
      .version as string;
    const result = await execa(node20 as string, [CLI, '--version']);
    expect(result.stdout.trim()).toBe(version);
    const plan = await execa(node20 as string, [CLI, 'plan', '--json'], {
      env: { INPUT_STAGES: 'lint' },
    });
    expect(JSON.parse(plan.stdout)).toMatchObject({
      stage: 'plan',
      status: 'success',
      details: { stages: ['lint'] },
    });
  });
});

function findNode20(): string | undefined {
  for (const candidate of [
    process.env.MODEL_DELIVERY_NODE20,
    '/usr/bin/node',
    '/usr/local/bin/node',
  ].filter(Boolean) as string[]) {
    try {
      if (execFileSync(candidate, ['--version'], { encoding: 'utf8' }).startsWith('v20.'))
        return candidate;
    } catch {
      // Not there or not runnable: try the next candidate.
      continue;
    }
  }
  return undefined;
}
