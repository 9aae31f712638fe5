import type { Alert } from '../alerts/types.js';
import type { LedgerRelease } from '../../github/deployment-ledger.js';
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

/** Alert text comes from outside: keep it short and unable to close our markdown or markers. */
export function clean(text: string | undefined, max = MAX_TEXT): string {
  if (!text) return '';
  const flat = text
    .replace(/<!--|-->/g, '')
    .replace(/[\r\n]+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function alertName(alert: Alert): string {
  return clean(alert.labels.alertname, 120) || 'alert';
}

export function alertLines(alerts: readonly Alert[]): string[] {
  const lines = alerts.slice(0, MAX_ALERTS_LISTED).map((a) => {
    const summary = clean(a.annotations.summary ?? a.annotations.description);
    const links = a.links
      .slice(0, 3)
      .map((l) => `[${l.title}](${encodeURI(l.url)})`)
      .join(' · ');
    const since = a.startsAt ? ` since ${clean(a.startsAt, 40)}` : '';
    return `- **${alertName(a)}** (${a.status}${since})${summary ? `: ${summary}` : ''}${links ? ` — ${links}` : ''}`;
  });
  if (alerts.length > MAX_ALERTS_LISTED)
    lines.push(`- … and ${alerts.length - MAX_ALERTS_LISTED} more`);
  return lines;
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
  return clean(`Revert "${originalTitle}" (${key.environment} alert)`, 200);
}

export function revertBody(facts: IncidentFacts, originalNumber: number): string {
  const { key, live } = facts;
  return [
    `Reverts #${originalNumber}: production alerts fired for \`${key.environment}\` while \`${short(live.sha)}\`${live.version ? ` (${clean(live.version, 80)})` : ''} was live.`,
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
  return clean(
    `${alertName(facts.alerts[0] as Alert)}: ${facts.key.environment} needs a rollback of ${short(facts.live.sha)}`,
    200,
  );
}

export function issueBody(facts: IncidentFacts, why: string): string {
  return [
    `Production alerts fired for \`${facts.key.environment}\` while \`${facts.live.sha}\` was live. ${why}`,
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
    `:rotating_light: Production alerts fired for \`${facts.key.environment}\` while this pull request's \`${short(facts.live.sha)}\` was live.`,
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
