import { z } from 'zod';
import {
  alertStatus,
  link,
  parseWith,
  stringMap,
  templateAlert,
  toAlert,
} from './schema-helpers.js';
import type { ParseResult } from './types.js';

/** Grafana unified alerting webhook (grafana/alerting receivers/webhook/v1); unknown fields pass. */
const grafanaBody = z.looseObject({
  version: z.string().optional(),
  status: alertStatus.optional(),
  commonAnnotations: stringMap.optional(),
  alerts: z.array(
    templateAlert.extend({
      dashboardURL: z.string().optional(),
      panelURL: z.string().optional(),
      silenceURL: z.string().optional(),
    }),
  ),
});

export function parseGrafana(body: unknown): ParseResult {
  return parseWith(grafanaBody, body, (message) => ({
    ok: true,
    alerts: message.alerts.map((a) =>
      toAlert(a, message.commonAnnotations, [
        ...link('Rule', a.generatorURL),
        ...link('Dashboard', a.dashboardURL),
        ...link('Panel', a.panelURL),
        ...link('Silence', a.silenceURL),
      ]),
    ),
  }));
}
