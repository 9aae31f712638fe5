/** One alert, whatever sent it. */
export interface Alert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  /** Links worth showing a person: the rule, a dashboard, a panel, a silence. */
  links: { title: string; url: string }[];
  fingerprint?: string;
}

export type AlertSource = 'alertmanager' | 'grafana' | 'generic';

/** The outcome of parsing a body: alerts, or the first problem found (for a 400). */
export type ParseResult = { ok: true; alerts: Alert[] } | { ok: false; problem: string };
