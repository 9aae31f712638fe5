import type { Alert } from '../alerts/types.js';
import type { LedgerRelease } from '../../github/deployment-ledger.js';
import { codeBlock, inlineCode, plainInput, plainTitle, safeUrl } from './inert.js';
import { incidentId, marker, type IncidentKey } from './keys.js';

export interface IncidentFacts {
  key: IncidentKey;
  alerts: readonly Alert[];
  live: LedgerRelease;
  lastGood: LedgerRelease | undefined;
  run?: { runId?: number; runUrl?: string };
}

const MAX_ALERTS_LISTED = 10;
const MAX_TEXT = 500;

/** Alert text for one-line places (the dispatch reason): plain, single-line, capped. */
export function clean(text: string | undefined, max = MAX_TEXT): string {
  return text ? plainInput(text, max) : '';
}

/** The alert's name as a title may carry it (no markdown meaning, no mention, capped). */
export function alertName(alert: Alert): string {
  return plainTitle(alert.labels.alertname ?? '', 120) || 'alert';
}

/**
 * The alerts as people read them in a body: their text (name, status, start, summary) in one
 * fenced code block, so nothing in it renders or notifies, and the senders' http(s) links
 * below it, each normalised once and given a title of ours.
 */
export function alertLines(alerts: readonly Alert[]): string[] {
  const text = alerts.slice(0, MAX_ALERTS_LISTED).map((a) => {
    const summary = (a.annotations.summary ?? a.annotations.description ?? '').slice(0, MAX_TEXT);
    const since = a.startsAt ? ` since ${a.startsAt.slice(0, 40)}` : '';
    return `${(a.labels.alertname ?? 'alert').slice(0, 120)} (${a.status}${since})${summary ? `: ${summary}` : ''}`;
  });
  if (alerts.length > MAX_ALERTS_LISTED)
    text.push(`… and ${alerts.length - MAX_ALERTS_LISTED} more`);
  const links = alerts
    .slice(0, MAX_ALERTS_LISTED)
    .flatMap((a) => a.links.slice(0, 3))
    .map((l) => ({ title: l.title, url: safeUrl(l.url) }))
    .filter((l): l is { title: string; url: string } => l.url !== undefined)
    .slice(0, 10)
    .map((l) => `[${l.title}](<${l.url}>)`);
  return [
    codeBlock(text.join('\n'), { maxChars: 6000 }),
    ...(links.length ? ['', links.join(' · ')] : []),
  ];
}

/** `environment` as text: inline code (its name comes from an alert label). */
function env(key: IncidentKey): string {
  return inlineCode(key.environment);
}

/** The opening words of every incident text: no claim about which environment is production. */
function alertsFired(key: IncidentKey): string {
  return `Alerts fired for ${env(key)}`;
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

function runLine(facts: IncidentFacts): string {
  if (!facts.run) return 'No rollback run: there is no earlier successful release to return to.';
  const target = facts.lastGood ? ` to \`${short(facts.lastGood.sha)}\`` : '';
  return facts.run.runUrl
    ? `Rollback${target} dispatched: ${facts.run.runUrl}`
    : `Rollback${target} dispatched (run id ${facts.run.runId ?? 'unknown'}).`;
}

/** Written while the rollback is being dispatched: the run link goes on the original pull request. */
function rollbackLine(facts: IncidentFacts): string {
  return facts.lastGood
    ? `The rollback to \`${short(facts.lastGood.sha)}\` is dispatched at the same time; its run is linked on the original pull request.`
    : 'No rollback run: there is no earlier successful release to return to.';
}

function runMarker(facts: IncidentFacts): string {
  return facts.run ? `<!-- model-delivery-run: ${facts.run.runId ?? 0} -->` : '';
}

export function revertTitle(originalTitle: string, key: IncidentKey): string {
  return plainTitle(`Revert "${originalTitle}" (${key.environment} alert)`, 200);
}

export function revertBody(facts: IncidentFacts, originalNumber: number): string {
  const { key, live } = facts;
  return [
    `Reverts #${originalNumber}: ${alertsFired(key)} while \`${short(live.sha)}\`${live.version ? ` (${inlineCode(live.version, 80)})` : ''} was live.`,
    '',
    ...alertLines(facts.alerts),
    '',
    rollbackLine(facts),
    '',
    `Incident \`${incidentId(key)}\`, opened by model-delivery.`,
    marker(key, 'revert'),
  ].join('\n');
}

export function issueTitle(facts: IncidentFacts): string {
  return plainTitle(
    `${alertName(facts.alerts[0] as Alert)}: ${facts.key.environment} needs a rollback of ${short(facts.live.sha)}`,
    200,
  );
}

export function issueBody(facts: IncidentFacts, why: string): string {
  return [
    `${alertsFired(facts.key)} while \`${facts.live.sha}\` was live. ${why}`,
    '',
    ...alertLines(facts.alerts),
    '',
    rollbackLine(facts),
    '',
    `Incident \`${incidentId(facts.key)}\`, opened by model-delivery.`,
    marker(facts.key, 'revert'),
  ].join('\n');
}

export function originalComment(
  facts: IncidentFacts,
  revert: { kind: 'pr' | 'issue'; number: number } | undefined,
): string {
  const revertLine = revert
    ? revert.kind === 'pr'
      ? `Revert pull request: #${revert.number}`
      : `No revert pull request could be opened; see #${revert.number}.`
    : 'No revert pull request (autoRevert is off).';
  return [
    `:rotating_light: ${alertsFired(facts.key)} while this pull request's \`${short(facts.live.sha)}\` was live.`,
    '',
    ...alertLines(facts.alerts),
    '',
    revertLine,
    runLine(facts),
    marker(facts.key, 'comment'),
    runMarker(facts),
  ].join('\n');
}

export function resolvedNote(key: IncidentKey, alerts: readonly Alert[]): string {
  return [
    `:white_check_mark: The alerts of this incident are resolved.`,
    '',
    ...alertLines(alerts),
    '',
    'Merge or close this revert as the team decides; the rollback has already run.',
    marker(key, 'resolved'),
  ].join('\n');
}

/** The run id recorded in a body by `runMarker`, if any. */
export function recordedRun(body: string): { runId?: number } | undefined {
  const m = /<!-- model-delivery-run: (\d+) -->/.exec(body);
  if (!m) return undefined;
  const runId = Number(m[1]);
  return runId ? { runId } : {};
}

/** The issue that says a repository's workflow is missing (opened once per workflow and ref). */
export function missingWorkflowBody(workflow: string, ref: string): string {
  return [
    `Alerts arrived for this repository, but the workflow ${inlineCode(workflow)} that \`.github/model-delivery.yml\` names for rollbacks is not on ${inlineCode(ref)}, so model-delivery did nothing: no revert, no dispatch.`,
    '',
    'Add the workflow (with a `workflow_dispatch` trigger) to that ref, or name the right one in `bot.rollbackWorkflow` / `bot.workflowRef`. This issue is opened once; later alerts are ignored the same way until the workflow exists.',
  ].join('\n');
}
