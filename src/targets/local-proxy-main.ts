// Entry point of the local target's front proxy (bundled as dist/local-proxy.js), started
// detached by the local target: `local-proxy.js <state.json> <port>`. It exits when the
// state no longer names it, so a proxy orphaned by a killed CLI call does not linger.
import { startFrontProxy } from './local-proxy.js';

const [stateFile, port] = process.argv.slice(2);
if (!stateFile || !port) {
  console.error('usage: local-proxy.js <state.json> <port>');
  process.exit(2);
}
const { server, state } = await startFrontProxy({ stateFile, port: Number(port) });
console.log(`front proxy ${process.pid} on http://127.0.0.1:${port}`);

const started = Date.now();
const ownerCheck = setInterval(() => {
  if (Date.now() - started < 10_000) return;
  if (state()?.proxy?.pid === process.pid) return;
  console.log('the state no longer names this proxy; exiting');
  server.close(() => process.exit(0));
  server.closeAllConnections();
}, 2000);
const stop = () => {
  clearInterval(ownerCheck);
  server.close(() => process.exit(0));
  server.closeIdleConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
