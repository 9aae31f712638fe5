// Server entry of the bot (dist/bot.js, `npm run bot`): reads the env Probot documents
// (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST, LOG_LEVEL) and the
// bot's own (docs/bot.md), starts Probot's server and stops it on SIGTERM/SIGINT.
import { getPrivateKey } from '@probot/get-private-key';
import { Probot, Server } from 'probot';
import { errorMessage } from '../core/errors.js';
import { createBotApp } from './app.js';
import { createBotLogger, REQUEST_LOGGING } from './logger.js';
import { BotOctokit } from './probot-octokit.js';
import { readBotSettings } from './settings.js';

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const settings = readBotSettings(env);
  const log = createBotLogger(env.LOG_LEVEL ?? 'info');
  const privateKey = getPrivateKey({ env })?.toString();
  if (!env.APP_ID || !privateKey) {
    throw new Error('set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH): the GitHub App credentials');
  }
  if (!env.WEBHOOK_SECRET) throw new Error('set WEBHOOK_SECRET: the GitHub App webhook secret');
  const server = new Server({
    Probot: Probot.defaults({
      appId: env.APP_ID,
      privateKey,
      secret: env.WEBHOOK_SECRET,
      baseUrl: settings.githubApiUrl,
      Octokit: BotOctokit,
      log,
    }),
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? 'localhost',
    log,
    loggingOptions: REQUEST_LOGGING,
  });
  await server.load(createBotApp({ settings }));
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
