#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);

// src/report/stage-report.ts
function detailsOf(report) {
  if (!report || report.threw) return void 0;
  return report.details;
}
function findReport(reports, stage) {
  return reports.find((r) => r.stage === stage);
}

export {
  detailsOf,
  findReport
};
