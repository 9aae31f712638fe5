import type { Logger } from 'pino';
import type { BotConfig } from '../../config/sections/bot.js';
import type { Conversations, ReactionContent } from '../../github/comments.js';
import type { Releases } from '../../github/deployment-ledger.js';
import type { WorkflowDispatcher } from '../../github/dispatch.js';
import type { IncidentRefs } from '../../github/incident-lock.js';
import { permits, type CollaboratorPermissions } from '../../github/permissions.js';
import { inlineCode } from '../incident/inert.js';
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

/** What a comment led to, and the reason code of a refusal (for /metrics). */
export interface ChatOpsResult {
  outcome: ChatOpsOutcome;
  refusal?: string;
}

export function isBot(author: { login: string; type: string }): boolean {
  return author.type === 'Bot' || author.login.endsWith('[bot]');
}

/**
 * One `issue_comment.created`. Everything that can refuse is read first; a refused command
 * then costs one write: a 😕 reaction for someone without the permission (whom the bot does
 * not answer at length), one reply for a collaborator (who needs to know why).
 */
export async function handleComment(
  ctx: ChatOpsContext,
  event: CommentEvent,
): Promise<ChatOpsResult> {
  if (isBot(event.author) || !ctx.config.chatops.enabled) return { outcome: 'ignored' };
  const command = parseCommand(event.body);
  if (!command) return { outcome: 'ignored' };
  const { conversations } = ctx;
  const react = (content: ReactionContent) => conversations.react(event.commentId, content);
  const reply = (text: string) =>
    conversations.comment(event.issueNumber, `@${event.author.login} ${text}`);
  const needed = command.command === 'rollback' ? ctx.config.chatops.permission : 'read';
  const level = await ctx.permissions.levelOf(event.author.login);
  if (!permits(level, needed)) {
    await react('confused');
    ctx.log.info(
      { user: event.author.login, needed, level },
      'chatops command refused: permission',
    );
    return { outcome: 'refused', refusal: 'permission' };
  }
  switch (command.command) {
    case 'invalid':
      await reply(command.problem);
      return { outcome: 'invalid', refusal: 'invalid_command' };
    case 'help':
      await react('eyes');
      await reply(`model-delivery commands:\n\n${USAGE.map((u) => `- ${u}`).join('\n')}`);
      return { outcome: 'help' };
    case 'status': {
      const environment = command.environment ?? ctx.config.defaultEnvironment;
      const text = statusText(environment, await ctx.releases(environment));
      await react('eyes');
      await reply(text);
      return { outcome: 'status' };
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
): Promise<ChatOpsResult> {
  const refuse = async (refusal: string, why: string) => {
    await io.reply(why);
    ctx.log.info({ user: event.author.login, refusal }, '/rollback refused');
    return { outcome: 'refused' as const, refusal };
  };
  const environment = command.environment ?? ctx.config.defaultEnvironment;
  const env = inlineCode(environment);
  const releases = await ctx.releases(environment);
  const to = command.to ?? releases.lastGood?.sha;
  if (!to)
    return refuse(
      'no_target',
      `there is no earlier successful release of ${env} to roll back to; name one with \`to <ref>\`.`,
    );
  // The rate-limit ref must point at an existing commit; the ref's name carries the state.
  const anchor = releases.live?.sha ?? releases.lastGood?.sha;
  if (!anchor)
    return refuse('no_deployment', `${env} has no deployment yet; nothing to roll back.`);
  const limited = await claimMinute(ctx, environment, anchor);
  if (limited) return refuse('environment_rate_limited', limited);
  await io.react('eyes');
  const run = await ctx.dispatcher.dispatch({
    workflow: ctx.config.rollbackWorkflow,
    ref: ctx.config.workflowRef ?? event.defaultBranch,
    inputs: {
      environment,
      to,
      reason: `/rollback by ${event.author.login} in #${event.issueNumber}`,
      incident: `chatops-${event.commentId}`,
    },
  });
  await io.react('rocket');
  await io.reply(
    `rolling ${env} back to ${inlineCode(to, 40)} with ${inlineCode(ctx.config.rollbackWorkflow)}: ${run.runUrl ?? `run ${run.runId ?? 'dispatched'}`}`,
  );
  ctx.log.info({ user: event.author.login, environment, runId: run.runId }, '/rollback dispatched');
  return { outcome: 'dispatched' };
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
  const message = `a rollback of ${inlineCode(environment)} was dispatched less than a minute ago; try again in a minute.`;
  // Reads first, so a refusal writes nothing here; the create settles a race between replicas.
  if ((await ctx.refs.exists(base + bucket)) || (await ctx.refs.exists(base + (bucket - 1))))
    return message;
  if ((await ctx.refs.create(base + bucket, sha)) === 'exists') return message;
  await ctx.refs.remove(base + (bucket - 2));
  return undefined;
}

export function statusText(environment: string, r: Releases): string {
  if (!r.live) return `no successful deployment of ${inlineCode(environment)} yet.`;
  const version = (v: string | undefined) => (v ? ` (${inlineCode(v, 80)})` : '');
  const live = `\`${r.live.sha.slice(0, 7)}\`${version(r.live.version)}`;
  const good = r.lastGood
    ? `last good release before it: \`${r.lastGood.sha.slice(0, 7)}\`${version(r.lastGood.version)}`
    : 'no earlier successful release';
  return `${inlineCode(environment)}: ${live} is live since ${inlineCode(r.live.since, 40)}; ${good}.`;
}
