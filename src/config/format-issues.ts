import type { z } from 'zod';
import { formatPath } from './path.js';

/** One line per zod issue, `path: what is wrong`, never echoing a value (it may be a secret). */
export function formatIssue(
  issue: z.core.$ZodIssue,
  allowedKeys: (path: PropertyKey[]) => string[],
): string {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      const got = 'input' in issue ? describeType(issue.input) : undefined;
      if (got === 'missing') return `${path}: required (${issue.expected})`;
      return `${path}: expected ${issue.expected}${got ? `, got ${got}` : ''}`;
    }
    case 'unrecognized_keys': {
      const allowed = allowedKeys(issue.path);
      return issue.keys
        .map((key) => {
          const where = formatPath([...issue.path, key]);
          const hint = suggest(key, allowed);
          return `${where}: unknown key${hint ? ` (did you mean "${hint}"?)` : ''}${allowed.length ? `; allowed: ${allowed.join(', ')}` : ''}`;
        })
        .join('\n');
    }
    case 'invalid_value':
      return `${path}: must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${path}: ${issue.message}`;
  }
}

function describeType(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  return typeof value === 'object' ? 'mapping' : typeof value;
}

/** The closest allowed key within two edits, for typos such as `thresholds` → `threshold`. */
export function suggest(key: string, allowed: string[]): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const candidate of allowed) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d <= 2 && (!best || d < best.d)) best = { key: candidate, d };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return row[b.length] as number;
}
