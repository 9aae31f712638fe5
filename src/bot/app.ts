import type { ApplicationFunction, Probot } from 'probot';
import { isTransient } from '../github/bot-octokit.js';
import { createCollaboratorPermissions } from '../github/permissions.js';
import { createConversations } from '../github/comments.js';
import { createWorkflowDispatcher } from '../github/dispatch.js';
import { createIncidentRefs } from '../github/incident-lock.js';
import { createSlackClient, type SlackClient } from '../notify/slack-client.js';
import { createAlertIntake } from './alerts/intake.js';
import { handleComment, isBot } from './chatops/handle-comment.js';
import { parseCommand } from './chatops/parse-command.js';
import { IncidentMemory } from './incident/memory.js';
import type { IncidentResult } from './incident/run-incident.js';
import { createAlertProcessor } from './process-alerts.js';
import { createRepositoryContexts, type RepositoryContexts } from './repository-context.js';
import type { BotSettings } from './settings.js';

export interface BotAppOptions {
  settings: BotSettings;
  slack?: SlackClient;
  now?: () => number;
}

/** The Probot app: alert routes through `addHandler`, ChatOps on `issue_comment.created`. */
export function createBotApp(options: BotAppOptions): ApplicationFunction {
  const { settings } = options;
  const now = options.now ?? Date.now;
  return (app: Probot, { addHandler }) => {
    const contexts = createRepositoryContexts({
      appOctokit: () => app.auth(),
      installationOctokit: (id) => app.auth(id),
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
      leaseMs: settings.leaseMs,
      slack,
      log: app.log,
      now,
    });
    addHandler(
      createAlertIntake({
        auth: settings.auth,
        maxBodyBytes: settings.maxBodyBytes,
        log: app.log,
        handle: processor,
        isTransient,
        now,
      }),
    );
    // Edited comments are a different action (issue_comment.edited) and never reach this.
    app.on('issue_comment.created', async (context) => {
      const { comment, issue, repository, installation } = context.payload;
      const author = { login: comment.user?.login ?? '', type: comment.user?.type ?? 'User' };
      if (isBot(author) || context.isBot || !parseCommand(comment.body ?? '')) return;
      if (!installation) return;
      await chatops(contexts, app, {
        where: { owner: repository.owner.login, repo: repository.name },
        installationId: installation.id,
        event: {
          commentId: comment.id,
          issueNumber: issue.number,
          body: comment.body ?? '',
          author,
          defaultBranch: repository.default_branch,
        },
        now,
      });
    });
  };
}

async function chatops(
  contexts: RepositoryContexts,
  app: Probot,
  o: {
    where: { owner: string; repo: string };
    installationId: number;
    event: Parameters<typeof handleComment>[1];
    now: () => number;
  },
) {
  const services = await contexts.forInstallation(o.where, o.installationId);
  const conversations = createConversations(services.octokit, o.where);
  if (!services.config.ok) {
    await conversations.comment(
      o.event.issueNumber,
      `@${o.event.author.login} the \`bot:\` section of .github/model-delivery.yml is invalid:\n\n${services.config.problems.map((p) => `- ${p}`).join('\n')}`,
    );
    return;
  }
  // People asking get a fresh read of the ledger.
  const releases = (env: string) => services.releases(env, { fresh: true });
  const outcome = await handleComment(
    {
      config: services.config.config,
      conversations,
      permissions: createCollaboratorPermissions(services.octokit, o.where),
      refs: createIncidentRefs(services.octokit, o.where),
      dispatcher: createWorkflowDispatcher(services.octokit, o.where),
      releases,
      log: app.log,
      now: o.now,
    },
    o.event,
  );
  app.log.info(
    { repository: `${o.where.owner}/${o.where.repo}`, issue: o.event.issueNumber, outcome },
    'chatops command',
  );
}
