import type { Release } from '../core/release.js';
import type { GateRecord, PromoteOptions } from './evidence.js';

export type { Release } from '../core/release.js';

export type Track = 'stable' | 'baseline' | 'canary';

export interface TrackStatus {
  track: Track;
  release?: Release;
  ready: boolean;
  replicas?: number;
  /** Where the track's metrics can be scraped (local target: http://127.0.0.1:port/metrics). */
  metricsUrls?: string[];
  /** When this track's release was deployed on it (the canary's identity includes it). */
  deployedAt?: string;
}

export interface TargetStatus {
  tracks: TrackStatus[];
  /** Where users (and gate.load) reach the deployment, when known. */
  frontUrl?: string;
  lock?: { holder: string; since: string };
  /** Problems found while reading the state (dead processes, an interrupted call), for the report. */
  warnings?: string[];
  /** The gate's last recorded verdict, as the target keeps it. */
  gate?: GateRecord;
  /** An operation a crashed call left unfinished; the next change finishes or undoes it first. */
  interrupted?: { operation: string; version?: string };
  /** Set by a promote that went ahead without a passing gate (`--force --reason`). */
  forced?: string;
}

/** Which tracks are gone (process exited, no pod available): the gate ends on the first. */
export interface Liveness {
  canary: boolean;
  baseline: boolean;
}

/** Each track's pods' metrics through the API server's pod proxy (the kubernetes target). */
export interface PodMetrics {
  /** The pod-proxy path of the metrics of each ready pod of the track, now. */
  metricsPaths(track: Track): Promise<string[]>;
  fetchText(path: string, timeoutMs: number): Promise<string>;
  /** Throws an EnvironmentError (exit 3) when the cluster refuses pods or pods/proxy. */
  check(): Promise<void>;
}

/**
 * Where a model runs. One implementation per file (kubernetes.ts, local.ts), picked by
 * `deploy.target` through `createDeployTarget`, which throws on an unknown name.
 */
export interface DeployTarget {
  /** Starts canary (the new release) and baseline (the stable release) beside stable. */
  deployCanary(release: Release, options?: { force?: boolean }): Promise<TargetStatus>;
  status(): Promise<TargetStatus>;
  /**
   * Stable takes the canary's release; canary and baseline are removed. Refused
   * (`no_passing_gate`) unless the gate recorded a pass for exactly this canary, or a human
   * overrides it.
   */
  promote(options?: PromoteOptions): Promise<TargetStatus>;
  /** Records the gate's verdict beside the canary it judged (local: the state file; kubernetes: an annotation). */
  recordVerdict(record: GateRecord): Promise<void>;
  /**
   * canary and baseline each get `percent` of traffic from now on; stable keeps the rest;
   * what the gate gathered so far stays valid
   */
  setTrafficShare(percent: number): Promise<TargetStatus>;
  /** Whether canary and baseline still run; the gate asks at every look. */
  liveness(): Promise<Liveness>;
  /** Canary and baseline are removed; stable is untouched. */
  abort(): Promise<TargetStatus>;
  /** Stable is set to `to` (or the previous release when undefined). */
  rollback(to?: Release): Promise<TargetStatus>;
  /** Kubernetes: where the scrape source reads each track's pods (no metricsUrls there). */
  podMetrics?: PodMetrics;
  /** Releases what the target holds for this call (temporary kubeconfig…); stages call it in `finally`. */
  dispose?(): Promise<void>;
}
