#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  createLocalTarget
} from "./chunk-chunk-JMKARJ57.js";
import "./chunk-chunk-EVS4H3TI.js";
import "./chunk-chunk-P442FGTM.js";
import "./chunk-chunk-ZVZF4VHW.js";
import "./chunk-chunk-PKI25WLK.js";
import "./chunk-chunk-THFF7YCR.js";
import "./chunk-chunk-YOU5EUFK.js";
import "./chunk-chunk-PF54JKQR.js";
import {
  UsageError
} from "./chunk-chunk-I2EZGVOV.js";
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
