/**
 * A fixed one-minute window per key (a source address, a commenter). In memory, per replica:
 * the limits bound one process's work; a few replicas multiply them, which is the point of
 * running replicas.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Takes `cost` from the key's window: undefined when allowed, else seconds until it resets. */
  take(key: string, cost = 1): number | undefined {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= 60_000) {
      w = { start: t, used: 0 };
      this.windows.delete(key);
      this.windows.set(key, w);
      if (this.windows.size > this.maxKeys)
        this.windows.delete(this.windows.keys().next().value as string);
    }
    if (w.used + cost > this.perMinute)
      return Math.max(1, Math.ceil((w.start + 60_000 - t) / 1000));
    w.used += cost;
    return undefined;
  }

  /** Whether the key's window is spent, without taking from it. */
  exhausted(key: string): number | undefined {
    const w = this.windows.get(key);
    const t = this.now();
    if (!w || t - w.start >= 60_000 || w.used < this.perMinute) return undefined;
    return Math.max(1, Math.ceil((w.start + 60_000 - t) / 1000));
  }
}
