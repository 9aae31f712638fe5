#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  createLocalTarget
} from "./chunk-chunk-J2GCOEOM.js";
import "./chunk-chunk-Q7E7TLEC.js";
import "./chunk-chunk-P442FGTM.js";
import "./chunk-chunk-J7G6J27Q.js";
import "./chunk-chunk-Q5KLLHKY.js";
import "./chunk-chunk-GXSRNDTE.js";
import "./chunk-chunk-EGNDYM6A.js";
import "./chunk-chunk-SSOYEDRJ.js";
import "./chunk-chunk-VV2JPDBC.js";
import "./chunk-chunk-YOU5EUFK.js";
import "./chunk-chunk-PF54JKQR.js";
import {
  UsageError
} from "./chunk-chunk-JOF44I4G.js";
import "./chunk-chunk-YW753B3X.js";

// src/stages/stop.ts
async function runStop(ctx) {
  if (ctx.config.deploy.target !== "local") {
    throw new UsageError(
      `stop ends the local target's processes; deploy.target is ${ctx.config.deploy.target} (use rollback, or kubectl, there)`
    );
  }
  const { stopped, warnings } = await createLocalTarget(ctx).stop();
  return {
    status: "success",
    reason: "stopped",
    message: stopped.length ? `stopped ${stopped.map((s) => `${s.what} (pid ${s.pid})`).join(", ")}` : "nothing was running",
    details: { stopped, warnings },
    summary: stopped.length ? `Stopped: ${stopped.map((s) => `${s.what} (pid ${s.pid})`).join(", ")}` : "Nothing was running."
  };
}
var stopCommand = {
  name: "stop",
  description: "stop every process the local target started (proxy, stable, baseline, canary)",
  run: runStop
};
export {
  stopCommand
};
