#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);

// src/report/markdown.ts
function cell(value) {
  return String(value ?? "").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
function markdownTable(headers, rows) {
  return [
    `| ${headers.map(cell).join(" | ")} |`,
    `| ${headers.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)
  ].join("\n");
}
var STATUS_EMOJI = {
  success: "\u2705",
  pass: "\u2705",
  failure: "\u274C",
  fail: "\u274C",
  error: "\u26A0\uFE0F",
  warning: "\u26A0\uFE0F",
  skipped: "\u23ED\uFE0F",
  inconclusive: "\u2754",
  running: "\u23F3",
  no_data: "\u2754",
  low_traffic: "\u2754",
  insufficient_evidence: "\u2754"
};
function formatNumber(value) {
  if (value === void 0 || Number.isNaN(value)) return "\u2014";
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? value.toExponential(3) : String(Number(value.toFixed(4)));
}

export {
  cell,
  markdownTable,
  STATUS_EMOJI,
  formatNumber
};
