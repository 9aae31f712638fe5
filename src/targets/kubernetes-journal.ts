import type { CanaryIdentity, GateRecord } from './evidence.js';
import { canaryIdentity } from './evidence.js';
import {
  imageForRelease,
  parseJson,
  readRelease,
  type Deployment,
  type RecordedRelease,
} from './kubernetes-manifests.js';
import { sameRelease } from './release-history.js';
import type { Release } from './types.js';

/**
 * The kubernetes target's transaction records, kept on the objects themselves (the cluster
 * is the only state every runner shares): the operation in progress on stable, and the
 * gate's verdict on the canary it judged.
 */
export const JOURNAL_ANNOTATION = {
  /** On stable while promote, rollback or abort runs: JSON {operation, version, holder, since}. */
  operation: 'model-delivery.dev/operation',
  /** On the canary: the gate's verdict (GateRecord JSON). */
  gate: 'model-delivery.dev/gate-verdict',
} as const;

export type KubernetesOperation = 'promote' | 'rollback' | 'abort';

export interface OperationRecord {
  operation: KubernetesOperation;
  version: string;
  holder: string;
  since: string;
}

export function operationAnnotation(record: OperationRecord): string {
  return JSON.stringify(record);
}

export function readOperation(stable: Deployment): OperationRecord | undefined {
  const parsed = parseJson(stable.metadata.annotations?.[JOURNAL_ANNOTATION.operation]);
  const op = parsed?.operation;
  if (op !== 'promote' && op !== 'rollback' && op !== 'abort') return undefined;
  return {
    operation: op,
    version: String(parsed?.version ?? ''),
    holder: String(parsed?.holder ?? ''),
    since: String(parsed?.since ?? ''),
  };
}

/**
 * The canary's identity: its recorded release and the time it was deployed, as the status
 * reports them to the gate. None when the pods no longer run what the record says (the
 * image was changed by hand): no recorded verdict can be for it.
 */
export function canaryOf(canary: Deployment, runs: string): CanaryIdentity | undefined {
  const release = readRelease(canary);
  if (!release?.time || imageForRelease(release) !== runs) return undefined;
  return canaryIdentity(release, release.time);
}

export function readGate(canary: Deployment): GateRecord | undefined {
  const parsed = parseJson(canary.metadata.annotations?.[JOURNAL_ANNOTATION.gate]);
  if (!parsed) return undefined;
  const verdict = parsed.verdict;
  const identity = parsed.canary as Partial<CanaryIdentity> | undefined;
  if (verdict !== 'pass' && verdict !== 'fail' && verdict !== 'inconclusive') return undefined;
  if (typeof identity?.version !== 'string' || typeof identity.deployedAt !== 'string')
    return undefined;
  return {
    verdict,
    reason: String(parsed.reason ?? ''),
    at: String(parsed.at ?? ''),
    canary: {
      version: identity.version,
      image: String(identity.image ?? ''),
      ...(typeof identity.digest === 'string' ? { digest: identity.digest } : {}),
      deployedAt: identity.deployedAt,
    },
  };
}

/**
 * The previous release to record when stable moves from `from` to `to`: `from`, unless it
 * is `to` itself (a repeated promote or rollback), when the earlier record stands, so the
 * history never points at itself.
 */
export function nextPrevious(
  from: RecordedRelease,
  to: Release,
  recorded: RecordedRelease | undefined,
): RecordedRelease | undefined {
  return sameRelease(from, to) ? recorded : from;
}
