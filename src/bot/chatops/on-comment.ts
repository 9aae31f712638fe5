import type { Logger } from 'pino';
import type { Context } from 'probot';
import { createConversations } from '../../github/comments.js';
import { createWorkflowDispatcher } from '../../github/dispatch.js';
import { createIncidentRefs } from '../../github/incident-lock.js';
import { createCollaboratorPermissions } from '../../github/permissions.js';
import type { RateLimiter } from '../http/rate-limit.js';
import type { BotMetrics } from '../metrics.js';
import type { RepositoryContexts } from '../repository-context.js';
import { handleComment, isBot } from './handle-comment.js';
import { parseCommand } from './parse-command.js';

export interface ChatOpsOptions {
  contexts: RepositoryContexts;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  metrics: BotMetrics;
  /** Commands per commenter and repository; over it a command is ignored without a write. */
  commenters: RateLimiter;
  now: () => number;
}

/** `issue_comment.created` → a command, if the comment holds one and its author may be heard. */
export function createChatOps(o: ChatOpsOptions) {
  return async (context: Context<'issue_comment.created'>): Promise<void> => {
    const event = commentEventOf(context.payload);
    if (!event || context.isBot) return;
    const { comment, issue, repository, installation, author } = event;
    if (isBot(author) || !parseCommand(comment.body)) return;
    const where = { owner: repository.owner.login, repo: repository.name };
    const repositoryName = `${where.owner}/${where.repo}`;
    if (o.commenters.take(`${repositoryName.toLowerCase()}\u0000${author.login}`) !== undefined) {
      o.metrics.refusals.inc({ reason: 'commenter_rate_limited' });
      o.log.info(
        { repository: repositoryName, user: author.login },
        'chatops command ignored: commenter rate limit',
      );
      return;
    }
    try {
      const services = await o.contexts.forInstallation(where, installation.id);
      // A repository that has not opted in, or whose config is broken, gets no answer: an
      // answer would be a write anyone could cause. The log says why.
      if (!services.config.ok) {
        o.metrics.refusals.inc({
          reason: services.config.missing ? 'not_opted_in' : 'invalid_config',
        });
        o.log.info(
          { repository: repositoryName, problems: services.config.problems },
          'chatops command ignored: no valid bot config',
        );
        return;
      }
      const outcome = await handleComment(
        {
          config: services.config.config,
          conversations: createConversations(services.octokit, where),
          permissions: createCollaboratorPermissions(services.octokit, where),
          refs: createIncidentRefs(services.octokit, where),
          dispatcher: createWorkflowDispatcher(services.octokit, where),
          // People asking get a fresh read of the ledger.
          releases: (env: string) => services.releases(env, { fresh: true }),
          log: o.log,
          now: o.now,
        },
        {
          commentId: comment.id,
          issueNumber: issue.number,
          body: comment.body,
          author,
          defaultBranch: repository.default_branch,
        },
      );
      if (outcome.refusal) o.metrics.refusals.inc({ reason: outcome.refusal });
      o.log.info(
        { repository: repositoryName, issue: issue.number, outcome: outcome.outcome },
        'chatops command',
      );
    } catch (error) {
      // One line: never the event (it holds the comment and the user's data).
      o.log.error(
        {
          repository: repositoryName,
          issue: issue.number,
          err: error instanceof Error ? error.message.slice(0, 200) : 'unknown',
        },
        'chatops command failed',
      );
    }
  };
}

interface CommentPayload {
  comment: { id: number; body: string; user?: { login?: string; type?: string } | null };
  issue: { number: number };
  repository: { name: string; owner: { login: string }; default_branch: string };
  installation: { id: number };
}

/** The fields the bot uses, when the payload has them all with the right types. */
function commentEventOf(
  payload: unknown,
): (CommentPayload & { author: { login: string; type: string } }) | undefined {
  const p = payload as Partial<CommentPayload> | null;
  const ok =
    typeof p?.comment?.id === 'number' &&
    typeof p.comment.body === 'string' &&
    typeof p.issue?.number === 'number' &&
    typeof p.repository?.name === 'string' &&
    typeof p.repository.owner?.login === 'string' &&
    typeof p.repository.default_branch === 'string' &&
    typeof p.installation?.id === 'number';
  if (!ok) return undefined;
  const user = p.comment?.user;
  const author = {
    login: typeof user?.login === 'string' ? user.login : '',
    type: typeof user?.type === 'string' ? user.type : 'User',
  };
  return { ...(p as CommentPayload), author };
}
