import type { GitHubContext } from '../../../src/settings/github-context.js';
import type { StageReport } from '../../../src/report/store.js';

/**
 * Stage reports shaped like the stages write them (the gate's as its helper described it).
 * Like a report read back from disk, a fixture may hold only some of its stage's details:
 * renderers read persisted reports leniently, so the fixtures are typed as the store types them.
 */
export function stageReport(
  stage: string,
  over: Partial<Record<keyof StageReport, unknown>> = {},
): StageReport {
  return {
    exitCode: 0,
    stage,
    status: 'success',
    reason: 'ok',
    message: `${stage} done`,
    details: {},
    outputs: {},
    startedAt: '2026-11-23T18:00:00.000Z',
    durationMs: 1234,
    ...over,
  } as StageReport;
}

export function trainReport(over: Partial<Record<keyof StageReport, unknown>> = {}): StageReport {
  return stageReport('train', {
    message: '3 metrics within thresholds (2.1s)',
    details: {
      metrics: { accuracy: 0.91, f1: 0.9, loss: 0.22 },
      baseline: { accuracy: 0.9, f1: 0.89, loss: 0.25 },
      checks: [
        {
          metric: 'accuracy',
          value: 0.91,
          threshold: '≥ 0.85',
          baseline: 0.9,
          delta: 0.01,
          status: 'pass',
          problems: [],
        },
        {
          metric: 'f1',
          value: 0.9,
          threshold: '≥ 0.85',
          baseline: 0.89,
          delta: 0.01,
          status: 'pass',
          problems: [],
        },
        {
          metric: 'loss',
          value: 0.22,
          threshold: '≤ 0.4',
          baseline: 0.25,
          delta: -0.03,
          status: 'pass',
          problems: [],
        },
      ],
      failed: [],
      baselineNote: 'baseline: origin/main:baseline/metrics.json',
    },
    summary:
      '| metric | value |\n| --- | --- |\n| accuracy | 0.91 |\n\n_baseline: origin/main:baseline/metrics.json_',
    ...over,
  });
}

/** A gate that failed on error_ratio at the third look. */
export function failedGateReport(looks = 3): StageReport {
  const look = (i: number) => ({
    look: i + 1,
    t: (i + 1) * 30,
    verdict: 'continue',
    metrics: {
      // lower/upper: the effect's interval (canary / baseline − 1), as the gate records it.
      error_ratio: {
        canary: 0.02 + i * 0.05,
        baseline: 0.01,
        effect: 1 + i * 5,
        lower: 0.5 + i,
        upper: 2 + i * 5,
        status: i >= 2 ? 'fail' : 'running',
      },
      latency_p95: {
        canary: 0.12 + i * 0.001,
        baseline: 0.11,
        effect: 0.1,
        lower: -0.05,
        upper: 0.2,
        status: 'running',
      },
    },
  });
  return stageReport('gate', {
    status: 'failure',
    reason: 'threshold_exceeded',
    message: 'error_ratio 0.12 > max 0.05',
    durationMs: 95_000,
    details: {
      verdict: 'fail',
      looks: Array.from({ length: looks }, (_, i) => look(i)),
      metrics: [
        {
          name: 'latency_p95',
          type: 'histogram',
          critical: true,
          status: 'pass',
          canary: 0.122,
          baseline: 0.11,
          bounds: { max: 0.5, maxIncrease: '20%' },
          samples: { canary: 300, baseline: 310 },
        },
        {
          name: 'error_ratio',
          type: 'ratio',
          critical: true,
          status: 'fail',
          reason: 'threshold_exceeded',
          canary: 0.12,
          baseline: 0.01,
          bounds: { max: 0.05 },
          samples: { canary: 300, baseline: 310 },
        },
      ],
    },
  });
}

export function deployReport(): StageReport {
  return stageReport('deploy', {
    reason: 'canary_deployed',
    message: 'canary v2 deployed beside baseline v1 (10% each)',
    details: { release: { version: 'v2', sha: 'abc1234def', image: 'local' } },
    outputs: { version: 'v2' },
  });
}

export function rollbackReport(): StageReport {
  return stageReport('rollback', {
    reason: 'canary_aborted',
    message: 'canary v2 removed; stable v1 untouched',
    details: { aborted: { version: 'v2' } },
  });
}

export const GITHUB: GitHubContext = {
  actions: true,
  eventName: 'push',
  sha: 'abc1234def5678',
  repository: 'acme/classifier',
  serverUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  runId: '42',
};
