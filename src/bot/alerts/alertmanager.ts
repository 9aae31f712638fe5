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

/** Alertmanager webhook v4 (notify/webhook/webhook.go + template.Data); unknown fields pass. */
const alertmanagerBody = z.looseObject({
  version: z.literal('4').optional(),
  status: alertStatus.optional(),
  externalURL: z.string().optional(),
  commonLabels: stringMap.optional(),
  commonAnnotations: stringMap.optional(),
  alerts: z.array(templateAlert),
});

export function parseAlertmanager(body: unknown): ParseResult {
  return parseWith(alertmanagerBody, body, (message) => ({
    ok: true,
    alerts: message.alerts.map((a) =>
      toAlert(a, message.commonAnnotations, [
        ...link('Source', a.generatorURL),
        ...link('Alertmanager', message.externalURL),
      ]),
    ),
  }));
}
