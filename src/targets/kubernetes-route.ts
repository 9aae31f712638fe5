import { ConfigError } from '../core/errors.js';
import { TRACK_LABEL } from './kubernetes-manifests.js';

/**
 * Pure work for `deploy.kubernetes.traffic: gateway-api`: the per-track Services, and the
 * JSON patch that gives an HTTPRoute's rule weighted backendRefs (or puts it back on the
 * stable Service alone). The I/O is in kubernetes-traffic.ts.
 */

export type SplitTrack = 'stable' | 'canary' | 'baseline';
export const SPLIT_TRACKS: readonly SplitTrack[] = ['stable', 'canary', 'baseline'];

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  appProtocol?: string;
}

export interface Service {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; labels?: Record<string, string>; [key: string]: unknown };
  spec?: { selector?: Record<string, string>; ports?: ServicePort[]; [key: string]: unknown };
}

export interface BackendRef {
  name: string;
  group?: string;
  kind?: string;
  namespace?: string;
  port?: number;
  weight?: number;
  [key: string]: unknown;
}

export interface HttpRoute {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  spec?: { rules?: Array<{ backendRefs?: BackendRef[]; [key: string]: unknown }> };
}

/** Which route and Service, and the namespace both live in (the Deployment's). */
export interface RouteNames {
  route: string;
  /** The stable Service the route sends to today. */
  service: string;
  namespace: string;
}

/** Marks the Services the target made, so nothing else is ever deleted by it. */
export const TRACK_SERVICE_ANNOTATION = 'model-delivery.dev/track-service-of';

export function trackServiceName(service: string, track: SplitTrack): string {
  return `${service}-${track}`;
}

/**
 * One Service per track: the stable Service's selector narrowed to the track's pods, its
 * ports (so the route's backendRef port is valid for each), nothing the server owns.
 */
export function trackServices(stable: Service): Service[] {
  const selector = stable.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) {
    throw new ConfigError([
      `deploy.kubernetes.httpRoute.service: Service ${stable.metadata.name} has no selector; the canary split needs one to narrow to each track's pods`,
    ]);
  }
  const ports = (stable.spec?.ports ?? []).map((p) => {
    const { name, port, targetPort, protocol, appProtocol } = p;
    return {
      ...(name !== undefined ? { name } : {}),
      port,
      ...(targetPort !== undefined ? { targetPort } : {}),
      ...(protocol !== undefined ? { protocol } : {}),
      ...(appProtocol !== undefined ? { appProtocol } : {}),
    };
  });
  return SPLIT_TRACKS.map((track) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: trackServiceName(stable.metadata.name, track),
      labels: { ...(stable.metadata.labels ?? {}), [TRACK_LABEL]: track },
      annotations: { [TRACK_SERVICE_ANNOTATION]: stable.metadata.name },
    },
    spec: { selector: { ...selector, [TRACK_LABEL]: track }, ports },
  }));
}

/** A backendRef to a Service named `name` in `namespace` (core group, the default kind). */
function refersTo(ref: BackendRef, names: ReadonlySet<string>, namespace: string): boolean {
  return (
    (ref.group ?? '') === '' &&
    (ref.kind ?? 'Service') === 'Service' &&
    (ref.namespace ?? namespace) === namespace &&
    names.has(ref.name)
  );
}

interface SplitRule {
  index: number;
  refs: BackendRef[];
  /** The stable ref as the team wrote it (or its split form), without name and weight. */
  base: Omit<BackendRef, 'name'>;
}

/**
 * The rules that send to the stable Service (or, already split, to the track Services).
 * Bad input is named: no such rule, or a rule that mixes the Service with other backends
 * (a weight split there would change the others' share too).
 */
export function splitRules(route: HttpRoute, n: RouteNames, where: string): SplitRule[] {
  const ours = new Set([n.service, ...SPLIT_TRACKS.map((t) => trackServiceName(n.service, t))]);
  const stableNames = new Set([n.service, trackServiceName(n.service, 'stable')]);
  const found: SplitRule[] = [];
  const problems: string[] = [];
  (route.spec?.rules ?? []).forEach((rule, index) => {
    const refs = rule.backendRefs ?? [];
    const mine = refs.filter((r) => refersTo(r, ours, n.namespace));
    if (mine.length === 0) return;
    const stable = mine.find((r) => refersTo(r, stableNames, n.namespace));
    if (mine.length !== refs.length || !stable) {
      problems.push(
        `${where}: rule ${index} sends to ${refs.map((r) => r.name).join(', ')}; the split needs a rule whose only backend is Service ${n.service}`,
      );
      return;
    }
    const base: Omit<BackendRef, 'name'> & { name?: string } = { ...stable };
    delete base.name;
    delete base.weight;
    found.push({ index, refs, base });
  });
  if (problems.length) throw new ConfigError(problems);
  if (found.length === 0) {
    const named = (route.spec?.rules ?? []).flatMap((r) => r.backendRefs ?? []).map((r) => r.name);
    throw new ConfigError([
      `${where} does not reference Service ${n.service} (its backends: ${named.join(', ') || 'none'}); add a rule with backendRefs [{name: ${n.service}, port: …}], or set deploy.kubernetes.httpRoute.service to the Service it sends to`,
    ]);
  }
  return found;
}

/**
 * Stable, canary and baseline weights for a share: canary and baseline `percent` each.
 * Weights are proportional integers: they sum to 100 for a whole percent (10 → 80/10/10),
 * to 1000 or 10000 for one with decimals (12.5 → 750/125/125).
 */
export function splitWeights(percent: number): Record<SplitTrack, number> {
  if (!Number.isFinite(percent) || percent < 0 || percent > 50)
    throw new RangeError(`a traffic share is a percent in [0, 50], got ${percent}`);
  const scale =
    [1, 10, 100].find((s) => Number.isInteger(Math.round(percent * s * 1e6) / 1e6)) ?? 100;
  const share = Math.round(percent * scale);
  return { stable: 100 * scale - 2 * share, canary: share, baseline: share };
}

export type JsonPatchOp =
  { op: 'test'; path: string; value: unknown } | { op: 'replace'; path: string; value: unknown };

/**
 * The route's split rules at `percent` (undefined: back to the stable Service alone, as the
 * team wrote it). Each replace is guarded by a test of the rule as read, so a concurrent
 * edit of the route fails the patch instead of being overwritten.
 */
export function routePatch(
  route: HttpRoute,
  n: RouteNames,
  percent: number | undefined,
  where: string,
): JsonPatchOp[] {
  const weights = percent === undefined ? undefined : splitWeights(percent);
  return splitRules(route, n, where).flatMap(({ index, refs, base }) => {
    const value: BackendRef[] = weights
      ? SPLIT_TRACKS.map((t) => ({
          name: trackServiceName(n.service, t),
          ...base,
          weight: weights[t],
        }))
      : [{ name: n.service, ...base }];
    if (JSON.stringify(value) === JSON.stringify(refs)) return [];
    const path = `/spec/rules/${index}/backendRefs`;
    return [
      { op: 'test' as const, path, value: refs },
      { op: 'replace' as const, path, value },
    ];
  });
}

/** The canary's share the route gives now (undefined when it is not split). */
export function currentShare(route: HttpRoute, n: RouteNames, where: string): number | undefined {
  const rule = splitRules(route, n, where)[0];
  const canary = rule?.refs.find((r) => r.name === trackServiceName(n.service, 'canary'));
  if (!rule || !canary) return undefined;
  const total = rule.refs.reduce((sum, r) => sum + (r.weight ?? 1), 0);
  return total > 0 ? ((canary.weight ?? 1) / total) * 100 : 0;
}
