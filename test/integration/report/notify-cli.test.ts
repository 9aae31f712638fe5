import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ReportStore } from '../../../src/report/store.js';
import { runCli } from '../../helpers/cli.js';
import {
  deployReport,
  failedGateReport,
  rollbackReport,
  stageReport,
  trainReport,
} from '../../unit/report/fixtures.js';
import { deadUrl, startSlackReceiver } from './slack-receiver.js';

// The bundled CLI, as the action's notify step runs it: config interpolation of
// ${SLACK_WEBHOOK_URL}, the secret kept out of the output, the exit code.
let dir: string;
let receiver: Awaited<ReturnType<typeof startSlackReceiver>>;

beforeAll(async () => {
  receiver = await startSlackReceiver();
  dir = mkdtempSync(join(tmpdir(), 'md-notify-cli-'));
  mkdirSync(join(dir, '.github'));
  writeFileSync(
    join(dir, '.github/model-delivery.yml'),
    'version: 1\nnotify:\n  slack:\n    webhook: ${SLACK_WEBHOOK_URL}\n    retries: 1\n',
  );
  const store = ReportStore.forRoot(dir);
  for (const r of [
    stageReport('lint'),
    trainReport(),
    deployReport(),
    failedGateReport(),
    rollbackReport(),
  ])
    store.save(r);
});
afterAll(async () => {
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('`model-delivery notify` posts one message for a rolled-back delivery and writes the HTML report', async () => {
  const run = await runCli(['notify', '--json'], {
    cwd: dir,
    env: { SLACK_WEBHOOK_URL: receiver.url },
  });
  expect(run.exitCode).toBe(0);
  expect(run.json).toMatchObject({
    stage: 'notify',
    status: 'success',
    reason: 'notified',
    details: { outcome: 'rollback' },
  });
  expect(receiver.posts).toHaveLength(1);
  expect((receiver.posts[0]?.body as { text: string }).text).toContain(
    'error_ratio ❌ fail (threshold_exceeded): canary 0.12, baseline 0.01; max 0.05',
  );
  expect(readFileSync(join(dir, '.model-delivery/report.html'), 'utf8')).toContain(
    'class="gate-chart"',
  );
  expect(`${run.stdout}${run.stderr}`).not.toContain(receiver.url);
});

test('a dead webhook: exit code 0, a warning, and the URL nowhere in the output', async () => {
  const url = await deadUrl();
  const run = await runCli(['notify', '--json'], { cwd: dir, env: { SLACK_WEBHOOK_URL: url } });
  expect(run.exitCode).toBe(0);
  expect(run.json).toMatchObject({ status: 'success', reason: 'notification_failed' });
  // The cause, not `request error: TypeError`.
  expect(run.stderr).toMatch(
    /warning: slack: Slack post failed: could not reach Slack: .*ECONNREFUSED 127\.0\.0\.1:\d+/,
  );
  expect(`${run.stdout}${run.stderr}`).not.toContain(url.split('/services')[0]);
  const saved = JSON.parse(
    readFileSync(join(dir, '.model-delivery/reports/notify.json'), 'utf8'),
  ) as { details: unknown };
  expect(JSON.stringify(saved)).not.toContain(url);
});

test('notify.required: true makes the same failure exit 1', async () => {
  const url = await deadUrl();
  const run = await runCli(['notify', '--json', '--set', 'notify.required=true'], {
    cwd: dir,
    env: { SLACK_WEBHOOK_URL: url },
  });
  expect(run.exitCode).toBe(1);
  expect(run.json).toMatchObject({ status: 'failure', reason: 'notification_failed' });
});
