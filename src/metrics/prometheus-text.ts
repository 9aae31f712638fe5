/**
 * A small parser of the Prometheus text exposition format (0.0.4). The published
 * parse-prometheus-text-format loses the labels of labelled histograms, so the scrape
 * source parses with this one: every sample keeps its name and all its labels.
 */

export interface TextSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedExposition {
  samples: TextSample[];
  /** Metric family name → counter, gauge, histogram, summary, untyped. */
  types: Record<string, string>;
}

export class TextFormatError extends Error {
  override name = 'TextFormatError';
}

function parseValue(text: string, line: number): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const v = Number(text);
  if (text === '' || Number.isNaN(v))
    throw new TextFormatError(`line ${line}: invalid value "${text}"`);
  return v;
}

/** Reads `{a="x",b="y\"z"}` starting at `i` (the `{`); returns the labels and the index after `}`. */
function parseLabels(
  s: string,
  start: number,
  line: number,
): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  const skipSpaces = () => {
    while (s[i] === ' ' || s[i] === '\t') i++;
  };
  for (;;) {
    skipSpaces();
    if (s[i] === '}') return { labels, end: i + 1 };
    const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(s.slice(i));
    if (!nameMatch)
      throw new TextFormatError(`line ${line}: expected a label name at column ${i + 1}`);
    const name = nameMatch[0];
    i += name.length;
    skipSpaces();
    if (s[i] !== '=') throw new TextFormatError(`line ${line}: expected = after label ${name}`);
    i++;
    skipSpaces();
    if (s[i] !== '"')
      throw new TextFormatError(`line ${line}: expected a quoted value for label ${name}`);
    i++;
    let value = '';
    for (;;) {
      const ch = s[i];
      if (ch === undefined)
        throw new TextFormatError(`line ${line}: unterminated value of label ${name}`);
      if (ch === '"') break;
      if (ch === '\\') {
        const next = s[i + 1];
        value +=
          next === 'n' ? '\n' : next === '\\' ? '\\' : next === '"' ? '"' : `\\${next ?? ''}`;
        i += 2;
        continue;
      }
      value += ch;
      i++;
    }
    labels[name] = value;
    i++;
    skipSpaces();
    if (s[i] === ',') i++;
    else if (s[i] !== '}')
      throw new TextFormatError(`line ${line}: expected , or } after label ${name}`);
  }
}

export function parsePrometheusText(text: string): ParsedExposition {
  const samples: TextSample[] = [];
  const types: Record<string, string> = {};
  text.split('\n').forEach((raw, idx) => {
    const line = idx + 1;
    const s = raw.trim();
    if (s === '') return;
    if (s.startsWith('#')) {
      const m = /^#\s+TYPE\s+(\S+)\s+(\S+)/.exec(s);
      if (m) types[m[1] as string] = m[2] as string;
      return;
    }
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(s);
    if (!nameMatch) throw new TextFormatError(`line ${line}: expected a metric name`);
    const name = nameMatch[0];
    let i = name.length;
    let labels: Record<string, string> = {};
    if (s[i] === '{') ({ labels, end: i } = parseLabels(s, i, line));
    const rest = s.slice(i).trim().split(/\s+/);
    samples.push({ name, labels, value: parseValue(rest[0] ?? '', line) });
  });
  return { samples, types };
}
