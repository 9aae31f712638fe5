#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);

// src/targets/local-proxy.ts
import { readFileSync, statSync } from "node:fs";
import {
  Agent,
  createServer,
  request
} from "node:http";
var TRACK_HEADER = "x-model-delivery-track";
var PROXY_STATUS_PATH = "/-/model-delivery-proxy";
function routesOf(state2, alive = () => true) {
  const ports = {};
  for (const [track, record] of Object.entries(state2.tracks))
    if (record && alive(record.pid)) ports[track] = record.port;
  return { percent: state2.percent, ports };
}
function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}
function pickTrack(routes, r) {
  const { ports, percent } = routes;
  if (ports.canary !== void 0 && r < percent) return "canary";
  if (ports.baseline !== void 0 && r >= percent && r < 2 * percent) return "baseline";
  if (ports.stable !== void 0) return "stable";
  return ports.canary !== void 0 ? "canary" : ports.baseline !== void 0 ? "baseline" : void 0;
}
function stateReader(stateFile2) {
  let seen = "";
  let cached;
  return () => {
    let key;
    try {
      const s = statSync(stateFile2);
      key = `${s.ino}:${s.mtimeMs}:${s.size}`;
    } catch (e) {
      if (e.code === "ENOENT") return void 0;
      throw e;
    }
    if (key !== seen) {
      cached = JSON.parse(readFileSync(stateFile2, "utf8"));
      seen = key;
    }
    return cached;
  };
}
function startFrontProxy(options) {
  const read = stateReader(options.stateFile);
  const random = options.random ?? Math.random;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const server2 = createServer((req, res) => {
    const state2 = read();
    if (req.url === PROXY_STATUS_PATH)
      return sendJson(res, 200, { pid: process.pid, routes: state2 ? routesOf(state2) : void 0 });
    const track = state2 ? pickTrack(routesOf(state2, pidAlive), random() * 100) : void 0;
    const port2 = track && state2?.tracks[track]?.port;
    if (!track || !port2)
      return sendJson(res, 503, {
        error: "no model process is deployed; run model-delivery deploy"
      });
    forward(req, res, { port: port2, track, agent });
  });
  return new Promise((resolve, reject) => {
    server2.once("error", reject);
    server2.listen(options.port, "127.0.0.1", () => resolve({ server: server2, state: read }));
  });
}
function forward(req, res, to) {
  const upstream = request(
    {
      host: "127.0.0.1",
      port: to.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent: to.agent
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, [TRACK_HEADER]: to.track });
      answer.pipe(res);
    }
  );
  upstream.on("error", (e) => {
    if (!res.headersSent)
      sendJson(res, 502, {
        error: `${to.track} (port ${to.port}) did not answer: ${e.message}`,
        track: to.track
      });
    else res.destroy(e);
  });
  req.pipe(upstream);
}
function sendJson(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

// src/targets/local-proxy-main.ts
var [stateFile, port] = process.argv.slice(2);
if (!stateFile || !port) {
  console.error("usage: local-proxy.js <state.json> <port>");
  process.exit(2);
}
var { server, state } = await startFrontProxy({ stateFile, port: Number(port) });
console.log(`front proxy ${process.pid} on http://127.0.0.1:${port}`);
var started = Date.now();
var ownerCheck = setInterval(() => {
  if (Date.now() - started < 1e4) return;
  if (state()?.proxy?.pid === process.pid) return;
  console.log("the state no longer names this proxy; exiting");
  server.close(() => process.exit(0));
  server.closeAllConnections();
}, 2e3);
var stop = () => {
  clearInterval(ownerCheck);
  server.close(() => process.exit(0));
  server.closeIdleConnections();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
