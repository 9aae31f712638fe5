import { describe, expect, it } from 'vitest';
import { decisiveReport, runPipeline } from '../../../src/cli/pipeline.js';
import type { StageReport } from '../../../src/report/store.js';

function fakeRun(results: Record<string, Partial<StageReport>>, registered = Object.keys(results)) {
  const ran: string[] = [];
  const run = async (stage: string): Promise<StageReport> => {
    ran.push(stage);
    // Only stage, status and reason matter to the pipeline; details are the stage's own.
    return {
      stage,
      status: 'success',
      reason: 'ok',
      details: {},
      outputs: {},
      startedAt: '',
      durationMs: 0,
      exitCode: 0,
      ...results[stage],
    } as StageReport;
  };
  return { ran, options: { has: (s: string) => registered.includes(s), run } };
}

const all = ['lint', 'train', 'build', 'deploy', 'gate', 'promote', 'rollback', 'notify'];
const canary = { outputs: { canary: 'true' } };

describe('runPipeline', () => {
  it('promotes when the gate passes, and never rolls back', async () => {
    const { ran, options } = fakeRun({ deploy: canary }, all);
    const reports = await runPipeline(options);
    expect(ran).toEqual(['lint', 'train', 'build', 'deploy', 'gate', 'promote', 'notify']);
    expect(decisiveReport(reports)?.stage).toBe('notify');
  });

  it.each(['failure', 'error'] as const)(
    'rolls back when the gate ends in %s, and the gate decides the result',
    async (status) => {
      const { ran, options } = fakeRun(
        { deploy: canary, gate: { status, reason: 'canary_worse_than_baseline' } },
        all,
      );
      const reports = await runPipeline(options);
      expect(ran).toEqual(['lint', 'train', 'build', 'deploy', 'gate', 'rollback', 'notify']);
      expect(decisiveReport(reports)).toMatchObject({
        stage: 'gate',
        reason: 'canary_worse_than_baseline',
      });
    },
  );

  it('skips the gate when the release went straight to stable', async () => {
    const { ran, options } = fakeRun({ deploy: { outputs: { canary: 'false' } } }, all);
    await runPipeline(options);
    expect(ran).toEqual(['lint', 'train', 'build', 'deploy', 'notify']);
  });

  it('stops at the first failed stage but still notifies', async () => {
    const { ran, options } = fakeRun(
      { train: { status: 'failure', reason: 'threshold_failed' } },
      all,
    );
    const reports = await runPipeline(options);
    expect(ran).toEqual(['lint', 'train', 'notify']);
    expect(decisiveReport(reports)?.reason).toBe('threshold_failed');
  });

  it('leaves out stages that are not registered', async () => {
    const { ran, options } = fakeRun({}, ['lint', 'train']);
    await runPipeline(options);
    expect(ran).toEqual(['lint', 'train']);
  });
});
