/**
 * What this process knows about incidents. GitHub holds the truth; this only saves calls
 * (a finished incident is not read again), joins concurrent deliveries of one incident to
 * one run, and remembers when another replica's unfinished incident was first seen, so a
 * crashed owner can be taken over once its lease has passed without progress.
 */
export class IncidentMemory<T> {
  private readonly done = new Map<string, T>();
  private readonly running = new Map<string, Promise<T>>();
  private readonly owned = new Set<string>();
  private readonly runs = new Map<string, { runId?: number; runUrl?: string }>();
  private readonly seen = new Map<string, { snapshot: string; since: number }>();

  constructor(private readonly limit = 10_000) {}

  finished(id: string): T | undefined {
    return this.done.get(id);
  }

  markDone(id: string, result: T): void {
    this.remember(this.done, id, result);
    this.owned.delete(id);
    this.seen.delete(id);
    this.runs.delete(id);
  }

  /** Runs `work` once per id at a time: concurrent callers share the same promise. */
  async once(id: string, work: () => Promise<T>): Promise<T> {
    const current = this.running.get(id);
    if (current) return current;
    const promise = work().finally(() => this.running.delete(id));
    this.running.set(id, promise);
    return promise;
  }

  /** A dispatch this process made for an incident it has not finished. */
  recordDispatch(id: string, run: { runId?: number; runUrl?: string }): void {
    this.remember(this.runs, id, run);
  }

  dispatched(id: string): { runId?: number; runUrl?: string } | undefined {
    return this.runs.get(id);
  }

  /** This process holds the incident's claim (set when it created the claim or took over). */
  own(id: string): void {
    this.owned.add(id);
  }

  owns(id: string): boolean {
    return this.owned.has(id);
  }

  /**
   * Records the incident's refs as seen now; returns how long they have stayed the same.
   * Any change (another replica's progress) restarts the clock.
   */
  unchangedFor(id: string, snapshot: string, now: number): number {
    const before = this.seen.get(id);
    if (!before || before.snapshot !== snapshot) {
      this.remember(this.seen, id, { snapshot, since: now });
      return 0;
    }
    return now - before.since;
  }

  private remember<V>(map: Map<string, V>, id: string, value: V): void {
    map.delete(id);
    map.set(id, value);
    if (map.size > this.limit) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
  }
}
