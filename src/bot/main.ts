// Server entry of the bot (dist/bot.js, `npm run bot`). The env is read once, in
// ./settings.ts; without APP_ID (a first run) Probot's manifest flow registers the App from
// app.yml, as `probot run` does.
import { run } from 'probot';
import { errorMessage } from '../core/errors.js';
import { createBotLogger } from './logger.js';
import { createBotServer } from './server.js';
import { readAppCredentials, readBotSettings } from './settings.js';

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const settings = readBotSettings(env);
  const app = readAppCredentials(env);
  const log = createBotLogger(settings.server.logLevel);
  if (!app.appId) {
    // Probot's setup: open http://HOST:PORT, register the App from app.yml; Probot writes
    // APP_ID, PRIVATE_KEY and WEBHOOK_SECRET to .env. Restart the bot afterwards.
    log.info('APP_ID is not set: starting the GitHub App manifest flow from app.yml');
    await run(() => undefined, { log });
    return;
  }
  if (!app.privateKey)
    throw new Error('set PRIVATE_KEY or PRIVATE_KEY_PATH: the GitHub App private key');
  if (!app.webhookSecret) throw new Error('set WEBHOOK_SECRET: the GitHub App webhook secret');
  const server = await createBotServer({
    settings,
    app: { appId: app.appId, privateKey: app.privateKey, webhookSecret: app.webhookSecret },
    log,
    port: settings.server.port,
    host: settings.server.host,
  });
  await server.start();
  const stop = (signal: string) => {
    log.info({ signal }, 'stopping');
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main(process.env).catch((error: unknown) => {
  console.error(`model-delivery bot: ${errorMessage(error)}`);
  process.exit(1);
});
