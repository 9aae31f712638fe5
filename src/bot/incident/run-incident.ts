import type { Logger } from 'pino';
import type { BotConfig } from '../../config/sections/bot.js';
import type { Conversations } from '../../github/comments.js';
import type { LedgerRelease } from '../../github/deployment-ledger.js';
import type { WorkflowDispatcher, DispatchedRun } from '../../github/dispatch.js';
import type { IncidentRefs } from '../../github/incident-lock.js';
import type { PullRequestReverter, ShippedPullRequest } from '../../github/revert-pull-request.js';
import type { Alert } from '../alerts/types.js';
import { incidentId, incidentPrefix, marker, STEP, type IncidentKey } from './keys.js';
import type { IncidentMemory } from './memory.js';
import * as text from './messages.js';

export interface IncidentGitHub {
  refs: IncidentRefs;
  reverter: PullRequestReverter;
  dispatcher: WorkflowDispatcher;
  conversations: Conversations;
}

export type RevertRecord = { kind: 'pr' | 'issue'; number: number; nodeId?: string };

export interface IncidentResult {
  /** done: this call completed it; duplicate: it was complete already; busy: another replica holds it. */
  outcome: 'done' | 'duplicate' | 'busy';
  revert?: RevertRecord;
}

export interface IncidentContext {
  github: IncidentGitHub;
  memory: IncidentMemory<IncidentResult>;
  config: BotConfig;
  /** The ref workflows are dispatched on (`bot.workflowRef` or the default branch). */
  workflowRef: () => Promise<string>;
  /** Slack or another channel; failures are logged, never block the incident. */
  notify?: (facts: text.IncidentFacts, revert: RevertRecord | undefined) => Promise<void>;
  log: Pick<Logger, 'info' | 'warn' | 'debug'>;
  /** How long an unfinished incident must show no progress before another replica takes it over. */
  leaseMs: number;
  now: () => number;
}

export interface FiringIncident {
  key: IncidentKey;
  alerts: readonly Alert[];
  live: LedgerRelease;
  lastGood: LedgerRelease | undefined;
  /** Node id of the revert label when it exists: the label then rides on the comment's call. */
  revertLabelId?: string;
}

/**
 * Acts on a firing incident exactly once across replicas. The claim ref decides who acts;
 * a replica that finds an unfinished claim answers busy (503, so the sender retries) until the
 * claim has shown no progress for `leaseMs`, then takes over. Whoever acts after a failure or
 * a takeover first looks for what was already done (markers in bodies, refs) and only does
 * the rest.
 */
export async function runFiringIncident(
  ctx: IncidentContext,
  incident: FiringIncident,
): Promise<IncidentResult> {
  const id = incidentId(incident.key);
  const known = ctx.memory.finished(id);
  if (known) return { ...known, outcome: 'duplicate' };
  return ctx.memory.once(id, async () => {
    const start = await acquire(ctx, incident.key, id);
    if (start.mode === 'finished') {
      const result: IncidentResult = { outcome: 'duplicate' };
      ctx.memory.markDone(id, result);
      return result;
    }
    if (start.mode === 'busy') return { outcome: 'busy' };
    ctx.memory.own(id);
    const result = await act(ctx, incident, start);
    ctx.memory.markDone(id, result);
    return result;
  });
}

type Start =
  | { mode: 'fresh' }
  | { mode: 'recover'; dispatched: boolean }
  | { mode: 'finished' }
  | { mode: 'busy' };

/** The most takeovers of one incident; past it, a human should look (the alert keeps firing). */
const MAX_TAKEOVERS = 20;

async function acquire(ctx: IncidentContext, key: IncidentKey, id: string): Promise<Start> {
  const prefix = incidentPrefix(key);
  const { refs } = ctx.github;
  if (!ctx.memory.owns(id) && (await refs.create(prefix + STEP.claim, key.sha)) === 'created') {
    return { mode: 'fresh' };
  }
  if (await refs.exists(prefix + STEP.done)) return { mode: 'finished' };
  const recover = async () => ({
    mode: 'recover' as const,
    dispatched: await refs.exists(prefix + STEP.dispatched),
  });
  if (ctx.memory.owns(id)) return recover();
  const quiet = ctx.memory.unchangedFor(id, 'claimed', ctx.now());
  if (quiet < ctx.leaseMs) {
    ctx.log.info({ incident: id, quietMs: quiet }, 'incident held by another replica');
    return { mode: 'busy' };
  }
  // The owner made no visible progress for a whole lease: take over, one replica only.
  for (let n = 1; n <= MAX_TAKEOVERS; n++) {
    if ((await refs.create(prefix + STEP.takeover(n), key.sha)) !== 'created') continue;
    ctx.log.warn({ incident: id, takeover: n }, 'taking over an incident that made no progress');
    return recover();
  }
  return { mode: 'busy' };
}

interface Found {
  revert?: RevertRecord;
  commented: boolean;
  run?: DispatchedRun;
}

/** The named steps of an incident, in order; each checks what is already done. */
async function act(
  ctx: IncidentContext,
  incident: FiringIncident,
  start: Start,
): Promise<IncidentResult> {
  const id = incidentId(incident.key);
  const shipped = await shippedPullRequest(ctx, incident);
  const found =
    start.mode === 'recover'
      ? await findDone(ctx, incident, shipped, start.dispatched)
      : { commented: false };
  const facts: text.IncidentFacts = { ...incident, run: found.run ?? ctx.memory.dispatched(id) };
  const revert = await dispatchAndRevert(ctx, { incident, facts, shipped, found });
  await tellPeople(ctx, {
    incident,
    facts,
    shipped,
    found,
    revert,
    recovering: start.mode === 'recover',
  });
  await ctx.github.refs.create(incidentPrefix(incident.key) + STEP.done, incident.key.sha);
  ctx.log.info({ incident: id, revert, runId: facts.run?.runId }, 'incident handled');
  return { outcome: 'done', revert };
}

/** The pull request that shipped the live sha (the ledger query usually brought it). */
async function shippedPullRequest(
  ctx: IncidentContext,
  incident: FiringIncident,
): Promise<ShippedPullRequest | undefined> {
  const { key } = incident;
  if (key.action.kind !== 'rollback') return undefined;
  const known = incident.live.sha === key.sha ? incident.live.shippedBy : undefined;
  return known !== undefined ? (known ?? undefined) : ctx.github.reverter.shippedBy(key.sha);
}

interface Step {
  incident: FiringIncident;
  facts: text.IncidentFacts;
  shipped: ShippedPullRequest | undefined;
  found: Found;
}

/** The dispatch and the revert do not depend on each other: both start at once. */
async function dispatchAndRevert(ctx: IncidentContext, s: Step): Promise<RevertRecord | undefined> {
  const { key, lastGood } = s.incident;
  const id = incidentId(key);
  const rollback = key.action.kind === 'rollback';
  const needsRun = !s.facts.run && (!rollback || lastGood !== undefined);
  const dispatching = needsRun
    ? (async () => {
        const run = await dispatch(ctx, s.incident, s.shipped);
        ctx.memory.recordDispatch(id, run);
        // Durable before `done`: a crash before the comment (which also carries the run)
        // must not make the next owner dispatch again.
        await ctx.github.refs.create(incidentPrefix(key) + STEP.dispatched, key.sha);
        return run;
      })()
    : Promise.resolve(s.facts.run);
  const reverting =
    rollback && ctx.config.autoRevert && !s.found.revert
      ? openRevert(ctx, s.facts, s.shipped)
      : Promise.resolve(s.found.revert);
  const [ran, reverted] = await Promise.allSettled([dispatching, reverting]);
  if (ran.status === 'rejected') throw ran.reason;
  if (reverted.status === 'rejected') throw reverted.reason;
  s.facts.run = ran.value;
  return reverted.value;
}

/** The comment on the shipping pull request (with the revert label when it can ride along), the label, Slack. */
async function tellPeople(
  ctx: IncidentContext,
  s: Step & { revert: RevertRecord | undefined; recovering: boolean },
): Promise<void> {
  const { conversations, reverter } = ctx.github;
  const { revert, shipped } = s;
  let labelNeeded = revert?.kind === 'pr' && (!s.found.revert || s.recovering);
  let comment: Promise<unknown> = Promise.resolve();
  if (shipped && !s.found.commented) {
    const body = text.originalComment(s.facts, revert);
    if (labelNeeded && revert?.nodeId && s.incident.revertLabelId) {
      // One call instead of two. A failure after the comment is recovered as any other:
      // the next owner finds the comment by its marker and labels again (idempotent).
      comment = conversations.commentAndLabel({
        subjectId: shipped.nodeId,
        body,
        labelableId: revert.nodeId,
        labelIds: [s.incident.revertLabelId],
      });
      labelNeeded = false;
    } else {
      comment = conversations.comment(shipped.number, body);
    }
  }
  const notify = ctx.notify
    ? ctx.notify(s.facts, revert).catch((e: unknown) => {
        ctx.log.warn(
          {
            incident: incidentId(s.incident.key),
            err: e instanceof Error ? e.message.slice(0, 200) : 'unknown',
          },
          'notification failed',
        );
      })
    : Promise.resolve();
  await Promise.all([
    labelNeeded && revert
      ? reverter.addLabels(revert.number, [ctx.config.labels.revert])
      : undefined,
    comment,
    notify,
  ]);
}

async function dispatch(
  ctx: IncidentContext,
  incident: FiringIncident,
  shipped: ShippedPullRequest | undefined,
) {
  const { key, alerts, lastGood } = incident;
  const workflow =
    key.action.kind === 'rollback' ? ctx.config.rollbackWorkflow : key.action.workflow;
  const first = alerts[0] as Alert;
  const inputs: Record<string, string> = {
    environment: key.environment,
    reason: text.clean(
      `${first.labels.alertname ?? 'alert'}: ${first.annotations.summary ?? 'alert fired'}`,
      200,
    ),
    incident: incidentId(key),
  };
  if (key.action.kind === 'rollback' && lastGood) inputs.to = lastGood.sha;
  const run = await ctx.github.dispatcher.dispatch({
    workflow,
    ref: await ctx.workflowRef(),
    inputs,
  });
  // Without run details, link the workflow's runs page (the run shows up there).
  if (!run.runUrl && shipped)
    run.runUrl = `${shipped.repoUrl}/actions/workflows/${encodeURIComponent(workflow)}`;
  return run;
}

async function openRevert(
  ctx: IncidentContext,
  facts: text.IncidentFacts,
  shipped: ShippedPullRequest | undefined,
): Promise<RevertRecord> {
  const { reverter, conversations } = ctx.github;
  let why = 'The commit came from no pull request, so there is nothing to revert automatically.';
  if (shipped) {
    const created = await reverter.revert({
      pullRequestId: shipped.nodeId,
      title: text.revertTitle(shipped.title, facts.key),
      body: text.revertBody(facts, shipped.number),
    });
    if (created !== 'refused')
      return { kind: 'pr', number: created.number, nodeId: created.nodeId };
    why = `GitHub refused to revert #${shipped.number} (for example a conflict): revert it by hand.`;
  }
  const issue = await conversations.openIssue({
    title: text.issueTitle(facts),
    body: text.issueBody(facts, why),
    labels: [ctx.config.labels.incident],
  });
  return { kind: 'issue', number: issue.number };
}

/** After a crash or a takeover: what did the earlier attempt already do? */
async function findDone(
  ctx: IncidentContext,
  incident: FiringIncident,
  shipped: ShippedPullRequest | undefined,
  dispatched: boolean,
): Promise<Found> {
  const found: Found = { commented: false };
  if (dispatched) found.run = {};
  const { conversations } = ctx.github;
  if (incident.key.action.kind === 'rollback') {
    const revertMark = marker(incident.key, 'revert');
    const item = (await conversations.recent()).find((i) => i.body.includes(revertMark));
    if (item) {
      found.revert = { kind: item.isPullRequest ? 'pr' : 'issue', number: item.number };
      found.run ??= text.recordedRun(item.body);
    }
  }
  if (shipped) {
    const commentMark = marker(incident.key, 'comment');
    const body = (await conversations.commentBodies(shipped.number)).find((b) =>
      b.includes(commentMark),
    );
    if (body) {
      found.commented = true;
      found.run ??= text.recordedRun(body);
    }
  }
  return found;
}
