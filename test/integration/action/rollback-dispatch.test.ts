import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { runCompositeAction } from '../../helpers/action-runner.js';
import { REPO_ROOT, runCli } from '../../helpers/cli.js';
import { copyExample } from '../../helpers/example.js';
import { recordLocalVerdict } from '../../helpers/gate-verdict.js';

// What the bot's dispatch runs: rollback.yml uses the action with `stages: rollback` and
// `to`. No deploy happens in that run, so the rollback step must run on its own.
describe('action.yml: the dispatched rollback (stages: rollback, to)', () => {
  const example = copyExample();
  const cli = (args: string[]) =>
    runCli([...args, '--set', 'deploy.local.port=0'], { cwd: example.dir });

  beforeAll(async () => {
    await execa(`${REPO_ROOT}/node_modules/.bin/tsx`, ['src/train.ts', '--max_steps', '50'], {
      cwd: example.dir,
    });
    for (const args of [
      ['deploy', '--version', 'v1'],
      ['deploy', '--version', 'v2'],
    ]) {
      const run = await cli(args);
      expect(run.exitCode, run.stderr + run.stdout).toBe(0);
    }
    // promote needs the gate's pass for this canary: recorded as the gate would record it.
    await recordLocalVerdict(example.dir, ['deploy.local.port=0']);
    const promoted = await cli(['promote']);
    expect(promoted.exitCode, promoted.stderr + promoted.stdout).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await cli(['stop']);
    example.remove();
  }, 60_000);

  it('rolls stable back to the requested release', async () => {
    const run = await runCompositeAction({
      actionDir: REPO_ROOT,
      workspace: example.dir,
      inputs: { stages: 'rollback', to: 'v1', set: 'deploy.local.port=0' },
      eventName: 'workflow_dispatch',
    });
    const ran = run.steps.filter((s) => s.ran).map((s) => `${s.id}:${s.outcome}`);
    expect(ran).toContain('rollback:success');
    expect(ran).not.toContain('deploy:success');
    const rollback = run.steps.find((s) => s.id === 'rollback');
    expect(rollback?.outputs.version).toBe('v1');
    const url = rollback?.outputs['front-url'];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = (await (await fetch(`${url}/version`)).json()) as { model_version: string };
    expect(answer.model_version).toBe('v1');
  }, 120_000);

  it('skips the rollback step when rollback is not among the stages', async () => {
    const run = await runCompositeAction({
      actionDir: REPO_ROOT,
      workspace: example.dir,
      inputs: { stages: 'lint', set: 'deploy.local.port=0' },
    });
    expect(run.steps.find((s) => s.id === 'rollback')?.ran).toBe(false);
  });
});
