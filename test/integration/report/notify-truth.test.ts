import { afterEach, describe, expect, test } from 'vitest';
import { createSlackClient } from '../../../src/notify/slack-client.js';
import { createNotifyStage, type NotifyDeps } from '../../../src/stages/notify.js';
import type { StageReport } from '../../../src/report/store.js';
import { stageReport, trainReport } from '../../unit/report/fixtures.js';
import { notifyContext } from './notify-context.js';
import { startSlackReceiver } from './slack-receiver.js';

/** Slack says what ran: nothing from pull requests by default, never "delivered" for checks. */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const deps: NotifyDeps = {
  slack: (o) => createSlackClient({ ...o, sleep: async () => undefined }),
  github: () => {
    throw new Error('no GitHub in this test');
  },
};

async function notify(options: {
  reports: StageReport[];
  slack?: Record<string, unknown>;
  github?: Record<string, unknown>;
  env?: Record<string, string>;
  configWebhook?: boolean;
}) {
  const receiver = await startSlackReceiver([]);
  cleanups.push(receiver.close);
  const env = notifyContext({
    reports: options.reports,
    config: {
      notify: {
        prComment: false,
        slack: {
          ...(options.configWebhook === false ? {} : { webhook: receiver.url }),
          ...options.slack,
        },
      },
    },
    github: options.github,
  });
  cleanups.push(env.remove);
  const urlEnv =
    options.env?.SLACK_WEBHOOK_URL === 'receiver' ? { SLACK_WEBHOOK_URL: receiver.url } : {};
  env.ctx.env = { ...options.env, ...urlEnv };
  const outcome = await createNotifyStage(deps).run(env.ctx);
  const posts = receiver.posts.map((p) => p.body as { text: string; blocks: unknown[] });
  return { outcome, posts };
}

const checks = () => [stageReport('lint'), trainReport()];
const pullRequest = { eventName: 'pull_request', pullRequestNumber: 7 };

describe('Slack from the delivery, said truly', () => {
  test('a pull request run posts nothing by default, and says why', async () => {
    const { outcome, posts } = await notify({ reports: checks(), github: pullRequest });
    expect(posts).toEqual([]);
    expect(outcome.details.channels).toContainEqual({
      channel: 'slack',
      result: 'skipped',
      detail: 'a pull request run (notify.slack.pullRequests is false)',
    });
  });

  test('when pull requests are configured, the message says which checks ran, not "delivered"', async () => {
    const { posts } = await notify({
      reports: checks(),
      github: pullRequest,
      slack: { pullRequests: true, on: ['checked', 'failure'] },
    });
    expect(posts).toHaveLength(1);
    const text = JSON.stringify(posts[0]);
    expect(text).toContain('✅ checks passed, nothing deployed (lint, train)');
    expect(text).not.toContain('delivered');
  });

  test('checks on a push are not posted by default (checked is not in the default on)', async () => {
    const { posts, outcome } = await notify({ reports: checks() });
    expect(posts).toEqual([]);
    expect(outcome.details.outcome).toBe('checked');
  });

  test('a canary left for the approval job says so; SLACK_WEBHOOK_URL is the fallback; the job summary is linked', async () => {
    const { posts } = await notify({
      reports: [
        trainReport(),
        stageReport('deploy', { outputs: { version: 'v2', canary: 'true' } }),
      ],
      configWebhook: false,
      env: { SLACK_WEBHOOK_URL: 'receiver' },
      github: { runAttempt: '1' },
    });
    expect(posts).toHaveLength(1);
    const text = JSON.stringify(posts[0]);
    expect(text).toContain('🐤 canary deployed, awaiting the gate');
    expect(text).toContain(
      '<https://github.com/acme/classifier/actions/runs/42/attempts/1|job summary>',
    );
  });

  test('a promotion in a later job is a delivery', async () => {
    const { posts } = await notify({
      reports: [stageReport('gate'), stageReport('promote')],
      configWebhook: false,
      env: { SLACK_WEBHOOK_URL: 'receiver' },
    });
    expect(JSON.stringify(posts[0])).toContain('✅ delivered');
  });

  test('SLACK_WEBHOOK (the old name) is not read: one name everywhere', async () => {
    const { posts, outcome } = await notify({
      reports: [stageReport('promote')],
      configWebhook: false,
      env: { SLACK_WEBHOOK: 'https://hooks.slack.invalid/x' },
    });
    expect(posts).toEqual([]);
    expect(outcome.details.channels).toContainEqual(
      expect.objectContaining({ channel: 'slack', result: 'skipped' }),
    );
  });
});
