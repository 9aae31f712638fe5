import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BotMetrics } from '../metrics.js';
import { send, tooLarge } from './respond.js';

/**
 * `GET /ping` (Probot's answer, `PONG`), `GET /healthz` and `GET /metrics` (Prometheus text format), and
 * a body limit for every other path: a declared body over the limit is 413 before a byte of
 * it is read, wherever it is sent.
 */
export function createOpsRoutes(o: { metrics: BotMetrics; maxBodyBytes: number }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '').split('?')[0];
    if (Number(req.headers['content-length']) > o.maxBodyBytes) {
      tooLarge(res, o.maxBodyBytes);
      return true;
    }
    if (path === '/ping' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('PONG');
      return true;
    }
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      send(res, 200, { status: 'ok' });
      return true;
    }
    if (path === '/metrics' && req.method === 'GET') {
      const text = await o.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': o.metrics.registry.contentType });
      res.end(text);
      return true;
    }
    return false;
  };
}
