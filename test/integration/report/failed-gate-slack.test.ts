import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { copyExample } from '../../helpers/example.js';
import { startSlackReceiver } from './slack-receiver.js';

// The "done when": a failed gate in examples/classifier posts ONE Slack message that
// names the failing metric with its numbers. Real parts: the bundled CLI, the example model
// server on loopback (the canary runs MODEL_VARIANT=errors), the scrape gate, a Slack
// receiver on 127.0.0.1.
const example = copyExample();
let receiver: Awaited<ReturnType<typeof startSlackReceiver>>;
const SET = [
  ['deploy.local.port', '0'],
  ['deploy.local.command', 'bash canary-variant.sh'],
  ['gate.interval', '2s'],
  ['gate.minDuration', '4s'],
  ['gate.load.rps', '200'],
  ['gate.maxDuration', '2m'],
  ['notify.slack.webhook', '${SLACK_WEBHOOK_URL}'],
].flatMap(([k, v]) => ['--set', `${k}=${v}`]);

const cli = (args: string[]) =>
  runCli([...args, ...SET, '--json'], {
    cwd: example.dir,
    env: { SLACK_WEBHOOK_URL: receiver.url },
    timeout: 180_000,
  });

beforeAll(async () => {
  receiver = await startSlackReceiver();
  // The canary track runs the broken variant (20 % of requests fail); stable and baseline are good.
  writeFileSync(
    join(example.dir, 'canary-variant.sh'),
    'if [ "$TRACK" = canary ]; then export MODEL_VARIANT=errors ERROR_SHARE=0.2; fi\nexec tsx src/server.ts\n',
  );
});

afterAll(async () => {
  await runCli(['stop', ...SET], { cwd: example.dir, env: { SLACK_WEBHOOK_URL: receiver.url } });
  await receiver?.close();
  example.remove();
});

test('a failed gate, then rollback and notify: one Slack message naming the metric, with its numbers', async () => {
  for (const args of [['train'], ['deploy', '--version', 'v1'], ['deploy', '--version', 'v2']]) {
    const run = await cli(args);
    expect(run.exitCode, `${args.join(' ')}: ${run.stderr}`).toBe(0);
  }
  const gate = await cli(['gate']);
  expect(gate.exitCode).toBe(1);
  expect(gate.json).toMatchObject({
    stage: 'gate',
    status: 'failure',
    details: { verdict: 'fail' },
  });
  expect((await cli(['rollback'])).json).toMatchObject({
    status: 'success',
    reason: 'canary_aborted',
  });
  expect(receiver.posts).toHaveLength(0);

  const notify = await cli(['notify']);
  expect(notify.json).toMatchObject({
    stage: 'notify',
    status: 'success',
    reason: 'notified',
    details: { outcome: 'rollback' },
  });
  expect(receiver.posts).toHaveLength(1);
  const body = receiver.posts[0]?.body as { text: string; blocks: unknown[] };
  const failing = (
    gate.json?.details.metrics as {
      name: string;
      status: string;
      canary: number;
      baseline: number;
    }[]
  ).find((m) => m.status === 'fail');
  expect(failing?.name).toBe('error_rate');
  // The numbers the gate recorded, as the message shows them.
  const canary = String(Number((failing?.canary ?? NaN).toFixed(4)));
  expect(body.text).toContain(`failing: error_rate ❌ fail (threshold_exceeded): canary ${canary}`);
  expect(body.text).toContain('max 0.02');
  expect(JSON.stringify(body.blocks)).toContain(
    `❌ *error_rate* fail \`threshold_exceeded\`\\ncanary *${canary}*`,
  );
  expect(body.text.split('\n')[0]).toBe(
    'model-delivery · production · v2 — ↩️ rolled back (gate: threshold_exceeded)',
  );

  // The gate's section of the summary carries a chart per metric, drawn from its looks.
  const summary = readFileSync(join(example.dir, '.model-delivery/summary.md'), 'utf8');
  const gateSection = summary.slice(summary.indexOf('## ❌ gate'));
  expect(gateSection).toContain('"error_rate: canary vs baseline"');
  expect(gateSection.match(/xychart-beta/g)?.length).toBe(4);
}, 240_000);
