import { readFileSync } from 'node:fs';

export interface LoadOptions {
  /** JSON-lines request bodies. */
  file: string;
  url: string;
  rps: number;
  /** false strips each body's `label`. */
  labelled: boolean;
  /** The one HTTP call, injectable for tests. */
  post?: (url: string, body: string) => Promise<number>;
  maxInFlight?: number;
}

export interface LoadStats {
  sent: number;
  ok: number;
  failed: number;
  skipped: number;
}

export interface LoadRun {
  stop(): Promise<LoadStats>;
}

/** Reads the sample file: one JSON object per non-empty line; a bad line names its number. */
export function readRequests(file: string, labelled: boolean): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const bodies: string[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new Error(
        `${file}:${i + 1}: not JSON (${e instanceof Error ? e.message : String(e)})`,
        { cause: e },
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Error(`${file}:${i + 1}: expected a JSON object`);
    if (!labelled) delete (value as Record<string, unknown>).label;
    bodies.push(JSON.stringify(value));
  });
  if (bodies.length === 0) throw new Error(`${file}: no requests`);
  return bodies;
}

const defaultPost = async (url: string, body: string): Promise<number> => {
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer();
  return res.status;
};

/**
 * Sends the sample requests round-robin at a steady rate until stopped, like Flagger's
 * load tester. Requests beyond `maxInFlight` are skipped rather than queued, so a slow
 * canary is not hidden behind a backlog.
 */
export function startLoad(options: LoadOptions): LoadRun {
  const bodies = readRequests(options.file, options.labelled);
  const post = options.post ?? defaultPost;
  const maxInFlight = options.maxInFlight ?? 64;
  const stats: LoadStats = { sent: 0, ok: 0, failed: 0, skipped: 0 };
  const inFlight = new Set<Promise<void>>();
  let next = 0;
  const started = Date.now();
  const tick = () => {
    const due = Math.floor(((Date.now() - started) / 1000) * options.rps);
    while (stats.sent + stats.skipped < due) {
      if (inFlight.size >= maxInFlight) {
        stats.skipped++;
        continue;
      }
      const body = bodies[next++ % bodies.length] as string;
      stats.sent++;
      const p = post(options.url, body).then(
        (status) => void (status < 500 ? stats.ok++ : stats.failed++),
        () => void stats.failed++,
      );
      const tracked = p.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    }
  };
  const timer = setInterval(tick, Math.max(5, Math.min(100, 1000 / options.rps)));
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      return { ...stats };
    },
  };
}
