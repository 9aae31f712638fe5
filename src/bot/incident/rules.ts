import type { BotAlertRule } from '../../config/sections/bot.js';
import type { Alert } from '../alerts/types.js';
import type { IncidentAction } from './keys.js';

/** `/regex/` is anchored like Alertmanager's `=~`; anything else is an exact value. */
export function labelMatches(pattern: string, value: string | undefined): boolean {
  const m = /^\/(.*)\/$/s.exec(pattern);
  if (!m) return value === pattern;
  try {
    return new RegExp(`^(?:${m[1]})$`).test(value ?? '');
  } catch {
    return false;
  }
}

/** The first rule whose matchers all hold decides; with none, an alert means a rollback. */
export function actionFor(alert: Alert, rules: readonly BotAlertRule[]): IncidentAction | 'ignore' {
  for (const rule of rules) {
    const all = Object.entries(rule.match).every(([label, pattern]) =>
      labelMatches(pattern, alert.labels[label]),
    );
    if (!all) continue;
    if (rule.action === 'ignore') return 'ignore';
    if (rule.action === 'dispatch') return { kind: 'dispatch', workflow: rule.workflow as string };
    return { kind: 'rollback' };
  }
  return { kind: 'rollback' };
}
