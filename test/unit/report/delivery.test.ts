import { describe, expect, test } from 'vitest';
import {
  PIPELINE_ORDER,
  buildDeliveryView,
  currentReports,
  deliveryOutcome,
} from '../../../src/report/delivery.js';
import {
  GITHUB,
  deployReport,
  failedGateReport,
  rollbackReport,
  stageReport,
  trainReport,
} from './fixtures.js';

describe('deliveryOutcome reads the stages as they were recorded', () => {
  test.each([
    // Only checks ran (a pull request): nothing was delivered, and the outcome says so.
    ['lint and train succeeded', [stageReport('lint'), trainReport()], 'checked'],
    [
      'checks and a build',
      [stageReport('lint'), trainReport(), stageReport('build', { outputs: { image: 'x' } })],
      'checked',
    ],
    // The first job of a two-job delivery: a canary is out, nothing judged it yet.
    [
      'a canary deployed',
      [trainReport(), stageReport('deploy', { outputs: { version: 'v2', canary: 'true' } })],
      'canary',
    ],
    [
      'a first release straight to stable',
      [stageReport('deploy', { outputs: { version: 'v1', canary: 'false' } })],
      'success',
    ],
    ['a later job: gate and promote', [stageReport('gate'), stageReport('promote')], 'success'],
    ['promote alone', [stageReport('promote')], 'success'],
    [
      'a failed train',
      [stageReport('lint'), trainReport({ status: 'failure', reason: 'threshold_failed' })],
      'failure',
    ],
    [
      'a stage error',
      [stageReport('build', { status: 'error', reason: 'builder_missing' })],
      'failure',
    ],
    [
      'failed gate, then rollback',
      [deployReport(), failedGateReport(), rollbackReport()],
      'rollback',
    ],
    [
      'failed gate, rollback failed',
      [failedGateReport(), stageReport('rollback', { status: 'error', reason: 'kubectl_failed' })],
      'failure',
    ],
    [
      'inconclusive gate, rollback',
      [
        stageReport('gate', {
          status: 'failure',
          reason: 'no_data',
          details: { verdict: 'inconclusive' },
        }),
        rollbackReport(),
      ],
      'inconclusive',
    ],
    [
      'promoted, rollback skipped',
      [
        stageReport('gate'),
        stageReport('promote'),
        stageReport('rollback', { reason: 'skipped_after_promote' }),
      ],
      'success',
    ],
  ] as const)('%s → %s', (_, reports, outcome) => {
    expect(deliveryOutcome([...reports])).toBe(outcome);
  });
});

describe('buildDeliveryView', () => {
  test('orders stages, takes the version from deploy and names the deciding stage', () => {
    const view = buildDeliveryView({
      reports: [
        rollbackReport(),
        failedGateReport(),
        stageReport('notify'),
        deployReport(),
        trainReport(),
      ],
      github: { ...GITHUB, eventName: 'pull_request', pullRequestNumber: 7 },
      order: PIPELINE_ORDER,
      environment: 'production',
    });
    expect(view.stages.map((s) => s.stage)).toEqual(['train', 'deploy', 'gate', 'rollback']);
    expect(view).toMatchObject({
      outcome: 'rollback',
      verdict: '↩️ rolled back (gate: threshold_exceeded)',
      version: 'v2',
      environment: 'production',
      repository: 'acme/classifier',
      links: {
        run: 'https://github.com/acme/classifier/actions/runs/42',
        commit: 'https://github.com/acme/classifier/commit/abc1234def5678',
        pullRequest: 'https://github.com/acme/classifier/pull/7',
      },
    });
    expect(view.gate?.metrics.find((m) => m.status === 'fail')).toMatchObject({
      name: 'error_ratio',
      canary: 0.12,
      bounds: { max: 0.05 },
    });
  });

  test('malformed gate details never throw, and give what can be read', () => {
    const view = buildDeliveryView({
      reports: [
        stageReport('gate', {
          details: {
            looks: [null, { t: 'x', metrics: { a: { canary: 'NaN', baseline: null } } }],
            metrics: 'nope',
          },
        }),
      ],
      github: GITHUB,
      order: PIPELINE_ORDER,
    });
    expect(view.gate).toEqual({
      verdict: undefined,
      looks: [{ t: 'x', metrics: { a: {} } }],
      metrics: [],
    });
    expect(view.version).toBe('abc1234');
  });
});

describe('currentReports keeps the latest delivery only', () => {
  const at = (stage: string, time: string, over = {}) =>
    stageReport(stage, { startedAt: `2026-11-23T${time}:00.000Z`, ...over });
  test.each([
    [
      'one delivery, in order',
      [at('lint', '10:00'), at('train', '10:01'), at('gate', '10:05')],
      ['lint', 'train', 'gate'],
    ],
    [
      "train re-run after yesterday's gate",
      [at('train', '11:00'), at('deploy', '09:00'), at('gate', '09:01'), at('rollback', '09:02')],
      ['train'],
    ],
    [
      'a new deploy whose gate has not run',
      [at('deploy', '12:00'), at('gate', '10:00')],
      ['deploy'],
    ],
    [
      'a later manual rollback belongs to it',
      [at('deploy', '10:00'), at('gate', '10:01'), at('promote', '10:05'), at('rollback', '15:00')],
      ['deploy', 'gate', 'promote', 'rollback'],
    ],
    [
      'commands outside the pipeline are left out',
      [at('lint', '10:00'), at('stop', '10:30')],
      ['lint'],
    ],
  ])('%s', (_, reports, kept) => {
    expect(currentReports(reports, PIPELINE_ORDER).map((r) => r.stage)).toEqual(kept);
  });

  test('a stale rollback does not turn a promoted delivery into a rollback', () => {
    const view = buildDeliveryView({
      reports: [
        at('deploy', '10:00'),
        at('gate', '10:01'),
        at('promote', '10:05'),
        { ...rollbackReport(), startedAt: '2026-11-22T09:00:00.000Z' },
      ],
      github: GITHUB,
      order: PIPELINE_ORDER,
    });
    expect(view.outcome).toBe('success');
  });
});
