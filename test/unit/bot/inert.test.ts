import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGitRefName, parseCommand } from '../../../src/bot/chatops/parse-command.js';
import {
  codeBlock,
  defang,
  inlineCode,
  plainInput,
  safeUrl,
} from '../../../src/bot/incident/inert.js';

const longestRun = (t: string) => Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length));

describe('inert text', () => {
  it('fences any text with more backticks than it holds, keeping it inside (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('`', 'a', '\n', '@', '<', '!', '-', '>') }),
        (text) => {
          const block = codeBlock(text);
          const lines = block.split('\n');
          const fence = (/^`+/.exec(lines[0] as string) as RegExpExecArray)[0];
          const inner = lines.slice(1, -1).join('\n');
          expect(lines.at(-1)).toBe(fence);
          expect(fence.length).toBeGreaterThan(longestRun(inner));
          expect(fence.length).toBeGreaterThanOrEqual(3);
          expect(inner).not.toMatch(/@(?!\u200d)|<!--|-->/);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['plain', '`plain`'],
    ['a`b', '``a`b``'],
    ['`x', '`` `x ``'],
    ['@team', '`@\u200dteam`'],
    ['x'.repeat(200), `\`${'x'.repeat(99)}…\``],
  ])('inlineCode(%j) = %j', (text, expected) => expect(inlineCode(text)).toBe(expected));

  it.each([
    ['Drift: PSI 0.31 on petal_width', 'Drift: PSI 0.31 on petal_width'],
    ['a\nb\r\nc', 'a b c'],
    ['${{ github.token }} $(id) `id`', 'github.token (id) id'],
    ['@everyone <b>', 'everyone b'],
    ['\uff04(id)', '(id)'],
  ])('plainInput(%j) = %j', (text, expected) => expect(plainInput(text)).toBe(expected));

  it('caps plain input', () => expect(plainInput('x'.repeat(500), 200)).toHaveLength(200));

  it('defangs mentions and comment delimiters', () => {
    expect(defang('<!-- a --> @b --!>')).toBe('<!\u200c-- a -\u200c-> @\u200db -\u200c-!>');
  });

  it.each([
    [
      'http://p:9090/graph?g0.expr=rate%28x%5B5m%5D%29',
      'http://p:9090/graph?g0.expr=rate%28x%5B5m%5D%29',
    ],
    ['https://g.example/d/a b', 'https://g.example/d/a%20b'],
    ['javascript:alert(1)', undefined],
    ['not a url', undefined],
  ])('safeUrl(%j) = %j', (url, expected) => expect(safeUrl(url)).toBe(expected));
});

describe('git ref names', () => {
  it.each([
    ['main', true],
    ['v1.2.3', true],
    ['release/2026-11', true],
    ['a'.repeat(40), true],
    ['main/../../x', false],
    ['-main', false],
    ['.hidden', false],
    ['a/.b', false],
    ['x.lock', false],
    ['a//b', false],
    ['a/', false],
    ['a.', false],
    ['@', false],
    ['x@{1}', false],
    ['a b', false],
    ['a~1', false],
    ['a^', false],
    ['a:b', false],
    ['a?', false],
    ['a*', false],
    ['a[b', false],
    ['a\\b', false],
    ['$(id)', false],
    ['', false],
  ])('%j → %s', (ref, ok) => expect(isGitRefName(ref)).toBe(ok));

  it.each(['/ROLLBACK', '/Rollback production TO v1', '/STATUS staging', '/Help'])(
    'reads %j whatever the case of its words',
    (body) => expect(parseCommand(body)?.command).not.toBe('invalid'),
  );

  it('keeps environment and ref as written', () => {
    expect(parseCommand('/ROLLBACK Prod TO Main')).toEqual({
      command: 'rollback',
      environment: 'Prod',
      to: 'Main',
    });
  });
});
