import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createSlackClient } from '../../../src/notify/slack-client.js';
import { createNotifyStage, type NotifyDeps } from '../../../src/stages/notify.js';
import {
  deployReport,
  failedGateReport,
  rollbackReport,
  stageReport,
  trainReport,
} from '../../unit/report/fixtures.js';
import { notifyContext } from './notify-context.js';
import { deadUrl, startSlackReceiver, type Answer } from './slack-receiver.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** The real Slack client, with its waits recorded instead of slept. */
function deps(waits: number[]): NotifyDeps {
  return {
    slack: (o) => createSlackClient({ ...o, sleep: async (ms) => void waits.push(ms) }),
    github: () => {
      throw new Error('no GitHub in this test');
    },
  };
}

const failedDelivery = () => [
  stageReport('lint'),
  trainReport(),
  deployReport(),
  failedGateReport(),
  rollbackReport(),
];

async function setup(
  script: Answer[],
  config: Record<string, unknown> = {},
  reports = failedDelivery(),
) {
  const receiver = await startSlackReceiver(script);
  cleanups.push(receiver.close);
  const env = notifyContext({
    reports,
    config: {
      notify: {
        ...config,
        slack: { webhook: receiver.url, ...(config.slack as object | undefined) },
      },
    },
  });
  cleanups.push(env.remove);
  return { receiver, ...env };
}

describe('notify → Slack (a receiver on loopback)', () => {
  test('a failed gate posts ONE Block Kit message naming the failing metric with its numbers', async () => {
    const waits: number[] = [];
    const { receiver, ctx, root } = await setup([]);
    const outcome = await createNotifyStage(deps(waits)).run(ctx);
    expect(outcome).toMatchObject({
      status: 'success',
      reason: 'notified',
      details: { outcome: 'rollback' },
    });
    expect(receiver.posts).toHaveLength(1);
    const post = receiver.posts[0] as {
      path: string;
      contentType?: string;
      body: { text: string; blocks: { type: string }[] };
    };
    expect(post.path).toBe('/services/T000/B000/secretpart');
    expect(post.contentType).toContain('application/json');
    expect(post.body.text).toContain('rolled back (gate: threshold_exceeded)');
    expect(post.body.text).toContain(
      'error_ratio ❌ fail (threshold_exceeded): canary 0.12, baseline 0.01; max 0.05',
    );
    expect(post.body.blocks[0]).toEqual({
      type: 'header',
      text: {
        type: 'plain_text',
        emoji: true,
        text: 'acme/classifier · production · v2 — ↩️ rolled back (gate: threshold_exceeded)',
      },
    });
    expect(JSON.stringify(post.body.blocks)).toContain(
      '❌ *error_ratio* fail `threshold_exceeded`\\ncanary *0.12* · baseline 0.01\\nbounds: max 0.05',
    );
    expect(post.body.blocks.map((b) => b.type)).toEqual([
      'header',
      'context',
      'section',
      'section',
      'section',
      'section',
      'section',
      'divider',
      'section',
      'section',
    ]);
    expect(waits).toEqual([]);
    expect(existsSync(join(root, '.model-delivery/report.html'))).toBe(true);
  });

  test('500 then success: retried once, after a backoff', async () => {
    const waits: number[] = [];
    const { receiver, ctx } = await setup([{ status: 500, body: 'internal_error' }]);
    const outcome = await createNotifyStage(deps(waits)).run(ctx);
    expect(outcome.status).toBe('success');
    expect(outcome.reason).toBe('notified');
    expect(receiver.posts).toHaveLength(2);
    expect(receiver.posts[1]?.body).toEqual(receiver.posts[0]?.body);
    expect(waits).toHaveLength(1);
  });

  test('429 with Retry-After: waits as long as Slack asked, then succeeds', async () => {
    const waits: number[] = [];
    const { receiver, ctx } = await setup([
      { status: 429, body: 'rate_limited', headers: { 'retry-after': '3' } },
    ]);
    const outcome = await createNotifyStage(deps(waits)).run(ctx);
    expect(outcome.reason).toBe('notified');
    expect(receiver.posts).toHaveLength(2);
    expect(waits).toEqual([3000]);
  });

  test('a dead webhook leaves the stage green, with a warning that does not show the URL', async () => {
    const waits: number[] = [];
    const url = await deadUrl();
    const env = notifyContext({
      reports: failedDelivery(),
      config: { notify: { slack: { webhook: url, retries: 2 } } },
    });
    cleanups.push(env.remove);
    const outcome = await createNotifyStage(deps(waits)).run(env.ctx);
    expect(outcome).toMatchObject({ status: 'success', reason: 'notification_failed' });
    expect(outcome.details.warnings).toEqual([
      expect.stringMatching(
        /^slack: Slack post failed: could not reach Slack: .*ECONNREFUSED 127\.0\.0\.1:\d+/,
      ),
    ]);
    expect(waits).toHaveLength(2);
    const warning = env.log.lines.find((l) => l.startsWith('warning: slack:'));
    expect(warning).toContain('(a warning: notify.required is false)');
    expect(JSON.stringify([outcome, env.log.lines])).not.toContain(url);
  });

  test('a Slack that never answers: each attempt ends at notify.slack.timeout, then a warning', async () => {
    const waits: number[] = [];
    const { ctx, receiver } = await setup(
      [
        { hang: true, status: 0 },
        { hang: true, status: 0 },
      ],
      { slack: { timeout: '300ms', retries: 1 } },
    );
    const outcome = await createNotifyStage(deps(waits)).run(ctx);
    expect(outcome).toMatchObject({ status: 'success', reason: 'notification_failed' });
    expect(receiver.posts).toHaveLength(2);
    expect(waits).toHaveLength(1);
  });

  test('notify.required: true turns a failed notification into a failed stage', async () => {
    const { ctx, receiver } = await setup([{ status: 404, body: 'no_service' }], {
      required: true,
    });
    const outcome = await createNotifyStage(deps([])).run(ctx);
    expect(outcome).toMatchObject({ status: 'failure', reason: 'notification_failed' });
    expect(receiver.posts).toHaveLength(1);
  });

  test('notify.slack.on filters outcomes: a success is not posted when only failures are wanted', async () => {
    const receiver = await startSlackReceiver();
    cleanups.push(receiver.close);
    const env = notifyContext({
      reports: [stageReport('gate'), stageReport('promote')],
      config: { notify: { slack: { webhook: receiver.url, on: ['failure', 'rollback'] } } },
    });
    cleanups.push(env.remove);
    const outcome = await createNotifyStage(deps([])).run(env.ctx);
    expect(outcome.reason).toBe('notified');
    expect(receiver.posts).toHaveLength(0);
    expect(outcome.details.channels).toContainEqual({
      channel: 'slack',
      result: 'skipped',
      detail: 'outcome success is not in notify.slack.on (failure, rollback)',
    });
  });
});
