export type Metrics = Record<string, number>;

export class MetricsFileError extends Error {}

/**
 * Flattens nested metrics to dotted keys (`eval.accuracy`). Every leaf must be a finite
 * number; anything else is an error that names the key.
 */
export function flattenMetrics(value: unknown, prefix = ''): Metrics {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MetricsFileError(
      prefix
        ? `value at "${prefix}" must be a number or an object`
        : 'expected a JSON object of metrics',
    );
  }
  const out: Metrics = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof v === 'number') {
      if (!Number.isFinite(v))
        throw new MetricsFileError(`value at "${path}" is ${v}; metrics must be finite numbers`);
      out[path] = v;
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      Object.assign(out, flattenMetrics(v, path));
    } else {
      const kind =
        v === null ? 'null' : Array.isArray(v) ? 'a list' : `a ${typeof v} (${JSON.stringify(v)})`;
      throw new MetricsFileError(`value at "${path}" is ${kind}; metrics must be numbers`);
    }
  }
  return out;
}

export function parseMetricsJson(text: string): Metrics {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new MetricsFileError(`not valid JSON (${(e as Error).message})`);
  }
  return flattenMetrics(parsed);
}
