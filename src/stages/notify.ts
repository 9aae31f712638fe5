import { formatDuration } from '../core/duration.js';
import { errorMessage } from '../core/errors.js';
import { createActionOctokit, parseRepository } from '../github/action-octokit.js';
import {
  pullRequestOfCommit,
  upsertStickyComment,
  type CommitPullsClient,
  type IssueCommentsClient,
} from '../github/pr-comment.js';
import {
  createSlackClient,
  type SlackClient,
  type SlackClientOptions,
} from '../notify/slack-client.js';
import { PIPELINE_ORDER, buildDeliveryView, type DeliveryView } from '../report/delivery.js';
import { writeHtmlReport } from '../report/write-reports.js';
import { markdownTable } from '../report/markdown.js';
import { PR_COMMENT_MARKER, renderPrComment } from '../report/pr-comment.js';
import { renderSlackMessage } from '../report/slack-message.js';
import { readSlackWebhook } from '../settings/action-io.js';
import type { StageContext, StageDefinition, StageOutcome } from './types.js';

/** The clients the notify stage talks through; tests inject their own. */
export interface NotifyDeps {
  slack(options: SlackClientOptions): SlackClient;
  github(options: { token: string; apiUrl: string }): {
    issues: IssueCommentsClient;
    repos: CommitPullsClient;
  };
}

const DEFAULT_DEPS: NotifyDeps = {
  slack: createSlackClient,
  github: (o) => {
    const octokit = createActionOctokit(o);
    return { issues: octokit.rest.issues, repos: octokit.rest.repos };
  },
};

interface ChannelResult {
  channel: 'slack' | 'pr-comment' | 'html-report';
  result: 'sent' | 'created' | 'updated' | 'written' | 'skipped' | 'failed';
  detail: string;
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took longer than ${formatDuration(ms)} (notify.timeout)`)),
      ms,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function postSlack(
  ctx: StageContext,
  view: DeliveryView,
  deps: NotifyDeps,
): Promise<ChannelResult> {
  const { slack } = ctx.config.notify;
  const webhook = slack.webhook || readSlackWebhook(ctx.env);
  if (!webhook)
    return {
      channel: 'slack',
      result: 'skipped',
      detail: 'no webhook (notify.slack.webhook, the slack-webhook input or SLACK_WEBHOOK_URL)',
    };
  if (ctx.github.eventName?.startsWith('pull_request') && !slack.pullRequests)
    return {
      channel: 'slack',
      result: 'skipped',
      detail: 'a pull request run (notify.slack.pullRequests is false)',
    };
  if (!slack.on.includes(view.outcome))
    return {
      channel: 'slack',
      result: 'skipped',
      detail: `outcome ${view.outcome} is not in notify.slack.on (${slack.on.join(', ')})`,
    };
  ctx.secrets.add(webhook);
  const client = deps.slack({
    url: webhook,
    timeoutMs: slack.timeout,
    retries: slack.retries,
  });
  await client.post(renderSlackMessage(view));
  return { channel: 'slack', result: 'sent', detail: `${view.outcome} message posted` };
}

async function postPrComment(
  ctx: StageContext,
  view: DeliveryView,
  deps: NotifyDeps,
): Promise<ChannelResult> {
  const { github } = ctx;
  if (!github.eventName?.startsWith('pull_request') || github.pullRequestNumber === undefined)
    return { channel: 'pr-comment', result: 'skipped', detail: 'not a pull_request event' };
  if (!ctx.config.notify.prComment)
    return { channel: 'pr-comment', result: 'skipped', detail: 'notify.prComment is false' };
  if (!github.token || !github.repository)
    throw new Error(
      'GITHUB_TOKEN and GITHUB_REPOSITORY are needed for the pull request comment (the action passes github.token)',
    );
  const { owner, repo } = parseRepository(github.repository);
  const done = await withTimeout(
    upsertStickyComment({
      issues: deps.github({ token: github.token, apiUrl: github.apiUrl }).issues,
      owner,
      repo,
      issueNumber: github.pullRequestNumber,
      marker: PR_COMMENT_MARKER,
      body: renderPrComment(view),
    }),
    ctx.config.notify.timeout,
    'the pull request comment',
  );
  return { channel: 'pr-comment', result: done.action, detail: done.url };
}

function htmlReport(ctx: StageContext, view: DeliveryView): ChannelResult {
  if (!ctx.config.notify.htmlReport)
    return { channel: 'html-report', result: 'skipped', detail: 'notify.htmlReport is false' };
  const file = writeHtmlReport({ store: ctx.reports, order: PIPELINE_ORDER, view });
  return { channel: 'html-report', result: 'written', detail: file };
}

/** Runs one channel; a failure is recorded as such, never thrown (the caller decides). */
async function attempt(
  channel: ChannelResult['channel'],
  work: () => Promise<ChannelResult> | ChannelResult,
): Promise<ChannelResult> {
  try {
    return await work();
  } catch (e) {
    return { channel, result: 'failed', detail: errorMessage(e) };
  }
}

/** On a push, the pull request that shipped the commit: only for the link, so a miss is no failure. */
async function shippingPullRequest(
  ctx: StageContext,
  deps: NotifyDeps,
): Promise<string | undefined> {
  const { github } = ctx;
  if (github.pullRequestNumber !== undefined || !github.token || !github.repository || !github.sha)
    return undefined;
  try {
    const { owner, repo } = parseRepository(github.repository);
    const repos = deps.github({ token: github.token, apiUrl: github.apiUrl }).repos;
    const pr = await withTimeout(
      pullRequestOfCommit({ repos, owner, repo, sha: github.sha }),
      ctx.config.notify.timeout,
      'the pull request lookup',
    );
    return pr?.url;
  } catch (e) {
    ctx.log.info(`no pull request link: ${errorMessage(e)}`);
    return undefined;
  }
}

async function runNotify(ctx: StageContext, deps: NotifyDeps): Promise<StageOutcome<'notify'>> {
  const view = buildDeliveryView({
    pullRequestUrl: await shippingPullRequest(ctx, deps),
    reports: ctx.reports.all(),
    github: ctx.github,
    order: PIPELINE_ORDER,
    environment: ctx.config.deploy.environment,
    version: ctx.flags.version,
  });
  const results = [
    await attempt('html-report', () => htmlReport(ctx, view)),
    await attempt('pr-comment', () => postPrComment(ctx, view, deps)),
    await attempt('slack', () => postSlack(ctx, view, deps)),
  ];
  const failed = results.filter((r) => r.result === 'failed');
  const required = ctx.config.notify.required;
  for (const f of failed) {
    const text = `${f.channel}: ${f.detail}`;
    if (required) ctx.log.error(text, { title: 'model-delivery notify' });
    else
      ctx.log.warn(`${text} (a warning: notify.required is false)`, {
        title: 'model-delivery notify',
      });
  }
  for (const r of results.filter((x) => x.result !== 'failed'))
    ctx.log.info(`${r.channel}: ${r.result} (${r.detail})`);
  const failure = failed.length > 0 && required;
  return {
    status: failure ? 'failure' : 'success',
    reason: failed.length ? 'notification_failed' : 'notified',
    message: failed.length
      ? `${failed.map((f) => f.channel).join(', ')} failed${required ? '' : ' (warning only)'}; delivery ${view.outcome}`
      : `delivery ${view.outcome}: ${results.map((r) => `${r.channel} ${r.result}`).join(', ')}`,
    details: {
      outcome: view.outcome,
      verdict: view.verdict,
      warnings: required ? [] : failed.map((f) => `${f.channel}: ${f.detail}`),
      channels: results,
    },
    summary: markdownTable(
      ['channel', 'result', 'detail'],
      results.map((r) => [r.channel, r.result, r.detail]),
    ),
  };
}

export function createNotifyStage(deps: NotifyDeps = DEFAULT_DEPS): StageDefinition<'notify'> {
  return {
    name: 'notify',
    description:
      'post the delivery to Slack and the pull request, and write the HTML report (from the stage reports)',
    run: (ctx) => runNotify(ctx, deps),
  };
}

export const notifyStage: StageDefinition<'notify'> = createNotifyStage();
