/**
 * Text from alerts and comments, made inert before the bot writes it to GitHub: it can
 * neither render (markdown, HTML), nor notify (@mentions), nor forge the bot's hidden
 * markers, nor grow without bound. Pure functions, tested by tables.
 */

/** Zero-width joiner: `@\u200dteam` reads as `@team` but GitHub does not notify anyone. */
const ZWJ = '\u200d';
/** Zero-width non-joiner, to break `<!--` and `-->` (the bot's markers are HTML comments). */
const ZWNJ = '\u200c';

/** Mentions neutralised, HTML comment delimiters broken, control characters dropped. */
export function defang(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- control characters are what is removed
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
      .replace(/@/g, `@${ZWJ}`)
      .replace(/<!--/g, `<!${ZWNJ}--`)
      .replace(/--(!?)>/g, `-${ZWNJ}-$1>`)
  );
}

function cap(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return longest;
}

/**
 * A fenced code block whose fence is longer than any backtick run in the text, so nothing in
 * the text can close it; at most `maxChars` characters and `maxLines` lines.
 */
export function codeBlock(text: string, o: { maxChars?: number; maxLines?: number } = {}): string {
  const lines = defang(text).replace(/\r\n?/g, '\n').split('\n');
  const maxLines = o.maxLines ?? 40;
  const kept = lines.length > maxLines ? [...lines.slice(0, maxLines), '…'] : lines;
  const body = cap(kept.join('\n'), o.maxChars ?? 4000);
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1));
  return `${fence}text\n${body}\n${fence}`;
}

/** Inline code for a short value on one line, delimited by more backticks than it holds. */
export function inlineCode(text: string, max = 100): string {
  const flat = cap(defang(text).replace(/[\r\n\t]+/g, ' '), max);
  const ticks = '`'.repeat(longestBacktickRun(flat) + 1);
  // A value that starts or ends with a backtick needs a space inside the delimiters.
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** One line of plain text for titles: no line breaks, mentions and markers defanged, capped. */
export function plainTitle(text: string, max = 200): string {
  return cap(
    defang(text)
      .replace(/[\r\n\t]+/g, ' ')
      .trim(),
    max,
  );
}

/**
 * A workflow input such as the dispatch `reason`: one line of letters, digits and plain
 * punctuation, nothing a shell or an expression could act on (`$`, backticks, braces,
 * quotes, `@`), at most `max` characters.
 */
export function plainInput(text: string, max = 200): string {
  const plain = text
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N} .,:;_%/=+\-!?#()*]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return cap(plain, max);
}

/** An http(s) URL, normalised once (never encoded twice); undefined for anything else. */
export function safeUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
