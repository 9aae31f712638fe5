#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);

// src/core/run-context.ts
function runUrl(ctx) {
  if (!ctx.repository || !ctx.runId) return void 0;
  const run = `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}`;
  return ctx.runAttempt ? `${run}/attempts/${ctx.runAttempt}` : run;
}

export {
  runUrl
};
