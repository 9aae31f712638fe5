// The bot alone in its own process, for measuring its memory: `node --import tsx
// bench/bot/bot-process.ts <port> <github-url>`. Prints "ready" once listening.
import { generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import { createBotServer } from '../../src/bot/server.js';
import { readBotSettings } from '../../src/bot/settings.js';

const [port, githubUrl] = process.argv.slice(2);
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const settings = readBotSettings({
  ALERTS_TOKEN: 'bench-token',
  ALERTS_BINDINGS: '{"ALERTS_TOKEN": {"repositories": ["storm/*"]}}',
  GITHUB_API_URL: githubUrl,
  // Every rejected body must be read up to the limit, not refused early by the rate limit.
  ALERTS_REFUSAL_LIMIT: '1000000',
});
const server = await createBotServer({
  settings,
  app: { appId: 1, privateKey, webhookSecret: 'bench-webhook-secret' },
  log: pino({ level: 'silent' }),
  port: Number(port),
  host: '127.0.0.1',
});
await server.start();
console.log('ready');
