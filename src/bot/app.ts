import type { ApplicationFunction, Probot } from 'probot';
import { isTransient } from '../github/bot-octokit.js';
import { createSlackClient, type SlackClient } from '../notify/slack-client.js';
import { admitDelivery } from './alerts/admit.js';
import { createAlertIntake } from './alerts/intake.js';
import { createChatOps } from './chatops/on-comment.js';
import { createOpsRoutes } from './http/ops-routes.js';
import { RateLimiter } from './http/rate-limit.js';
import { createWebhookRoute } from './http/webhook-route.js';
import { IncidentMemory } from './incident/memory.js';
import type { IncidentResult } from './incident/run-incident.js';
import { createBotMetrics, instrumentOctokit, type BotMetrics } from './metrics.js';
import { createAlertProcessor } from './process-alerts.js';
import { createRepositoryContexts } from './repository-context.js';
import type { BotSettings } from './settings.js';

export interface BotAppOptions {
  settings: BotSettings;
  /** The GitHub App's webhook secret: the bot verifies deliveries itself. */
  webhookSecret: string;
  slack?: SlackClient;
  now?: () => number;
  /** Default: a fresh registry per app. */
  metrics?: BotMetrics;
}

/**
 * The Probot app: the webhook route (ChatOps on `issue_comment.created`), the alert routes,
 * `/healthz` and `/metrics`, each bounded in body size and rate.
 */
export function createBotApp(options: BotAppOptions): ApplicationFunction {
  const { settings } = options;
  const { limits } = settings;
  const now = options.now ?? Date.now;
  const metrics = options.metrics ?? createBotMetrics();
  return (app: Probot, { addHandler }) => {
    const contexts = createRepositoryContexts({
      appOctokit: async () => instrumentOctokit(await app.auth(), metrics),
      installationOctokit: async (id) => instrumentOctokit(await app.auth(id), metrics),
      repoCacheMs: settings.repoCacheMs,
      ledgerCacheMs: settings.ledgerCacheMs,
      now,
    });
    const slack =
      options.slack ??
      (settings.slackWebhookUrl ? createSlackClient({ url: settings.slackWebhookUrl }) : undefined);
    const processor = createAlertProcessor({
      contexts,
      mapping: settings.mapping,
      memory: new IncidentMemory<IncidentResult>(),
      noticed: new Set(),
      leaseMs: settings.leaseMs,
      slack,
      log: app.log,
      now,
    });
    const refusals = new RateLimiter(limits.refusalsPerSourcePerMinute, now);
    // First: its body limit answers 413 on every path before anything reads a body.
    addHandler(createOpsRoutes({ metrics, maxBodyBytes: limits.maxBodyBytes }));
    addHandler(
      createWebhookRoute({
        secret: options.webhookSecret,
        events: ['issue_comment'],
        receive: (event) => app.receive(event as Parameters<Probot['receive']>[0]),
        maxBodyBytes: limits.maxBodyBytes,
        refusals,
        metrics,
        log: app.log,
      }),
    );
    addHandler(
      createAlertIntake({
        auth: settings.auth,
        maxBodyBytes: limits.maxBodyBytes,
        log: app.log,
        admit: (alerts, credential) =>
          admitDelivery(alerts, {
            credential,
            bindings: settings.bindings,
            mapping: settings.mapping,
            limits,
          }),
        handle: async (source, alerts) => {
          const outcome = await processor(source, alerts);
          for (const r of outcome.results)
            metrics.incidents.inc({ outcome: String(r.reason ?? r.outcome) });
          return outcome;
        },
        isTransient,
        perSource: new RateLimiter(limits.perSourcePerMinute, now),
        refusals,
        metrics,
        now,
      }),
    );
    // Edited comments are a different action (issue_comment.edited) and never reach this.
    app.on(
      'issue_comment.created',
      createChatOps({
        contexts,
        log: app.log,
        metrics,
        commenters: new RateLimiter(limits.commandsPerCommenterPerMinute, now),
        now,
      }),
    );
  };
}
