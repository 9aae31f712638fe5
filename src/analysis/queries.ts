import type { GateMetricConfig } from '../config/sections/gate.js';
import { renderTemplate, type TemplateVars } from '../core/template.js';

export {
  TEMPLATE_VARS,
  TemplateError,
  renderTemplate,
  type TemplateVars,
} from '../core/template.js';

/** `30000` → `30s` (whole seconds, at least 1s). */
export function promDuration(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}

function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** The rendered label matchers of a metric for one track. */
export function renderLabels(
  labels: Record<string, string>,
  vars: TemplateVars,
): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, renderTemplate(v, vars)]));
}

export function selector(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/** The PromQL queries that give one track's sample of a metric over the look's interval. */
export type MetricQueries =
  | { kind: 'counts'; numerator: string; denominator: string }
  | { kind: 'buckets'; buckets: string }
  | { kind: 'value'; value: string };

/**
 * `window` is the range of the increase() for counters and buckets: the look's interval by
 * default; the Prometheus source passes the time since the gate began (see prometheus.ts).
 */
export function metricQueries(
  metric: GateMetricConfig,
  vars: TemplateVars,
  window: string = vars.interval,
): MetricQueries {
  const sel = selector(renderLabels(metric.labels, vars));
  const inc = (name: string) => `sum(increase(${name}${sel}[${window}]))`;
  switch (metric.type) {
    case 'ratio':
      return {
        kind: 'counts',
        numerator: inc(metric.numerator),
        denominator: inc(metric.denominator),
      };
    case 'histogram':
    case 'distribution':
      return {
        kind: 'buckets',
        buckets: `sum by (le) (increase(${metric.metric}_bucket${sel}[${window}]))`,
      };
    case 'gauge':
      return { kind: 'value', value: `avg(${metric.metric}${sel})` };
    case 'query':
      return { kind: 'value', value: renderTemplate(metric.query, vars) };
  }
}
