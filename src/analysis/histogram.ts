import type { HistogramBucket } from './types.js';

/** Adds cumulative bucket counts by upper bound (both sorted; missing bounds are taken as the previous count). */
export function addBuckets(a: HistogramBucket[], b: HistogramBucket[]): HistogramBucket[] {
  if (a.length === 0) return b.map((x) => ({ ...x }));
  if (b.length === 0) return a.map((x) => ({ ...x }));
  const les = [...new Set([...a.map((x) => x.le), ...b.map((x) => x.le)])].sort((x, y) => x - y);
  return les.map((le) => ({ le, count: countAtOrBelow(a, le) + countAtOrBelow(b, le) }));
}

/** Cumulative count at `le` (the count of the largest bound ≤ le). */
export function countAtOrBelow(buckets: HistogramBucket[], le: number): number {
  let count = 0;
  for (const b of buckets) {
    if (b.le <= le) count = b.count;
    else break;
  }
  return count;
}

export function totalCount(buckets: HistogramBucket[]): number {
  return buckets.length ? (buckets[buckets.length - 1] as HistogramBucket).count : 0;
}

/** Prometheus' histogram_quantile: linear interpolation inside the bucket holding the rank. */
export function bucketQuantile(buckets: HistogramBucket[], q: number): number | undefined {
  const total = totalCount(buckets);
  if (!(total > 0)) return undefined;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (!Number.isFinite(b.le)) return prevLe;
      if (b.count === prevCount) return b.le;
      return prevLe + ((b.le - prevLe) * (rank - prevCount)) / (b.count - prevCount);
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}

/** The finite bucket bound whose cumulative share is nearest to q (undefined without data). */
export function nearestBound(buckets: HistogramBucket[], q: number): number | undefined {
  const total = totalCount(buckets);
  if (!(total > 0)) return undefined;
  let best: number | undefined;
  let bestGap = Infinity;
  for (const b of buckets) {
    if (!Number.isFinite(b.le)) continue;
    const gap = Math.abs(b.count / total - q);
    if (gap < bestGap) {
      bestGap = gap;
      best = b.le;
    }
  }
  return best;
}

/** The smallest finite bucket bound ≥ value. */
export function boundAtOrAbove(buckets: HistogramBucket[], value: number): number | undefined {
  return buckets.find((b) => Number.isFinite(b.le) && b.le >= value)?.le;
}

/**
 * Observations above x, interpolating linearly inside x's bucket as histogram_quantile
 * does (the first bucket starts at 0), so that "share above x ≤ 1 − q" is exactly
 * "histogram_quantile(q) ≤ x". Above the largest finite bound nothing can be interpolated:
 * the +Inf bucket counts as above.
 */
export function countAbove(buckets: HistogramBucket[], x: number): number {
  const total = totalCount(buckets);
  let prevLe = 0;
  let prevCount = 0;
  for (const b of buckets) {
    if (!Number.isFinite(b.le)) break;
    if (x < b.le) {
      const share = x <= prevLe ? 0 : (x - prevLe) / (b.le - prevLe);
      return total - prevCount - share * (b.count - prevCount);
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return total - prevCount;
}

/** The finite bucket bounds around x: [lower, upper], upper undefined beyond the largest. */
export function bucketAround(
  buckets: HistogramBucket[],
  x: number,
): { lower: number; upper?: number } {
  let lower = 0;
  for (const b of buckets) {
    if (!Number.isFinite(b.le)) break;
    if (x <= b.le) return { lower, upper: b.le };
    lower = b.le;
  }
  return { lower };
}

/** The largest finite bucket bound. */
export function largestFiniteBound(buckets: HistogramBucket[]): number | undefined {
  return buckets.filter((b) => Number.isFinite(b.le)).at(-1)?.le;
}
