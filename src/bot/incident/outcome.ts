import type { ResolvedResult } from './resolve-incident.js';

/** How a resolved alert's handling reads in the delivery's answer; busy asks for a retry. */
export function resolveIncidentOutcome(
  r: ResolvedResult,
): Record<string, unknown> & { retry?: boolean } {
  return { outcome: `resolved:${r.outcome}`, noted: r.noted, retry: r.outcome === 'busy' };
}
