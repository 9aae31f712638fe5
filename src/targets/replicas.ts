/**
 * How many replicas the canary (and, equally, the baseline) gets beside `stable` replicas.
 * `max(1, round(stable × percent / 100))`: rounding is to the nearest integer (halves up),
 * and there is always at least one so a low percent still gets traffic. Shared by the
 * kubernetes target and the docs (docs/deploy.md) so both say the same thing.
 */
export function canaryReplicas(stableReplicas: number, percent: number): number {
  if (!Number.isFinite(stableReplicas) || stableReplicas < 0)
    throw new RangeError(`stable replicas must be >= 0, got ${stableReplicas}`);
  if (!Number.isFinite(percent) || percent <= 0 || percent > 100)
    throw new RangeError(`percent must be in (0, 100], got ${percent}`);
  return Math.max(1, Math.round((stableReplicas * percent) / 100));
}

/**
 * The share of requests the canary really gets with `traffic: replicas`: the Service spreads
 * requests evenly over ready pods, so it is canary / (stable + canary + baseline) pods, not
 * the configured percent (docs/kubernetes.md tabulates it).
 */
export function canaryTrafficShare(stableReplicas: number, percent: number): number {
  const canary = canaryReplicas(stableReplicas, percent);
  return canary / (stableReplicas + 2 * canary);
}
