import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubFake } from '../../fakes/github/index.js';
import { comment } from './chatops-helpers.js';
import {
  REPO,
  startSeededBot,
  stopAll,
  writes,
  type BotUnderTest,
  type Seeded,
} from './harness.js';

const reactions = (fake: GitHubFake, issue: number, id: number) =>
  fake
    .comments(REPO, issue)
    .find((c) => c.id === id)
    ?.reactions.map((r) => r.content) ?? [];
const replies = (fake: GitHubFake, issue: number) =>
  fake
    .comments(REPO, issue)
    .filter((c) => c.user.login === 'model-delivery[bot]' && c.body.startsWith('@'))
    .map((c) => c.body);

describe('ChatOps', () => {
  let fake: GitHubFake;
  let bot: BotUnderTest;
  let seeded: Seeded;

  beforeEach(async () => ({ fake, seeded, bot } = await startSeededBot()));
  afterEach(() => stopAll(bot, fake));

  it('/rollback from a writer dispatches to the last good release, reacts and links the run', async () => {
    const c = await comment(bot, fake, { issue: seeded.badPr, login: 'alice', body: '/rollback' });
    expect(fake.state.dispatches).toHaveLength(1);
    expect(fake.state.dispatches[0]).toMatchObject({
      workflow: 'rollback.yml',
      inputs: { environment: 'production', to: seeded.goodSha, incident: `chatops-${c.id}` },
    });
    expect(reactions(fake, seeded.badPr, c.id)).toEqual(['eyes', 'rocket']);
    expect(replies(fake, seeded.badPr)[0]).toMatch(/rolling `production` back to .*https?:\/\//);
  });

  it('/rollback from a read-only user is refused and nothing is dispatched', async () => {
    const c = await comment(bot, fake, {
      issue: seeded.badPr,
      login: 'rita',
      body: '/rollback production',
    });
    expect(fake.state.dispatches).toHaveLength(0);
    // A refusal costs one write: the reaction; no reply to someone without the permission.
    expect(reactions(fake, seeded.badPr, c.id)).toEqual(['confused']);
    expect(replies(fake, seeded.badPr)).toEqual([]);
    await comment(bot, fake, { issue: seeded.badPr, login: 'stranger', body: '/rollback' });
    expect(fake.state.dispatches).toHaveLength(0);
  });

  it('allows one dispatch per environment per minute', async () => {
    await comment(bot, fake, { issue: seeded.badPr, login: 'alice', body: '/rollback to v1' });
    const second = await comment(bot, fake, {
      issue: seeded.badPr,
      login: 'alice',
      body: '/rollback',
    });
    expect(fake.state.dispatches).toHaveLength(1);
    expect(fake.state.dispatches[0]?.inputs).toMatchObject({ to: 'v1' });
    // A collaborator's refusal is one reply that says why, and no reaction.
    expect(reactions(fake, seeded.badPr, second.id)).toEqual([]);
    expect(replies(fake, seeded.badPr)[1]).toContain('less than a minute ago');
  });

  it('ignores bots (itself included), non-commands and answers /status and /help', async () => {
    await comment(bot, fake, {
      issue: seeded.badPr,
      login: 'model-delivery[bot]',
      body: '/rollback',
      type: 'Bot',
    });
    await comment(bot, fake, {
      issue: seeded.badPr,
      login: 'alice',
      body: 'looks good, no /rollback needed',
    });
    expect(fake.state.dispatches).toHaveLength(0);
    expect(replies(fake, seeded.badPr)).toHaveLength(0);
    await comment(bot, fake, { issue: seeded.badPr, login: 'rita', body: '/status' });
    await comment(bot, fake, { issue: seeded.badPr, login: 'rita', body: '/help' });
    const [status, help] = replies(fake, seeded.badPr);
    expect(status).toContain(`\`${seeded.badSha.slice(0, 7)}\` (\`v2\`) is live since`);
    expect(status).toContain(
      `last good release before it: \`${seeded.goodSha.slice(0, 7)}\` (\`v1\`)`,
    );
    expect(help).toContain('/rollback [environment] [to <ref>]');
    expect(fake.invalidRequests).toEqual([]);
    expect(fake.unmatchedRequests).toEqual([]);
  });

  it('reads command words whatever their case', async () => {
    const c = await comment(bot, fake, {
      issue: seeded.badPr,
      login: 'alice',
      body: '/ROLLBACK production TO v1',
    });
    expect(reactions(fake, seeded.badPr, c.id)).toEqual(['eyes', 'rocket']);
    expect(fake.state.dispatches).toHaveLength(1);
    expect(fake.state.dispatches[0]?.inputs).toMatchObject({ environment: 'production', to: 'v1' });
  });

  it('spends at most one write on a refused command', async () => {
    const refusals = [
      { login: 'stranger', body: '/rollback' },
      { login: 'rita', body: '/rollback production' },
      { login: 'stranger', body: '/status' },
      { login: 'alice', body: '/rollback production to main/../x' },
    ];
    for (const r of refusals) {
      fake.clearLog();
      await comment(bot, fake, { issue: seeded.badPr, ...r });
      expect(writes(fake).length, r.body).toBeLessThanOrEqual(1);
    }
    expect(fake.state.dispatches).toHaveLength(0);
  });

  it('ignores a commenter past the per-commenter limit, without a write', async () => {
    for (let i = 0; i < 5; i++)
      await comment(bot, fake, { issue: seeded.badPr, login: 'rita', body: '/help' });
    fake.clearLog();
    await comment(bot, fake, { issue: seeded.badPr, login: 'rita', body: '/help' });
    expect(writes(fake)).toEqual([]);
    // Someone else is still heard.
    await comment(bot, fake, { issue: seeded.badPr, login: 'alice', body: '/help' });
    expect(writes(fake).length).toBeGreaterThan(0);
  });
});
