import type { Logger } from 'pino';
import type { Conversations } from '../../github/comments.js';
import type { IncidentRefs } from '../../github/incident-lock.js';
import type { Alert } from '../alerts/types.js';
import { incidentId, incidentPrefix, marker, STEP, type IncidentKey } from './keys.js';
import { resolvedNote } from './messages.js';

export interface ResolvedResult {
  outcome: 'noted' | 'duplicate' | 'no-incident' | 'busy';
  /** The issue or pull request that got the note. */
  noted?: number;
}

/**
 * A resolved alert adds one note to the revert pull request (or the fallback issue) of the
 * newest finished incident among `candidateShas` (the environment's recent deployments: the
 * live sha has usually changed by then, because the rollback ran). The `resolved` ref is
 * created first, so of concurrent deliveries only one writes the note.
 */
export async function runResolvedIncident(
  ctx: {
    github: { refs: IncidentRefs; conversations: Conversations };
    log: Pick<Logger, 'info'>;
  },
  target: Omit<IncidentKey, 'sha'>,
  candidateShas: readonly string[],
  alerts: readonly Alert[],
): Promise<ResolvedResult> {
  const { refs, conversations } = ctx.github;
  for (const [i, sha] of candidateShas.entries()) {
    const key: IncidentKey = { ...target, sha };
    const prefix = incidentPrefix(key);
    if (!(await refs.exists(prefix + STEP.done))) {
      // The newest release's incident is still being handled: ask for a retry.
      if (i === 0 && (await refs.exists(prefix + STEP.claim))) return { outcome: 'busy' };
      continue;
    }
    if ((await refs.create(prefix + STEP.resolved, sha)) === 'exists')
      return { outcome: 'duplicate' };
    const mark = marker(key, 'revert');
    const item = (await conversations.recent()).find((x) => x.body.includes(mark));
    if (!item) return { outcome: 'noted' }; // autoRevert off or no revert target: nothing to note on.
    try {
      await conversations.comment(item.number, resolvedNote(key, alerts));
    } catch (error) {
      await refs.remove(prefix + STEP.resolved);
      throw error;
    }
    ctx.log.info({ incident: incidentId(key), issue: item.number }, 'resolved alert noted');
    return { outcome: 'noted', noted: item.number };
  }
  return { outcome: 'no-incident' };
}
