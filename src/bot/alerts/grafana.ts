import { z } from 'zod';
import { link, parseWith, stringMap, timeOrUndefined } from './schema-helpers.js';
import type { Alert, ParseResult } from './types.js';

const status = z.enum(['firing', 'resolved']);

/** Grafana unified alerting webhook (grafana/alerting receivers/webhook/v1); unknown fields pass. */
const grafanaBody = z.looseObject({
  version: z.string().optional(),
  status: status.optional(),
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
      dashboardURL: z.string().optional(),
      panelURL: z.string().optional(),
      silenceURL: z.string().optional(),
    }),
  ),
});

export function parseGrafana(body: unknown): ParseResult {
  return parseWith(grafanaBody, body, (message) => ({
    ok: true,
    alerts: message.alerts.map((a): Alert => ({
      status: a.status,
      labels: a.labels,
      annotations: { ...message.commonAnnotations, ...a.annotations },
      startsAt: timeOrUndefined(a.startsAt),
      endsAt: timeOrUndefined(a.endsAt),
      fingerprint: a.fingerprint,
      links: [
        ...link('Rule', a.generatorURL),
        ...link('Dashboard', a.dashboardURL),
        ...link('Panel', a.panelURL),
        ...link('Silence', a.silenceURL),
      ],
    })),
  }));
}
