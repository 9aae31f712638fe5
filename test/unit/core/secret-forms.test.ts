import { describe, expect, test } from 'vitest';
import { SecretRegistry, secretForms } from '../../../src/core/secrets.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('a registered secret is masked in each form a server may echo', () => {
  const registry = new SecretRegistry();
  registry.add('bob:hunter2!x');
  registry.add('https://hooks.slack.com/services/T01ABC/B02DEF/ZyXwVu987?team=x1');
  test.each([
    ['verbatim', 'auth bob:hunter2!x here'],
    ['the password alone', 'password hunter2!x rejected'],
    ['URL-encoded', 'q=bob%3Ahunter2!x'],
    ['URL-encoded password', 'p=hunter2!x'],
    ['Basic header', `Authorization: Basic ${b64('bob:hunter2!x')}`],
    ['base64 without padding', `token ${b64('bob:hunter2!x').replace(/=+$/, '')}`],
    ['webhook path', 'no_service for /services/T01ABC/B02DEF/ZyXwVu987?team=x1'],
    ['webhook path without the query', 'POST /services/T01ABC/B02DEF/ZyXwVu987 failed'],
    ['webhook path without its slash', 'services/T01ABC/B02DEF/ZyXwVu987'],
    [
      'URL-encoded webhook',
      encodeURIComponent('https://hooks.slack.com/services/T01ABC/B02DEF/ZyXwVu987?team=x1'),
    ],
  ])('%s', (_form, text) => {
    const out = registry.redact(text);
    expect(out).toContain('***');
    for (const secret of ['hunter2', 'ZyXwVu987', b64('bob:hunter2!x').slice(0, 12)])
      expect(out).not.toContain(secret);
  });

  test('ordinary text stays readable: the host of a secret URL and short parts are not secrets', () => {
    expect(registry.redact('posting to hooks.slack.com as bob')).toBe(
      'posting to hooks.slack.com as bob',
    );
    expect(secretForms('https://example.com/a')).toEqual(expect.not.arrayContaining(['/a', 'a']));
  });
});
