import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCompositeAction } from '../../helpers/action-runner.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { copyExample } from '../../helpers/example.js';
import { startSlackReceiver } from './slack-receiver.js';

// action.yml as the runner runs it: the notify step runs after a failed step (if: always()),
// reads SLACK_WEBHOOK_URL from the env of the step that uses the action, and stays green.
const example = copyExample();
let receiver: Awaited<ReturnType<typeof startSlackReceiver>>;
beforeAll(async () => {
  receiver = await startSlackReceiver();
});
afterAll(async () => {
  await receiver?.close();
  example.remove();
});

test('a failed train step is still reported: the notify step runs, posts once and succeeds', async () => {
  const run = await runCompositeAction({
    actionDir: REPO_ROOT,
    workspace: example.dir,
    inputs: { stages: 'train', set: 'train.thresholds.accuracy.min=0.99' },
    env: { SLACK_WEBHOOK_URL: receiver.url },
  });
  expect(run.steps.find((s) => s.id === 'train')?.outcome).toBe('failure');
  const notify = run.steps.find((s) => s.id === 'notify');
  expect(notify?.ran).toBe(true);
  expect(notify?.outcome).toBe('success');
  expect(notify?.summary).toMatch(/## ✅ notify — success \(`notified`/);
  expect(notify?.summary).toContain('| slack | sent | failure message posted |');
  expect(receiver.posts).toHaveLength(1);
  const body = receiver.posts[0]?.body as { text: string };
  expect(body.text).toMatch(
    /^model-delivery · production — ❌ failed \(train: threshold_failed\): accuracy = 0\.\d+ is below the minimum 0\.99/,
  );
  // `::add-mask::` registers the secret with the runner, which hides it in every log line.
  const shown = `${notify?.stdout}${notify?.stderr}`
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'));
  expect(shown.join('\n')).not.toContain(receiver.url);
  expect(notify?.stdout).toContain(`::add-mask::${receiver.url}`);
  expect(run.failed).toBe(true);
}, 120_000);
