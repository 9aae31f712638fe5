import { parseAlertmanager } from './alertmanager.js';
import { parseGeneric } from './generic.js';
import { parseGrafana } from './grafana.js';
import type { AlertSource, ParseResult } from './types.js';

export const ALERT_PARSERS: Record<AlertSource, (body: unknown) => ParseResult> = {
  alertmanager: parseAlertmanager,
  grafana: parseGrafana,
  generic: parseGeneric,
};
