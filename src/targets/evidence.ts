import { CheckFailedError } from '../core/errors.js';

/**
 * Promotion needs evidence: the gate's verdict for exactly the canary that is live. A canary
 * is known by its release and the time it was deployed, so a verdict left by an earlier
 * canary of the same version never counts for a later one.
 */
export interface CanaryIdentity {
  version: string;
  image: string;
  digest?: string;
  /** When this canary was deployed (local: the deploy's start; kubernetes: its release annotation). */
  deployedAt: string;
}

/** What the gate records on the target, beside the canary it judged. */
export interface GateRecord {
  verdict: 'pass' | 'fail' | 'inconclusive';
  reason: string;
  canary: CanaryIdentity;
  /** When the gate decided. */
  at: string;
}

/** A human's override of the rule (`promote --force --reason`). */
export interface PromoteOverride {
  actor: string;
  reason: string;
}

export interface PromoteOptions {
  override?: PromoteOverride;
}

export interface Evidence {
  /** Set when the canary goes out without a passing gate: the line the reports and the ledger carry. */
  forced?: string;
  gate?: GateRecord;
}

export function canaryIdentity(
  release: { version: string; image: string; digest?: string },
  deployedAt: string,
): CanaryIdentity {
  return {
    version: release.version,
    image: release.image,
    ...(release.digest ? { digest: release.digest } : {}),
    deployedAt,
  };
}

export function sameCanary(a: CanaryIdentity, b: CanaryIdentity): boolean {
  return (
    a.version === b.version &&
    a.image === b.image &&
    (a.digest ?? '') === (b.digest ?? '') &&
    a.deployedAt === b.deployedAt
  );
}

export function forcedNote(override: PromoteOverride): string {
  return `promoted without a passing gate by ${override.actor}: ${override.reason}`;
}

/** Whether `live` may be promoted on `record`; throws `no_passing_gate` unless it may or a human overrides. */
export function checkEvidence(
  live: CanaryIdentity,
  record: GateRecord | undefined,
  options: PromoteOptions = {},
): Evidence {
  const passed = record?.verdict === 'pass' && sameCanary(record.canary, live);
  if (passed) return { gate: record };
  if (options.override) return { forced: forcedNote(options.override), gate: record };
  const canary = `canary ${live.version} (deployed ${live.deployedAt})`;
  const why = !record
    ? `no gate verdict is recorded for ${canary}`
    : !sameCanary(record.canary, live)
      ? `the recorded gate verdict (${record.verdict}) is for another canary, ${record.canary.version} deployed ${record.canary.deployedAt}, not ${canary}`
      : `the gate's verdict for ${canary} is ${record.verdict} (${record.reason})`;
  throw new CheckFailedError(
    `${why}, so it is not promoted; run the gate (model-delivery gate), or override with --force --reason "<why>"`,
    'no_passing_gate',
    { live, ...(record ? { gate: record } : {}) },
  );
}
