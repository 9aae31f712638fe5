import { readFileSync, statSync } from 'node:fs';
import {
  Agent,
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { LocalState } from './local-state.js';
import type { Track } from './types.js';

/** Where each live track listens, and the canary's share of traffic. */
export interface Routes {
  percent: number;
  ports: Partial<Record<Track, number>>;
}

/** Header on every proxied response naming the track that answered (for tests and curious users). */
export const TRACK_HEADER = 'x-model-delivery-track';
/** The proxy's own health and routes; never forwarded. */
export const PROXY_STATUS_PATH = '/-/model-delivery-proxy';

/** The live tracks' ports; `alive` drops a track whose process is gone, so its share goes to the others. */
export function routesOf(state: LocalState, alive: (pid: number) => boolean = () => true): Routes {
  const ports: Partial<Record<Track, number>> = {};
  for (const [track, record] of Object.entries(state.tracks))
    if (record && alive(record.pid)) ports[track as Track] = record.port;
  return { percent: state.percent, ports };
}

/** Whether a process exists (signal 0); a track's pid leads its own group, so a dead leader is a dead track. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else (not ours, yet alive).
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Which track serves a request, given `r` uniform in [0, 100): the canary takes `percent`,
 * the baseline the same share, stable the rest, as replica counts split a Service.
 */
export function pickTrack(routes: Routes, r: number): Track | undefined {
  const { ports, percent } = routes;
  if (ports.canary !== undefined && r < percent) return 'canary';
  if (ports.baseline !== undefined && r >= percent && r < 2 * percent) return 'baseline';
  if (ports.stable !== undefined) return 'stable';
  return ports.canary !== undefined
    ? 'canary'
    : ports.baseline !== undefined
      ? 'baseline'
      : undefined;
}

/** Re-reads the state file only when it was replaced (the CLI renames a new file into place). */
function stateReader(stateFile: string): () => LocalState | undefined {
  let seen = '';
  let cached: LocalState | undefined;
  return () => {
    let key: string;
    try {
      const s = statSync(stateFile);
      key = `${s.ino}:${s.mtimeMs}:${s.size}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    if (key !== seen) {
      cached = JSON.parse(readFileSync(stateFile, 'utf8')) as LocalState;
      seen = key;
    }
    return cached;
  };
}

export interface FrontProxyOptions {
  stateFile: string;
  port: number;
  random?: () => number;
}

/** The front proxy: a tiny HTTP forwarder that routes by `pickTrack` on each request. */
export function startFrontProxy(
  options: FrontProxyOptions,
): Promise<{ server: Server; state: () => LocalState | undefined }> {
  const read = stateReader(options.stateFile);
  const random = options.random ?? Math.random;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const server = createServer((req, res) => {
    const state = read();
    if (req.url === PROXY_STATUS_PATH)
      return sendJson(res, 200, { pid: process.pid, routes: state ? routesOf(state) : undefined });
    const track = state ? pickTrack(routesOf(state, pidAlive), random() * 100) : undefined;
    const port = track && state?.tracks[track]?.port;
    if (!track || !port)
      return sendJson(res, 503, {
        error: 'no model process is deployed; run model-delivery deploy',
      });
    forward(req, res, { port, track, agent });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve({ server, state: read }));
  });
}

function forward(
  req: IncomingMessage,
  res: ServerResponse,
  to: { port: number; track: Track; agent: Agent },
): void {
  const upstream = request(
    {
      host: '127.0.0.1',
      port: to.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent: to.agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, [TRACK_HEADER]: to.track });
      answer.pipe(res);
    },
  );
  upstream.on('error', (e) => {
    if (!res.headersSent)
      sendJson(res, 502, {
        error: `${to.track} (port ${to.port}) did not answer: ${e.message}`,
        track: to.track,
      });
    else res.destroy(e);
  });
  req.pipe(upstream);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
