import type { Logger } from 'pino';
import { Probot, Server } from 'probot';
import { createBotApp, type BotAppOptions } from './app.js';
import { PROBOT_WEBHOOK_PATH_UNUSED } from './http/webhook-route.js';
import { BotOctokit } from './probot-octokit.js';

/**
 * The Probot server of the bot, as `dist/bot.js` and the tests start it: Probot's webhook
 * middleware is given a path no request can have (the bot serves the webhook route itself,
 * with a body limit). Its request log is cleaned by the logger (createBotLogger).
 */
export async function createBotServer(
  o: Omit<BotAppOptions, 'webhookSecret'> & {
    app: { appId: string | number; privateKey: string; webhookSecret: string };
    log: Logger;
    port: number;
    host: string;
  },
): Promise<Server> {
  const server = new Server({
    Probot: Probot.defaults({
      appId: o.app.appId,
      privateKey: o.app.privateKey,
      secret: o.app.webhookSecret,
      baseUrl: o.settings.githubApiUrl,
      Octokit: BotOctokit,
      log: o.log,
    }),
    port: o.port,
    host: o.host,
    log: o.log,
    webhookPath: PROBOT_WEBHOOK_PATH_UNUSED,
    enableStaticFiles: false,
    // Served by the bot's own ops routes, behind the body limit every route has.
    enablePing: false,
  });
  await server.load(createBotApp({ ...o, webhookSecret: o.app.webhookSecret }));
  return server;
}
