import { describe, expect, test } from 'vitest';
import {
  SLACK_LIMITS,
  fitMessage,
  limitItems,
  slackLimitProblems,
  truncateText,
  type Block,
} from '../../../src/report/slack-limits.js';

describe('truncateText', () => {
  test.each([
    ['short', 10, 'short'],
    ['exactly10!', 10, 'exactly10!'],
    ['eleven char', 10, 'eleven ch…'],
    // Never splits a surrogate pair: the emoji goes whole.
    ['abcdefgh😀xyz', 10, 'abcdefgh…'],
  ])('%j to %i → %j', (text, max, want) => {
    const got = truncateText(text, max);
    expect(got).toBe(want);
    expect(got.length).toBeLessThanOrEqual(max);
  });
});

test('limitItems keeps max items, the last saying how many were left out', () => {
  expect(limitItems([1, 2, 3], 3, (n) => -n)).toEqual([1, 2, 3]);
  expect(limitItems([1, 2, 3, 4, 5], 3, (n) => -n)).toEqual([1, 2, -3]);
});

describe('fitMessage', () => {
  test('a long header, long section and 14 fields are cut with "…and N more"', () => {
    const fields = Array.from({ length: 14 }, (_, i) => ({
      type: 'mrkdwn' as const,
      text: `field ${i}`,
    }));
    const fitted = fitMessage({
      text: 'fallback',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(400) } },
        { type: 'section', text: { type: 'mrkdwn', text: 's'.repeat(5000) } },
        { type: 'section', fields },
      ],
    });
    const [header, section, withFields] = fitted.blocks as [Block, Block, Block];
    expect(header.type === 'header' && header.text.text.length).toBe(SLACK_LIMITS.headerText);
    expect(section.type === 'section' && section.text?.text.length).toBe(SLACK_LIMITS.sectionText);
    expect(withFields.type === 'section' && withFields.fields?.map((f) => f.text)).toEqual([
      ...fields.slice(0, 9).map((f) => f.text),
      '…and 5 more',
    ]);
    expect(slackLimitProblems(fitted)).toEqual([]);
  });

  test('80 blocks become 50, the last one saying how many were left out', () => {
    const blocks: Block[] = Array.from({ length: 80 }, (_, i) => ({
      type: 'section',
      text: { type: 'mrkdwn', text: `stage ${i}` },
    }));
    const fitted = fitMessage({ text: 'x', blocks });
    expect(fitted.blocks).toHaveLength(50);
    expect(fitted.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '…and 31 more blocks' }],
    });
    expect(slackLimitProblems(fitted)).toEqual([]);
  });

  test("the total text stays under Slack's message budget", () => {
    const blocks: Block[] = Array.from({ length: 20 }, () => ({
      type: 'section',
      text: { type: 'mrkdwn', text: 'y'.repeat(2900) },
    }));
    const fitted = fitMessage({ text: '', blocks });
    expect(fitted.text).toBe('model-delivery');
    expect(fitted.blocks.length).toBeLessThan(20);
    expect(fitted.blocks.at(-1)?.type).toBe('context');
    expect(slackLimitProblems(fitted)).toEqual([]);
  });

  test('slackLimitProblems names what Slack would reject', () => {
    expect(
      slackLimitProblems({
        text: '',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
          {
            type: 'section',
            fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn' as const, text: 'f' })),
          },
        ],
      }),
    ).toEqual([
      'fallback text missing or too long',
      'block 0: header text 151 chars',
      'block 1: 11 fields',
    ]);
  });
});

test("the bot's incident messages go through the same limits", async () => {
  const { incidentMessage } = await import('../../../src/notify/incident-message.js');
  const message = incidentMessage({
    repository: `acme/${'r'.repeat(300)}`,
    environment: 'production',
    alertNames: Array.from({ length: 50 }, (_, i) => `Alert${i}`),
    summary: 's'.repeat(10_000),
    liveSha: 'abc1234def',
    targetSha: '0123456789',
    revert: { kind: 'pr', url: 'https://github.com/acme/r/pull/9' },
    runUrl: 'https://github.com/acme/r/actions/runs/1',
  });
  expect(
    slackLimitProblems({ text: message.text, blocks: (message.blocks ?? []) as Block[] }),
  ).toEqual([]);
});
