import type { BotConfig } from '../../config/sections/bot.js';
import type { LedgerRelease } from '../../github/deployment-ledger.js';
import type { Alert } from '../alerts/types.js';
import { actionName, type IncidentAction } from './keys.js';
import { actionFor } from './rules.js';

export interface AlertMapping {
  /** Label naming the repository, `owner/name` (or `name` with `defaultOwner`). */
  repositoryLabel: string;
  environmentLabel: string;
  defaultOwner?: string;
}

export interface AlertGroup {
  owner: string;
  repo: string;
  /** Undefined: the repository's `bot.defaultEnvironment`. */
  environment: string | undefined;
  alerts: Alert[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** Pure: alerts grouped by repository and environment; alerts that name no repository are counted. */
export function groupAlerts(
  alerts: readonly Alert[],
  mapping: AlertMapping,
): { groups: AlertGroup[]; unmapped: number } {
  const groups = new Map<string, AlertGroup>();
  let unmapped = 0;
  for (const alert of alerts) {
    const target = repositoryOf(alert.labels[mapping.repositoryLabel], mapping.defaultOwner);
    if (!target) {
      unmapped += 1;
      continue;
    }
    const environment = alert.labels[mapping.environmentLabel] || undefined;
    const id = `${target.owner}/${target.repo}\u0000${environment ?? ''}`.toLowerCase();
    const group = groups.get(id) ?? { ...target, environment, alerts: [] };
    group.alerts.push(alert);
    groups.set(id, group);
  }
  return { groups: [...groups.values()], unmapped };
}

export function repositoryOf(value: string | undefined, defaultOwner?: string) {
  if (!value) return undefined;
  const parts = value.trim().split('/');
  const [owner, repo] =
    parts.length === 2 ? parts : parts.length === 1 && defaultOwner ? [defaultOwner, parts[0]] : [];
  if (!owner || !repo || !NAME.test(owner) || !NAME.test(repo)) return undefined;
  return { owner, repo };
}

/**
 * Pure: an alert is stale when it names the release it is about (`revision` or `version`
 * label) and that is not the live one (its sha, a sha prefix of 7+ characters, or the
 * version recorded in the deployment's payload).
 */
export function isStale(alert: Alert, live: LedgerRelease): boolean {
  const named = alert.labels.revision ?? alert.labels.version;
  if (!named) return false;
  if (named === live.version || named === live.sha) return false;
  return !(
    named.length >= 7 &&
    /^[0-9a-f]+$/i.test(named) &&
    live.sha.startsWith(named.toLowerCase())
  );
}

/**
 * Pure: the alert started before the live release was deployed, so that release did not
 * cause it (a replayed delivery, or an alert still firing from an earlier release). An alert
 * without a readable `startsAt` is not judged by it.
 */
export function predatesRelease(alert: Alert, live: Pick<LedgerRelease, 'createdAt'>): boolean {
  const started = alert.startsAt ? Date.parse(alert.startsAt) : Number.NaN;
  const deployed = Date.parse(live.createdAt);
  return Number.isFinite(started) && Number.isFinite(deployed) && started < deployed;
}

export interface ActionGroup {
  action: IncidentAction;
  /** firing when any of its alerts fires. */
  status: 'firing' | 'resolved';
  alerts: Alert[];
}

/** Pure: alerts split by what the repository's rules say to do; `ignore` drops them. */
export function splitByAction(alerts: readonly Alert[], config: BotConfig): ActionGroup[] {
  const out = new Map<string, ActionGroup>();
  for (const alert of alerts) {
    const action = actionFor(alert, config.alerts);
    if (action === 'ignore') continue;
    const name = actionName(action);
    const group = out.get(name) ?? { action, status: 'resolved', alerts: [] };
    group.alerts.push(alert);
    if (alert.status === 'firing') group.status = 'firing';
    out.set(name, group);
  }
  return [...out.values()];
}
