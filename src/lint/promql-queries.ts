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
  return Object.entries(config.lint.promql).map(([name, query]) => ({
    path: `lint.promql.${name}`,
    query,
  }));
}
