import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCompositeAction } from '../../helpers/action-runner.js';
import { REPO_ROOT } from '../../helpers/cli.js';

/**
 * action.yml's step conditions, run by the runner emulation over a stand-in dist/cli.js
 * that records which stage ran and answers as the test says (exit code and outputs). The
 * real stages are tested elsewhere; this is about which steps run in which job.
 */
function fakeAction(): string {
  const dir = mkdtempSync(join(tmpdir(), 'md-action-'));
  cpSync(join(REPO_ROOT, 'action.yml'), join(dir, 'action.yml'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(
    join(dir, 'dist', 'cli.js'),
    `import { appendFileSync } from 'node:fs';
const stage = process.argv[2];
appendFileSync(process.env.FAKE_LOG, stage + '\\n');
const out = (s) => appendFileSync(process.env.GITHUB_OUTPUT, s + '\\n');
if (stage === 'plan') out('stages=' + process.env.INPUT_STAGES);
const [code, ...outputs] = (process.env['FAKE_' + stage.toUpperCase()] ?? '0').split(' ');
for (const o of outputs) out(o);
process.exitCode = Number(code);
`,
  );
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  return dir;
}

async function stagesRun(stages: string, answers: Record<string, string> = {}) {
  const dir = fakeAction();
  const log = join(dir, 'ran.log');
  writeFileSync(log, '');
  const env: Record<string, string> = { FAKE_LOG: log };
  for (const [stage, answer] of Object.entries(answers))
    env[`FAKE_${stage.toUpperCase()}`] = answer;
  const run = await runCompositeAction({ actionDir: dir, workspace: dir, inputs: { stages }, env });
  return { ran: readFileSync(log, 'utf8').trim().split('\n'), failed: run.failed };
}

describe.concurrent('which steps run, job by job', () => {
  it.each([
    // The second job of deploy → approval → gate: the canary is the target's, not a step output.
    ['gate,promote,rollback', { gate: '0 verdict=pass' }, ['gate', 'promote']],
    ['gate,promote,rollback', { gate: '1 verdict=fail' }, ['gate', 'rollback']],
    ['gate,promote,rollback', { gate: '1 verdict=inconclusive' }, ['gate', 'rollback']],
    // The gate found no canary to judge: nothing to remove, and stable is left alone.
    ['gate,promote,rollback', { gate: '1' }, ['gate']],
    [
      'gate,promote,rollback',
      { gate: '0 verdict=pass', promote: '1' },
      ['gate', 'promote', 'rollback'],
    ],
    ['promote', {}, ['promote']],
    ['rollback', {}, ['rollback']],
    ['gate', {}, ['gate']],
    // One job, deploy through promote.
    [
      'deploy,gate,promote,rollback',
      { deploy: '0 canary=true', gate: '0 verdict=pass' },
      ['deploy', 'gate', 'promote'],
    ],
    [
      'deploy,gate,promote,rollback',
      { deploy: '0 canary=true', gate: '1 verdict=fail' },
      ['deploy', 'gate', 'rollback'],
    ],
    // A first release goes straight to stable: no gate, nothing to promote or remove.
    ['deploy,gate,promote,rollback', { deploy: '0 canary=false' }, ['deploy']],
    ['deploy,gate,promote,rollback', { deploy: '1' }, ['deploy']],
    // The first job of the two-job pattern.
    ['lint,train,build,deploy', { deploy: '0 canary=true' }, ['lint', 'train', 'build', 'deploy']],
  ] as const)('%s with %j runs %j (then notify)', async (stages, answers, expected) => {
    const { ran } = await stagesRun(stages, answers);
    expect(ran).toEqual(['plan', ...expected, 'notify']);
  });
});
