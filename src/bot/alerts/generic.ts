import { z } from 'zod';
import { link, parseWith, stringMap } from './schema-helpers.js';
import type { Alert, ParseResult } from './types.js';

/**
 * The generic form (docs/bot.md): one alert or `{ alerts: [...] }`, each
 * `{ status: firing|resolved, labels, annotations?, startsAt?, url? }`.
 */
const genericAlert = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: stringMap,
  annotations: stringMap.optional(),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  url: z.string().optional(),
});

/** Kapacitor's `post` handler body: alert.Data in kapacitor alert/types.go. */
const kapacitorBody = z.looseObject({
  id: z.string().min(1),
  message: z.string().optional(),
  details: z.string().optional(),
  time: z.string().optional(),
  level: z.enum(['OK', 'INFO', 'WARNING', 'CRITICAL']),
  data: z
    .looseObject({
      series: z
        .array(z.looseObject({ name: z.string().optional(), tags: stringMap.optional() }))
        .nullish(),
    })
    .optional(),
});

const genericList = z.looseObject({ alerts: z.array(genericAlert).min(1) });

function fromGeneric(a: z.output<typeof genericAlert>): Alert {
  return {
    status: a.status,
    labels: a.labels,
    annotations: a.annotations ?? {},
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    links: link('Source', a.url),
  };
}

function isKapacitor(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'level' in body && 'id' in body;
}

export function parseGeneric(body: unknown): ParseResult {
  if (isKapacitor(body)) {
    return parseWith(kapacitorBody, body, (k) => {
      const tags = k.data?.series?.[0]?.tags ?? {};
      const alert: Alert = {
        status: k.level === 'OK' ? 'resolved' : 'firing',
        labels: { alertname: k.id, severity: k.level.toLowerCase(), ...tags },
        annotations: k.message ? { summary: k.message } : {},
        startsAt: k.time,
        links: [],
      };
      return { ok: true, alerts: [alert] };
    });
  }
  const hasList = typeof body === 'object' && body !== null && 'alerts' in body;
  return hasList
    ? parseWith(genericList, body, (v) => ({ ok: true, alerts: v.alerts.map(fromGeneric) }))
    : parseWith(genericAlert, body, (v) => ({ ok: true, alerts: [fromGeneric(v)] }));
}
