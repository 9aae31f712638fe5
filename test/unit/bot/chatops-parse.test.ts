import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/bot/chatops/parse-command.js';
import { parseRepoBotConfig } from '../../../src/bot/repo-config.js';

describe('ChatOps commands', () => {
  it.each([
    ['/rollback', { command: 'rollback' }],
    ['/rollback staging', { command: 'rollback', environment: 'staging' }],
    [
      '/rollback production to v1.2.3',
      { command: 'rollback', environment: 'production', to: 'v1.2.3' },
    ],
    ['/rollback to abc1234', { command: 'rollback', to: 'abc1234' }],
    ['  /status  \nmore text', { command: 'status' }],
    ['/status staging', { command: 'status', environment: 'staging' }],
    ['/help', { command: 'help' }],
    ['please /rollback', undefined],
    ['text first\n/rollback', undefined],
    ['/rollbacks', undefined],
    ['', undefined],
  ])('%j → %j', (body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
  });

  it.each([
    '/rollback to',
    '/rollback prod extra',
    '/help me',
    '/rollback to $(rm)',
    '/status a b',
  ])('%j is invalid', (body) => {
    expect(parseCommand(body)).toMatchObject({ command: 'invalid' });
  });
});

describe("a repository's bot config", () => {
  it('defaults everything when the file or the section is missing', () => {
    const r = parseRepoBotConfig(undefined);
    expect(r).toMatchObject({
      ok: true,
      config: {
        rollbackWorkflow: 'rollback.yml',
        autoRevert: true,
        chatops: { permission: 'write' },
      },
    });
    expect(parseRepoBotConfig('train: {}\n')).toMatchObject({ ok: true });
  });

  it('reports problems with their path and never interpolates the env', () => {
    const bad = parseRepoBotConfig('bot:\n  autoRevrt: true\n  chatops: { permission: owner }\n');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems.join('\n')).toContain(
        'bot.autoRevrt: unknown key (did you mean "autoRevert"?)',
      );
      expect(bad.problems.join('\n')).toContain(
        'bot.chatops.permission: must be one of "read", "write", "admin"',
      );
    }
    const literal = parseRepoBotConfig('bot:\n  rollbackWorkflow: ${ALERTS_TOKEN}\n');
    expect(literal).toMatchObject({ ok: true, config: { rollbackWorkflow: '${ALERTS_TOKEN}' } });
    expect(parseRepoBotConfig('bot: [').ok).toBe(false);
  });
});
