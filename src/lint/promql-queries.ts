import { TemplateError, renderTemplate } from '../analysis/queries.js';
import type { Config } from '../config/schema.js';

export interface NamedQuery {
  /** Config path, e.g. `lint.promql.error_ratio`. */
  path: string;
  query: string;
}

/**
 * Every PromQL query the config holds. Sections that add queries (the gate's `query`
 * metrics) list them here, so lint checks them all.
 */
export function collectPromqlQueries(config: Config): NamedQuery[] {
  const lint = Object.entries(config.lint.promql).map(([name, query]) => ({
    path: `lint.promql.${name}`,
    query,
  }));
  return [...lint, ...gateQueries(config)];
}

/** An unknown placeholder leaves the raw template, whose `{{…}}` then fails the syntax check. */
function renderOrRaw(query: string, vars: Parameters<typeof renderTemplate>[1]): string {
  try {
    return renderTemplate(query, vars);
  } catch (e) {
    if (e instanceof TemplateError) return query;
    throw e;
  }
}

/** The gate's `query` metrics, rendered with sample values so that the templates parse. */
function gateQueries(config: Config): NamedQuery[] {
  const vars = {
    track: 'canary',
    namespace: 'default',
    deployment: 'app',
    version: 'v1',
    interval: '30s',
  };
  return config.gate.metrics.flatMap((m, i) =>
    m.type === 'query'
      ? [{ path: `gate.metrics.${i}.query`, query: renderOrRaw(m.query, vars) }]
      : [],
  );
}
