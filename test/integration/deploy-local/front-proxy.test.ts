import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  PROXY_STATUS_PATH,
  TRACK_HEADER,
  startFrontProxy,
} from '../../../src/targets/local-proxy.js';
import {
  emptyState,
  stateFile,
  writeState,
  type LocalState,
} from '../../../src/targets/local-state.js';
import type { Track } from '../../../src/targets/types.js';
import { freePort } from './helpers.js';

// The front proxy alone, in-process, in front of tiny echo servers on loopback.
function echoServer(name: string): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': name });
      res.end(
        JSON.stringify({
          name,
          method: req.method,
          url: req.url,
          body,
          type: req.headers['content-type'],
        }),
      );
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('front proxy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'md-proxy-'));
  const servers: Partial<Record<Track, Server>> = {};
  let proxy: Server;
  let base: string;
  const portOf = (s: Server) => (s.address() as AddressInfo).port;
  const routeTo = (tracks: Track[], percent = 10) => {
    const state: LocalState = emptyState(percent);
    for (const t of tracks) {
      state.tracks[t] = {
        track: t,
        pid: 1,
        port: portOf(servers[t]!),
        logFile: '',
        startedAt: '',
        release: { version: t, sha: '', image: '' },
      };
    }
    writeState(dir, state);
  };

  beforeAll(async () => {
    for (const t of ['stable', 'baseline', 'canary'] as const) servers[t] = await echoServer(t);
    const port = await freePort();
    let draw = 0;
    // Deterministic draws 0.5, 1.5, … 99.5 (in percent): exactly `percent` of each 100 to canary and baseline.
    ({ server: proxy } = await startFrontProxy({
      stateFile: stateFile(dir),
      port,
      random: () => ((draw++ % 100) + 0.5) / 100,
    }));
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    proxy?.closeAllConnections();
    await new Promise((r) => proxy?.close(r));
    for (const s of Object.values(servers)) s.closeAllConnections();
    await Promise.all(Object.values(servers).map((s) => new Promise((r) => s.close(r))));
    rmSync(dir, { recursive: true, force: true });
  });

  test('no state: 503 that says to deploy', async () => {
    const res = await fetch(`${base}/version`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: 'no model process is deployed; run model-delivery deploy',
    });
  });

  test('forwards method, path, query, headers and body, and names the track', async () => {
    routeTo(['stable']);
    const res = await fetch(`${base}/predict?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"features":[1,2,3,4]}',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get(TRACK_HEADER)).toBe('stable');
    expect(res.headers.get('x-upstream')).toBe('stable');
    expect(await res.json()).toEqual({
      name: 'stable',
      method: 'POST',
      url: '/predict?x=1',
      body: '{"features":[1,2,3,4]}',
      type: 'application/json',
    });
  });

  test('splits by percent and follows a replaced state file at once', async () => {
    routeTo(['stable', 'baseline', 'canary'], 20);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 100; i++) {
      const track = (await fetch(`${base}/x`)).headers.get(TRACK_HEADER) as string;
      counts[track] = (counts[track] ?? 0) + 1;
    }
    expect(counts).toEqual({ canary: 20, baseline: 20, stable: 60 });
    routeTo(['stable']);
    expect((await fetch(`${base}/x`)).headers.get(TRACK_HEADER)).toBe('stable');
    const status = await (await fetch(`${base}${PROXY_STATUS_PATH}`)).json();
    expect(status).toEqual({
      pid: process.pid,
      routes: { percent: 10, ports: { stable: portOf(servers.stable!) } },
    });
  });

  test('a track that does not answer: 502 naming it', async () => {
    const dead = await freePort();
    const state = emptyState(10);
    state.tracks.stable = {
      track: 'stable',
      pid: 1,
      port: dead,
      logFile: '',
      startedAt: '',
      release: { version: 'v', sha: '', image: '' },
    };
    writeState(dir, state);
    const res = await fetch(`${base}/version`);
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: string }).error).toMatch(
      new RegExp(`^stable \\(port ${dead}\\) did not answer: .*ECONNREFUSED`),
    );
  });
});
