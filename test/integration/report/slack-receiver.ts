import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPost {
  path: string;
  contentType?: string;
  body: unknown;
}

/** One scripted answer: status, body and headers (e.g. Retry-After). */
export interface Answer {
  /** Never answer (a hung Slack): the client's timeout must end the request. */
  hang?: boolean;
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/**
 * A Slack incoming-webhook receiver on 127.0.0.1: records every POST and answers from a
 * script (then "ok" with 200, as Slack does).
 */
export async function startSlackReceiver(script: Answer[] = []): Promise<{
  url: string;
  posts: ReceivedPost[];
  close(): Promise<void>;
}> {
  const posts: ReceivedPost[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // Keep the raw text: the test asserts on it.
      }
      posts.push({ path: req.url ?? '', contentType: req.headers['content-type'], body });
      const answer = script.shift() ?? { status: 200, body: 'ok' };
      if (answer.hang) return;
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body ?? (answer.status === 200 ? 'ok' : 'error'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/secretpart`,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback URL where nothing listens (a port the OS gave and took back). */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/services/dead`;
}
