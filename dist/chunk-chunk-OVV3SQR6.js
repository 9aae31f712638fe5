#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  STATUS_EMOJI,
  formatNumber,
  markdownTable
} from "./chunk-chunk-Q3LNTHG7.js";

// src/report/train-table.ts
function trainChecksTable(checks, baselineNote) {
  const rows = checks.map((c) => [
    c.metric,
    formatNumber(c.value),
    c.threshold ?? "",
    formatNumber(c.baseline),
    c.delta === void 0 ? "" : `${c.delta >= 0 ? "+" : ""}${formatNumber(c.delta)}`,
    `${STATUS_EMOJI[c.status] ?? ""} ${c.status}${c.problems.length ? `: ${c.problems.join("; ")}` : ""}`
  ]);
  const table = markdownTable(
    ["metric", "value", "threshold", "baseline", "delta", "status"],
    rows
  );
  return baselineNote ? `${table}

_${baselineNote}_` : table;
}

export {
  trainChecksTable
};
