import { renderTemplate } from '../analysis/queries.js';
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

/** The gate's `query` metrics, rendered with sample values (the config has checked the placeholders). */
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
      ? [{ path: `gate.metrics.${i}.query`, query: renderTemplate(m.query, vars) }]
      : [],
  );
}
