/** Escapes text for a markdown table cell. */
export function cell(value: unknown): string {
  return String(value ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ');
}

export function markdownTable(headers: string[], rows: unknown[][]): string {
  return [
    `| ${headers.map(cell).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

export const STATUS_EMOJI: Record<string, string> = {
  success: '✅',
  pass: '✅',
  failure: '❌',
  fail: '❌',
  error: '⚠️',
  warning: '⚠️',
  skipped: '⏭️',
  inconclusive: '❔',
  running: '⏳',
  no_data: '❔',
  low_traffic: '❔',
  insufficient_evidence: '❔',
};

export function formatNumber(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 0.001 || abs >= 1e6)
    ? value.toExponential(3)
    : String(Number(value.toFixed(4)));
}
