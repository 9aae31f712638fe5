import { CheckFailedError } from '../core/errors.js';
import { formatDuration } from '../core/duration.js';
import type { Logger } from '../core/log.js';
import { KubectlError, type Kubectl } from './kubectl.js';
import {
  ANNOTATION,
  currentRelease,
  isRolledOut,
  lockAnnotation,
  lockIsStale,
  readLock,
  readRelease,
  type Deployment,
} from './kubernetes-manifests.js';
import { readGate, readOperation } from './kubernetes-journal.js';
import type { TargetStatus, Track, TrackStatus } from './types.js';

/** The kubernetes target's state: each track's status, and the lock on stable. */

export interface Tracks {
  stable: Deployment;
  canary?: Deployment;
  baseline?: Deployment;
}

export function trackStatus(tracks: Tracks, container: string, frontUrl?: string): TargetStatus {
  const track = (name: Track, d: Deployment | undefined): TrackStatus[] =>
    d
      ? [
          {
            track: name,
            release:
              name === 'stable'
                ? currentRelease(d, container)
                : (readRelease(d) ?? currentRelease(d, container)),
            ready: isRolledOut(d),
            replicas: d.spec.replicas ?? 1,
            ...(name === 'canary' && readRelease(d)?.time
              ? { deployedAt: readRelease(d)?.time }
              : {}),
          },
        ]
      : [];
  const lock = readLock(tracks.stable);
  const gate = tracks.canary && readGate(tracks.canary);
  const op = readOperation(tracks.stable);
  return {
    tracks: [
      ...track('stable', tracks.stable),
      ...track('baseline', tracks.baseline),
      ...track('canary', tracks.canary),
    ],
    ...(frontUrl ? { frontUrl } : {}),
    ...(lock ? { lock } : {}),
    ...(gate ? { gate } : {}),
    ...(op
      ? {
          interrupted: { operation: op.operation, version: op.version },
          warnings: [
            `a ${op.operation} of ${op.version} by ${op.holder} (since ${op.since}) was interrupted; the next deploy, promote or rollback finishes it first`,
          ],
        }
      : {}),
  };
}

/** Tries to take the lock while stable changes under us (its status, by the controller). */
const LOCK_ATTEMPTS = 3;

export interface LockInput {
  kubectl: Pick<Kubectl, 'annotate'>;
  /** Reads stable afresh. */
  read(): Promise<Deployment>;
  deployment: string;
  holder: string;
  timeoutMs: number;
  force: boolean;
  where: string;
  now: () => Date;
  log: Logger;
}

/**
 * Reads stable and takes the lock on it, only if stable is unchanged since the read, so
 * two deploys cannot both take it. A conflict with no lock in sight (the controller
 * updating stable's status) is retried on a fresh read. Returns stable as read.
 */
export async function takeStableLock(input: LockInput): Promise<Deployment> {
  const { where, now } = input;
  for (let attempt = 1; ; attempt += 1) {
    const stable = await input.read();
    const held = readLock(stable);
    if (held) {
      const stale = lockIsStale(held, now(), input.timeoutMs);
      if (!input.force || !stale) {
        throw new CheckFailedError(
          `a canary is already out on ${where}: locked by ${held.holder} since ${held.since}; wait for it to be promoted or rolled back${stale ? ', or run again with --force' : `, or run with --force once the lock is older than deploy.timeout (${formatDuration(input.timeoutMs)})`}`,
          'locked',
          { holder: held.holder, since: held.since },
        );
      }
      input.log.warn(
        `breaking the lock of ${held.holder} (since ${held.since}, older than deploy.timeout) because of --force`,
      );
    }
    const lock = { holder: input.holder, since: now().toISOString() };
    try {
      await input.kubectl.annotate(input.deployment, {
        set: { [ANNOTATION.lock]: lockAnnotation(lock) },
        resourceVersion: stable.metadata.resourceVersion,
      });
      return stable;
    } catch (e) {
      if (!(e instanceof KubectlError && e.reason === 'conflict')) throw e;
      if (attempt >= LOCK_ATTEMPTS) {
        throw new CheckFailedError(
          `${where} kept changing while taking the lock (${LOCK_ATTEMPTS} attempts); run status and try again`,
          'locked',
        );
      }
    }
  }
}
