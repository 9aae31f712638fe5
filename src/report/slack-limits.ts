/**
 * Slack Block Kit limits and the one place that enforces them. Every Slack message of
 * model-delivery (the notify stage, the bot's incidents) goes through `fitMessage`, so no
 * message is ever rejected by Slack for its size.
 *
 * Sources: docs.slack.dev/reference/block-kit/blocks (50 blocks per message), header block
 * (150 chars), section block (text 3,000 chars, 10 fields of 2,000 chars), context block
 * (10 elements); slackapi/bolt-js#2509 (`msg_blocks_too_long` near 13k chars of block text).
 */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 2000,
  /** Top-level fallback `text` (shown in notifications); Slack truncates past 40k, keep it short. */
  fallbackText: 3000,
  /** All block text together; Slack answers `msg_blocks_too_long` well below 50 × 3,000. */
  totalBlockText: 12000,
} as const;

export interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export interface HeaderBlock {
  type: 'header';
  text: TextObject & { type: 'plain_text' };
}
export interface SectionBlock {
  type: 'section';
  text?: TextObject;
  fields?: TextObject[];
}
export interface ContextBlock {
  type: 'context';
  elements: TextObject[];
}
export interface DividerBlock {
  type: 'divider';
}
export interface ActionsBlock {
  type: 'actions';
  elements: {
    type: 'button';
    text: TextObject & { type: 'plain_text' };
    url: string;
    style?: 'primary' | 'danger';
  }[];
}
export type Block = HeaderBlock | SectionBlock | ContextBlock | DividerBlock | ActionsBlock;

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** "…and N more": the one wording for everything left out. */
export function moreNote(n: number, what = 'more'): string {
  return `…and ${n} ${what}`;
}

/** Cuts `text` to at most `max` UTF-16 units, never splitting a surrogate pair, ending with "…". */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Keeps at most `max` items; over it, the last kept slot says how many were left out. */
export function limitItems<T>(items: readonly T[], max: number, more: (left: number) => T): T[] {
  if (items.length <= max) return [...items];
  const kept = items.slice(0, Math.max(0, max - 1));
  return [...kept, more(items.length - kept.length)];
}

function fitTextObject(t: TextObject, max: number): TextObject {
  return { ...t, text: truncateText(t.text || ' ', max) };
}

function fitBlock(block: Block): Block {
  switch (block.type) {
    case 'header':
      return {
        ...block,
        text: {
          ...block.text,
          text: truncateText(block.text.text || ' ', SLACK_LIMITS.headerText),
        },
      };
    case 'section': {
      const fields = block.fields
        ? limitItems(block.fields, SLACK_LIMITS.fields, (n) => ({
            type: 'mrkdwn' as const,
            text: moreNote(n),
          })).map((f) => fitTextObject(f, SLACK_LIMITS.fieldText))
        : undefined;
      const out: SectionBlock = { type: 'section' };
      if (block.text || !fields?.length)
        out.text = fitTextObject(
          block.text ?? { type: 'mrkdwn', text: ' ' },
          SLACK_LIMITS.sectionText,
        );
      if (fields?.length) out.fields = fields;
      return out;
    }
    case 'context':
      return {
        ...block,
        elements: limitItems(block.elements, SLACK_LIMITS.contextElements, (n) => ({
          type: 'mrkdwn' as const,
          text: moreNote(n),
        })).map((e) => fitTextObject(e, SLACK_LIMITS.contextText)),
      };
    case 'actions':
      return {
        ...block,
        elements: block.elements
          .slice(0, 25)
          .map((e) => ({ ...e, text: { ...e.text, text: truncateText(e.text.text, 75) } })),
      };
    default:
      return block;
  }
}

/** Characters of text a block carries (what Slack's total-size check counts, roughly). */
export function blockTextLength(block: Block): number {
  switch (block.type) {
    case 'header':
      return block.text.text.length;
    case 'section':
      return (
        (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((n, f) => n + f.text.length, 0)
      );
    case 'context':
      return block.elements.reduce((n, e) => n + e.text.length, 0);
    case 'actions':
      return block.elements.reduce((n, e) => n + e.text.text.length + e.url.length, 0);
    default:
      return 0;
  }
}

function moreBlock(n: number): ContextBlock {
  return {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: moreNote(n, n === 1 ? 'more block' : 'more blocks') }],
  };
}

/**
 * Fits a message within every limit: each block's texts and fields, the number of blocks
 * and the total text. Over a limit, the last kept slot says "…and N more". The fallback
 * `text` is always set.
 */
export function fitMessage(message: SlackMessage): SlackMessage {
  const blocks = message.blocks.map(fitBlock);
  const kept: Block[] = [];
  let total = 0;
  // Reserve the last slot and some text for the "…and N more blocks" note.
  const reserve = blockTextLength(moreBlock(999_999));
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i] as Block;
    const size = blockTextLength(block);
    const isLast = i === blocks.length - 1;
    const roomForBlock = kept.length < (isLast ? SLACK_LIMITS.blocks : SLACK_LIMITS.blocks - 1);
    const roomForText = total + size <= SLACK_LIMITS.totalBlockText - (isLast ? 0 : reserve);
    if (!roomForBlock || !roomForText) {
      kept.push(moreBlock(blocks.length - i));
      break;
    }
    kept.push(block);
    total += size;
  }
  const text = truncateText(message.text.trim() || 'model-delivery', SLACK_LIMITS.fallbackText);
  return { text, blocks: kept };
}

/** What is wrong with a message, by Slack's limits (empty when Slack accepts it). */
export function slackLimitProblems(message: SlackMessage): string[] {
  const problems: string[] = [];
  if (!message.text || message.text.length > SLACK_LIMITS.fallbackText)
    problems.push('fallback text missing or too long');
  if (message.blocks.length > SLACK_LIMITS.blocks)
    problems.push(`${message.blocks.length} blocks > ${SLACK_LIMITS.blocks}`);
  let total = 0;
  message.blocks.forEach((b, i) => {
    total += blockTextLength(b);
    if (b.type === 'header' && (b.text.text.length > SLACK_LIMITS.headerText || !b.text.text))
      problems.push(`block ${i}: header text ${b.text.text.length} chars`);
    if (b.type === 'section') {
      if (!b.text && !b.fields?.length) problems.push(`block ${i}: section without text or fields`);
      if (b.text && (b.text.text.length > SLACK_LIMITS.sectionText || !b.text.text))
        problems.push(`block ${i}: section text ${b.text.text.length} chars`);
      if ((b.fields?.length ?? 0) > SLACK_LIMITS.fields)
        problems.push(`block ${i}: ${b.fields?.length} fields`);
      for (const f of b.fields ?? [])
        if (f.text.length > SLACK_LIMITS.fieldText || !f.text)
          problems.push(`block ${i}: field of ${f.text.length} chars`);
    }
    if (
      b.type === 'context' &&
      (b.elements.length > SLACK_LIMITS.contextElements || b.elements.length === 0)
    )
      problems.push(`block ${i}: ${b.elements.length} context elements`);
  });
  if (total > SLACK_LIMITS.totalBlockText)
    problems.push(`block text ${total} chars > ${SLACK_LIMITS.totalBlockText}`);
  return problems;
}
