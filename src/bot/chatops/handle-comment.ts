import type { Logger } from 'pino';
import type { BotConfig } from '../../config/sections/bot.js';
import type { Conversations, ReactionContent } from '../../github/comments.js';
import type { Releases } from '../../github/deployment-ledger.js';
import type { WorkflowDispatcher } from '../../github/dispatch.js';
import type { IncidentRefs } from '../../github/incident-lock.js';
import { permits, type CollaboratorPermissions } from '../../github/permissions.js';
import { refComponent } from '../incident/keys.js';
import { parseCommand, USAGE } from './parse-command.js';

export interface CommentEvent {
  commentId: number;
  issueNumber: number;
  body: string;
  author: { login: string; type: string };
  defaultBranch: string;
}

export interface ChatOpsContext {
  config: BotConfig;
  conversations: Conversations;
  permissions: CollaboratorPermissions;
  refs: IncidentRefs;
  dispatcher: WorkflowDispatcher;
  releases: (environment: string) => Promise<Releases>;
  log: Pick<Logger, 'info' | 'warn'>;
  now: () => number;
}

export type ChatOpsOutcome = 'ignored' | 'help' | 'status' | 'refused' | 'dispatched' | 'invalid';

export function isBot(author: { login: string; type: string }): boolean {
  return author.type === 'Bot' || author.login.endsWith('[bot]');
}

/** One `issue_comment.created`: reacts, checks, dispatches and replies. */
export async function handleComment(
  ctx: ChatOpsContext,
  event: CommentEvent,
): Promise<ChatOpsOutcome> {
  if (isBot(event.author) || !ctx.config.chatops.enabled) return 'ignored';
  const command = parseCommand(event.body);
  if (!command) return 'ignored';
  const { conversations } = ctx;
  const react = (content: ReactionContent) => conversations.react(event.commentId, content);
  const reply = (text: string) =>
    conversations.comment(event.issueNumber, `@${event.author.login} ${text}`);
  await react('eyes');
  switch (command.command) {
    case 'invalid':
      await react('confused');
      await reply(command.problem);
      return 'invalid';
    case 'help':
      await reply(`model-delivery commands:\n\n${USAGE.map((u) => `- ${u}`).join('\n')}`);
      return 'help';
    case 'status': {
      const environment = command.environment ?? ctx.config.defaultEnvironment;
      await reply(statusText(environment, await ctx.releases(environment)));
      return 'status';
    }
    case 'rollback':
      return rollback(ctx, event, command, { react, reply });
  }
}

async function rollback(
  ctx: ChatOpsContext,
  event: CommentEvent,
  command: { environment?: string; to?: string },
  io: { react: (c: ReactionContent) => Promise<void>; reply: (t: string) => Promise<unknown> },
): Promise<ChatOpsOutcome> {
  const refuse = async (why: string) => {
    await io.react('confused');
    await io.reply(why);
    ctx.log.info({ user: event.author.login, why }, '/rollback refused');
    return 'refused' as const;
  };
  const needed = ctx.config.chatops.permission;
  const level = await ctx.permissions.levelOf(event.author.login);
  if (!permits(level, needed)) {
    return refuse(
      `\`/rollback\` needs ${needed} permission on this repository; you have ${level}.`,
    );
  }
  const environment = command.environment ?? ctx.config.defaultEnvironment;
  const releases = await ctx.releases(environment);
  const to = command.to ?? releases.lastGood?.sha;
  if (!to)
    return refuse(
      `there is no earlier successful release of \`${environment}\` to roll back to; name one with \`to <ref>\`.`,
    );
  // The rate-limit ref must point at an existing commit; the ref's name carries the state.
  const anchor = releases.live?.sha ?? releases.lastGood?.sha;
  if (!anchor) return refuse(`\`${environment}\` has no deployment yet; nothing to roll back.`);
  const limited = await claimMinute(ctx, environment, anchor);
  if (limited) return refuse(limited);
  const run = await ctx.dispatcher.dispatch({
    workflow: ctx.config.rollbackWorkflow,
    ref: ctx.config.workflowRef ?? event.defaultBranch,
    inputs: {
      environment,
      to,
      reason: `/rollback by @${event.author.login} in #${event.issueNumber}`,
      incident: `chatops-${event.commentId}`,
    },
  });
  await io.react('rocket');
  await io.reply(
    `rolling \`${environment}\` back to \`${to.slice(0, 40)}\` with \`${ctx.config.rollbackWorkflow}\`: ${run.runUrl ?? `run ${run.runId ?? 'dispatched'}`}`,
  );
  ctx.log.info({ user: event.author.login, environment, runId: run.runId }, '/rollback dispatched');
  return 'dispatched';
}

/**
 * At most one dispatch per environment per minute, across replicas: a ref per minute is
 * created atomically (a second one in the same minute gets `exists`), and a ref for the
 * minute before also refuses, so two dispatches are always at least 60 s apart.
 */
async function claimMinute(
  ctx: ChatOpsContext,
  environment: string,
  sha: string,
): Promise<string | undefined> {
  const bucket = Math.floor(ctx.now() / 60_000);
  const base = `model-delivery/chatops/${refComponent(environment)}/`;
  const message = `a rollback of \`${environment}\` was dispatched less than a minute ago; try again in a minute.`;
  if ((await ctx.refs.create(base + bucket, sha)) === 'exists') return message;
  if (await ctx.refs.exists(base + (bucket - 1))) {
    await ctx.refs.remove(base + bucket);
    return message;
  }
  await ctx.refs.remove(base + (bucket - 2));
  return undefined;
}

export function statusText(environment: string, r: Releases): string {
  if (!r.live) return `no successful deployment of \`${environment}\` yet.`;
  const live = `\`${r.live.sha.slice(0, 7)}\`${r.live.version ? ` (${r.live.version})` : ''}`;
  const good = r.lastGood
    ? `last good release before it: \`${r.lastGood.sha.slice(0, 7)}\`${r.lastGood.version ? ` (${r.lastGood.version})` : ''}`
    : 'no earlier successful release';
  return `\`${environment}\`: ${live} is live since ${r.live.since}; ${good}.`;
}
