import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { copyExample } from '../../helpers/example.js';

const example = copyExample();
afterAll(() => example.remove());
const cwd = example.dir;

describe('model-delivery CLI', () => {
  it('prints help and its version', async () => {
    const help = await runCli(['--help'], { cwd });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/Usage:\n {2}model-delivery <stage>/);
    expect(help.stdout).toMatch(/^ {2}lint +run lint commands/m);
    const version = await runCli(['--version'], { cwd });
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(join(cwd, '../../package.json'), 'utf8')).version,
    );
  });

  it.each([
    [['deploi'], /unknown stage "deploi"; stages: lint, train/],
    [['train', '--bogus'], /Unknown option '--bogus'/],
    [['train', 'lint'], /one stage at a time/],
    [['train', '--set', 'nodot'], /--set expects path=value/],
  ])('exits 2 on usage errors: %j', async (args, message) => {
    const run = await runCli([...args, '--json'], { cwd });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.json).toMatchObject({ status: 'error', reason: 'usage' });
  });

  it('train on the good model exits 0 with one JSON object and persists its report', async () => {
    const run = await runCli(['train', '--json'], { cwd });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.json).toMatchObject({ stage: 'train', status: 'success', reason: 'ok' });
    expect((run.json?.details.metrics as Record<string, number>).accuracy).toBeGreaterThan(0.9);
    const report = JSON.parse(
      readFileSync(join(cwd, '.model-delivery/reports/train.json'), 'utf8'),
    );
    expect(report).toMatchObject({ stage: 'train', status: 'success' });
    expect(readFileSync(join(cwd, '.model-delivery/summary.md'), 'utf8')).toMatch(
      /\| metric \| value \| threshold \| baseline \| delta \| status \|/,
    );
  });

  it('train on the worse model exits 1 and names the failing metric', async () => {
    const run = await runCli(['train', '--json'], {
      cwd,
      env: { MODEL_VARIANT: 'worse-accuracy' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.json).toMatchObject({ status: 'failure', reason: 'threshold_failed' });
    expect(run.json?.message).toMatch(/accuracy = 0\.\d+ is below the minimum 0\.85/);
    expect(run.json?.details.failed).toContain('accuracy');
    // A failed check the stage returned (not threw): exit code 1 beside its details.
    expect(run.json).toMatchObject({ exitCode: 1 });
    expect(run.json?.threw).toBeUndefined();
  });

  it('a regression alone fails with reason regression', async () => {
    const run = await runCli(
      [
        'train',
        '--json',
        '--set',
        'train.thresholds={}',
        '--set',
        'train.baseline.maxRegression.accuracy=0.001',
        '--set',
        'train.smoke.max_steps=5',
      ],
      { cwd },
    );
    expect(run.json).toMatchObject({ status: 'failure', reason: 'regression' });
    expect(run.json?.message).toMatch(/accuracy regressed from 0\.93 to/);
  });

  it.each([
    [
      ['--set', 'train.command=no-such-trainer --fast'],
      3,
      'command_not_found',
      /command `no-such-trainer` not found/,
    ],
    [
      [
        '--set',
        'train.command=["node","-e","setTimeout(()=>{},60000)"]',
        '--set',
        'train.timeout=1s',
      ],
      3,
      'timeout',
      /timed out after 1\.0s/,
    ],
    [
      ['--set', 'train.command=["node","-e","process.exit(4)"]'],
      1,
      'training_failed',
      /exited with code 4/,
    ],
    [
      ['--set', 'train.metricsFile=out/nope.json'],
      1,
      'metrics_file_missing',
      /out\/nope\.json was not written by `tsx src\/train\.ts`/,
    ],
    [
      [
        '--set',
        'train.command=["node","-e","require(\'fs\').writeFileSync(\'m.json\',JSON.stringify({eval:{acc:\'high\'}}))"]',
        '--set',
        'train.metricsFile=m.json',
      ],
      2,
      'metrics_file_invalid',
      /value at "eval\.acc" is a string/,
    ],
    [
      [
        '--set',
        'train.command=["node","-e","require(\'fs\').writeFileSync(\'m.json\',\'<html>oops\')"]',
        '--set',
        'train.metricsFile=m.json',
      ],
      2,
      'metrics_file_invalid',
      /m\.json: not valid JSON/,
    ],
    // Longer than Node's timers: 600h once overflowed and killed the training after 1 ms.
    [
      ['--set', 'train.timeout=600h'],
      2,
      'invalid_config',
      /train\.timeout.*too long: at most 2147483647 ms/,
    ],
    [
      ['--set', 'gate.maxDuration=99999999999999999999999h'],
      2,
      'invalid_config',
      /gate\.maxDuration.*too long/,
    ],
  ])('names what failed: %j', async (args, code, reason, message) => {
    const run = await runCli(['train', '--json', '--set', 'train.smoke={}', ...args], { cwd });
    expect(run.exitCode).toBe(code);
    // The result says the same exit code, typed, beside the details (which keep their own,
    // e.g. the training command's exit code).
    expect(run.json).toMatchObject({ reason, exitCode: code, threw: true });
    expect(run.json?.message).toMatch(message);
  });

  it('lint reports a PromQL syntax error with its position', async () => {
    const run = await runCli(
      ['lint', '--json', '--set', 'lint.promql.bad=sum(rate(x{job="a"[5m]))'],
      { cwd },
    );
    expect(run.exitCode).toBe(1);
    expect(run.json).toMatchObject({ status: 'failure', reason: 'lint_errors' });
    expect(run.stderr).toMatch(
      /lint\.promql\.bad: PromQL syntax error at line 1, column 19: unexpected "\["/,
    );
    const checks = run.json?.details.checks as Array<{ check: string; status: string }>;
    expect(checks.filter((c) => c.status === 'failure').map((c) => c.check)).toEqual([
      'lint.promql.bad',
    ]);
  });

  it('lint fails when a lint command fails, naming the command and its exit code', async () => {
    const run = await runCli(
      ['lint', '--json', '--set', 'lint.commands=[["node","-e","process.exit(3)"]]'],
      { cwd },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(
      /lint\.commands\[0\]: `node -e 'process\.exit\(3\)'` exited with code 3/,
    );
  });

  it('an invalid config reports all of its errors at once and exits 2', async () => {
    const config = join(cwd, 'bad.yml');
    writeFileSync(
      config,
      'lint:\n  comands: []\ntrain:\n  timeout: soon\n  thresholds:\n    accuracy: {min: high}\n',
    );
    const run = await runCli(['train', '--config', config, '--json'], { cwd });
    expect(run.exitCode).toBe(2);
    expect(run.json?.reason).toBe('invalid_config');
    expect(run.json?.details.problems).toHaveLength(3);
    expect(run.stderr).toMatch(/3 problems in the configuration/);
  });

  it('never prints a value read from ${VAR}', async () => {
    const secret = 'hunter2-very-secret';
    const config = join(cwd, '.github', 'secret.yml');
    writeFileSync(
      config,
      'train:\n  command: ["node", "-e", "console.log(\'token is \' + process.env.TOKEN); process.exit(2)"]\n  env:\n    TOKEN: ${MY_SECRET}\n',
    );
    const run = await runCli(['train', '--config', config, '--json'], {
      cwd,
      env: { MY_SECRET: secret },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/token is \*\*\*/);
    expect(run.stdout + run.stderr).not.toContain(secret);
    expect(
      readFileSync(join(cwd, '.github/../.model-delivery/reports/train.json'), 'utf8'),
    ).not.toContain(secret);
  });

  it('run stops the release at the first failed stage, still notifies, and fails with that stage', async () => {
    const run = await runCli(
      ['run', '--json', '--set', 'lint.commands=[["node","-e","process.exit(1)"]]'],
      { cwd },
    );
    expect(run.exitCode).toBe(1);
    expect(run.json).toMatchObject({ stage: 'run', status: 'failure', reason: 'lint_errors' });
    const stages = (run.json?.details.stages as Array<{ stage: string }>).map((s) => s.stage);
    expect(stages).toEqual(['lint', 'notify']);
  });
});
