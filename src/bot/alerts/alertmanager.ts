import { z } from 'zod';
import { link, parseWith, stringMap, timeOrUndefined } from './schema-helpers.js';
import type { Alert, ParseResult } from './types.js';

const status = z.enum(['firing', 'resolved']);

/** Alertmanager webhook v4 (notify/webhook/webhook.go + template.Data); unknown fields pass. */
const alertmanagerBody = z.looseObject({
  version: z.literal('4').optional(),
  status: status.optional(),
  externalURL: z.string().optional(),
  commonLabels: stringMap.optional(),
  commonAnnotations: stringMap.optional(),
  alerts: z.array(
    z.looseObject({
      status,
      labels: stringMap,
      annotations: stringMap.optional(),
      startsAt: z.string().optional(),
      endsAt: z.string().optional(),
      generatorURL: z.string().optional(),
      fingerprint: z.string().optional(),
    }),
  ),
});

export function parseAlertmanager(body: unknown): ParseResult {
  return parseWith(alertmanagerBody, body, (message) => ({
    ok: true,
    alerts: message.alerts.map((a): Alert => ({
      status: a.status,
      labels: a.labels,
      annotations: { ...message.commonAnnotations, ...a.annotations },
      startsAt: timeOrUndefined(a.startsAt),
      endsAt: timeOrUndefined(a.endsAt),
      fingerprint: a.fingerprint,
      links: [...link('Source', a.generatorURL), ...link('Alertmanager', message.externalURL)],
    })),
  }));
}
