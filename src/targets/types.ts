import type { Release } from '../core/release.js';

export type { Release } from '../core/release.js';

export type Track = 'stable' | 'baseline' | 'canary';

export interface TrackStatus {
  track: Track;
  release?: Release;
  ready: boolean;
  replicas?: number;
  /** Where the track's metrics can be scraped (local target: http://127.0.0.1:port/metrics). */
  metricsUrls?: string[];
}

export interface TargetStatus {
  tracks: TrackStatus[];
  /** Where users (and gate.load) reach the deployment, when known. */
  frontUrl?: string;
  lock?: { holder: string; since: string };
  /** Problems found while reading the state (dead processes, an interrupted call), for the report. */
  warnings?: string[];
}

/**
 * Where a model runs. One implementation per file (kubernetes.ts, local.ts), picked by
 * `deploy.target` through `createDeployTarget`, which throws on an unknown name.
 */
export interface DeployTarget {
  /** Starts canary (the new release) and baseline (the stable release) beside stable. */
  deployCanary(release: Release, options?: { force?: boolean }): Promise<TargetStatus>;
  status(): Promise<TargetStatus>;
  /** Stable takes the canary's release; canary and baseline are removed. */
  promote(): Promise<TargetStatus>;
  /** Canary and baseline are removed; stable is untouched. */
  abort(): Promise<TargetStatus>;
  /** Stable is set to `to` (or the previous release when undefined). */
  rollback(to?: Release): Promise<TargetStatus>;
  /** Releases what the target holds for this call (temporary kubeconfig…); stages call it in `finally`. */
  dispose?(): Promise<void>;
}
