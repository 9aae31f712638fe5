import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCompositeAction } from '../../helpers/action-runner.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { copyExample } from '../../helpers/example.js';

describe('action.yml run as the runner runs it', () => {
  const example = copyExample();
  afterAll(() => example.remove());

  it('runs lint and train on the example and sets outputs and the job summary', async () => {
    const run = await runCompositeAction({
      actionDir: REPO_ROOT,
      workspace: example.dir,
      inputs: { stages: 'lint,train' },
      eventName: 'pull_request',
    });
    const ran = run.steps.filter((s) => s.ran).map((s) => `${s.id}:${s.outcome}`);
    // node is on this PATH and new enough: the setup-node step is skipped.
    expect(ran.slice(0, 4)).toEqual([
      'node:success',
      'plan:success',
      'lint:success',
      'train:success',
    ]);
    expect(run.steps[1]?.ran).toBe(false);
    const train = run.steps.find((s) => s.id === 'train');
    expect(train?.stdout).toMatch(/::group::train: tsx src\/train\.ts --max_steps 50/);
    const metrics = JSON.parse(run.outputs.metrics ?? '{}') as Record<string, number>;
    expect(Object.keys(metrics).sort()).toEqual(['accuracy', 'f1', 'loss', 'precision', 'recall']);
    expect(metrics.accuracy).toBeGreaterThan(0.85);
    expect(run.outputs.stages).toBe('lint,train');
    // What the steps wrote to GITHUB_OUTPUT, exactly: the contract test reads the rest from the code.
    expect(Object.keys(run.steps.find((s) => s.id === 'plan')?.outputs ?? {})).toEqual(['stages']);
    expect(Object.keys(train?.outputs ?? {})).toEqual(['metrics']);
    expect(train?.summary).toMatch(/## ✅ train — success/);
    expect(train?.summary).toMatch(/\| accuracy \| 0\.\d+ \| ≥ 0\.85 \| 0\.93 \|/);
    expect(run.steps.find((s) => s.id === 'lint')?.summary).toMatch(
      /\| lint\.promql\.error_ratio \| ✅ success \| PromQL syntax ok \|/,
    );
    // Nothing was written outside the runner's files: no local summary in Actions.
    expect(() => readFileSync(join(example.dir, '.model-delivery', 'summary.md'))).toThrow();
  });

  it('fails the train step with an annotation when the model is worse, and the set input reaches the config', async () => {
    const run = await runCompositeAction({
      actionDir: REPO_ROOT,
      workspace: example.dir,
      inputs: {
        stages: 'train',
        set: 'train.thresholds.accuracy.min=0.99\n# a comment line is ignored',
      },
    });
    const train = run.steps.find((s) => s.id === 'train');
    expect(train?.outcome).toBe('failure');
    expect(train?.exitCode).toBe(1);
    expect(train?.stdout).toMatch(
      /::error title=Training check failed%3A accuracy::accuracy = 0\.\d+ is below the minimum 0\.99/,
    );
    expect(run.steps.find((s) => s.id === 'lint')?.ran).toBe(false);
    expect(run.failed).toBe(true);
  });

  it('runs only lint and train on pull requests when stages is auto', async () => {
    const run = await runCompositeAction({
      actionDir: REPO_ROOT,
      workspace: example.dir,
      inputs: {},
      eventName: 'pull_request',
    });
    expect(run.outputs.stages).toBe('lint,train');
  });
});
