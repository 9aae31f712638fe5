import type { MetricResult, MetricStatus, Verdict } from '../analysis/types.js';
import type { Release } from '../core/release.js';

// Each stage's report details, keyed by stage: the stages write these shapes (their
// outcomes are checked against them) and the renderers, the build stage and the demo read
// them without re-declaring or casting. Fields no consumer reads one by one (the target's
// status, ledger notes) stay `unknown`: they are shown as JSON, never interpreted.

export interface LintDetails {
  checks: Array<{ check: string; status: 'success' | 'failure' | 'warning'; detail: string }>;
  errors: number;
}

/** One row of the smoke training's checks, as the train stage recorded it. */
export interface TrainCheckRow {
  metric: string;
  value?: number;
  threshold?: string;
  baseline?: number;
  delta?: number;
  status: string;
  problems: string[];
}

export interface TrainDetails {
  metrics: Record<string, number>;
  baseline?: Record<string, number>;
  baselineNote: string;
  checks: TrainCheckRow[];
  failed: string[];
  durationMs: number;
}

/** The image the build stage made, as its summary and report show it. */
export interface BuiltImage {
  builder: string;
  image: string;
  tags: string[];
  file: string;
  labels: Record<string, string>;
  pushed: boolean;
  imageId: string;
  digest?: string;
  size?: number;
}

export type BuildDetails =
  { skipped: true } | (BuiltImage & { skipped?: false; imageRef?: string; refs: string[] });

/** deploy, promote and rollback: what changed, and the target and ledger as they ended. */
export interface ReleaseChangeDetails {
  release?: Release;
  previous?: Release;
  from?: Release;
  to?: Release;
  aborted?: unknown;
  status: unknown;
  ledger?: unknown;
  canaryLedger?: unknown;
  forced?: string;
  gate?: unknown;
}

/** One look of the gate, as the report charts it (canary against baseline per metric). */
export interface GateLookDetails {
  look: number;
  /** With deploy.steps: the share (percent) canary and baseline each had during this look. */
  step?: number;
  /** Seconds since the gate started. */
  t: number;
  verdict: Verdict;
  problem?: { kind: string; message: string };
  metrics: Record<
    string,
    {
      canary?: number;
      baseline?: number;
      effect?: number;
      lower?: number;
      upper?: number;
      status: MetricStatus;
    }
  >;
}

export interface GateDetails {
  verdict: Verdict;
  next: 'promote' | 'rollback' | 'abort';
  onInconclusive: 'abort' | 'rollback';
  source: string;
  alpha: number;
  intervalSeconds: number;
  metrics: MetricResult[];
  bounds: Record<string, MetricResult['bounds']>;
  looks: GateLookDetails[];
  /** With deploy.steps: the shares in order, and the one at which the verdict came. */
  steps?: number[];
  step?: number;
  load?: { sent: number; ok: number; failed: number; skipped: number };
}

export interface NotifyDetails {
  outcome: string;
  verdict?: string;
  warnings: string[];
  channels: Array<{ channel: string; result: string; detail: string }>;
}

export interface StopDetails {
  stopped: Array<{ what: string; pid: number }>;
  warnings: string[];
}

export interface StageDetailsMap {
  lint: LintDetails;
  train: TrainDetails;
  build: BuildDetails;
  deploy: ReleaseChangeDetails;
  gate: GateDetails;
  promote: ReleaseChangeDetails;
  rollback: ReleaseChangeDetails;
  notify: NotifyDetails;
  stop: StopDetails;
}

/** Every stage and command that writes a report. */
export type ReportingStage = keyof StageDetailsMap;
