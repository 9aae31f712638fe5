// Server entry of the bot (dist/bot.js, `npm run bot`): reads the env Probot documents
// (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST, LOG_LEVEL) and the
// bot's own (docs/bot.md), starts Probot's server and stops it on SIGTERM/SIGINT.
import { getPrivateKey } from '@probot/get-private-key';
import { pino } from 'pino';
import { Probot, Server } from 'probot';
import { errorMessage } from '../core/errors.js';
import { createBotApp } from './app.js';
import { BotOctokit } from './probot-octokit.js';
import { readBotSettings } from './settings.js';

/** Request logs carry method and url only: headers hold tokens and signatures. */
const REDACT = ['req.headers', 'headers.authorization', '*.authorization', 'config.headers'];

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const settings = readBotSettings(env);
  const log = pino({ level: env.LOG_LEVEL ?? 'info', redact: { paths: REDACT, remove: true } });
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
    loggingOptions: {
      serializers: {
        req: (req: { method?: string; url?: string }) => ({ method: req.method, url: req.url }),
      },
    },
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
