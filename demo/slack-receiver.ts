// A stand-in for Slack's incoming webhooks on loopback: it answers "ok" like Slack and keeps
// every payload, so the demo can save the messages it would have sent.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackPost {
  path: string;
  at: string;
  payload: unknown;
}

export interface SlackReceiver {
  url: string;
  posts: SlackPost[];
  close(): Promise<void>;
}

export async function startSlackReceiver(): Promise<SlackReceiver> {
  const posts: SlackPost[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      let payload: unknown = body;
      try {
        payload = JSON.parse(body);
      } catch {
        // Slack takes JSON only; keep the raw text so the saved file shows what was sent.
      }
      posts.push({ path: req.url ?? '/', at: new Date().toISOString(), payload });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  server.keepAliveTimeout = 500;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
