#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  afterChange,
  openLedger,
  statusSummary,
  trackRelease,
  withTarget
} from "./chunk-chunk-BJJ7ITES.js";
import "./chunk-chunk-OYSNFU43.js";
import "./chunk-chunk-EZXP2GGB.js";
import "./chunk-chunk-7U3TACCC.js";
import "./chunk-chunk-DCBSDARP.js";
import "./chunk-chunk-J2GCOEOM.js";
import "./chunk-chunk-Q7E7TLEC.js";
import "./chunk-chunk-P442FGTM.js";
import "./chunk-chunk-J7G6J27Q.js";
import "./chunk-chunk-LVULIS6K.js";
import "./chunk-chunk-FZYHBISI.js";
import "./chunk-chunk-Q5KLLHKY.js";
import "./chunk-chunk-P2RBSKVU.js";
import "./chunk-chunk-GXSRNDTE.js";
import "./chunk-chunk-BD2AABV4.js";
import "./chunk-chunk-EGNDYM6A.js";
import "./chunk-chunk-SSOYEDRJ.js";
import "./chunk-chunk-VV2JPDBC.js";
import "./chunk-chunk-Q3LNTHG7.js";
import "./chunk-chunk-YOU5EUFK.js";
import "./chunk-chunk-PF54JKQR.js";
import {
  UsageError
} from "./chunk-chunk-JOF44I4G.js";
import "./chunk-chunk-YW753B3X.js";

// src/stages/promote.ts
import { hostname } from "node:os";
function promoteOptions(ctx) {
  const { force, reason } = ctx.flags;
  if (!force) {
    if (reason !== void 0)
      throw new UsageError('--reason goes with --force (promote --force --reason "<why>")');
    return {};
  }
  if (!reason?.trim())
    throw new UsageError(
      'promote --force needs --reason "<why>": a promotion without a passing gate is recorded with who did it and why',
      "reason_required"
    );
  const actor = ctx.github.actor ?? `${ctx.inputs.user ?? "someone"}@${hostname()}`;
  return { override: { actor, reason: reason.trim() } };
}
async function runPromote(ctx) {
  const options = promoteOptions(ctx);
  const ledger = openLedger(ctx);
  return withTarget(ctx, async (target) => {
    const status = await target.promote(options);
    const promoted = trackRelease(status, "stable");
    const version = promoted?.version ?? "?";
    const description = status.forced ? `${version} ${status.forced}` : `${version} promoted to stable`;
    if (status.forced) ctx.log.warn(`${version} ${status.forced}`, { title: "Gate overridden" });
    const note = ledger ? await afterChange(
      ctx,
      "mark the deployment successful",
      async () => (await ledger.close("success", description))?.deploymentId
    ) : void 0;
    return {
      status: "success",
      reason: status.forced ? "promoted_without_gate" : "promoted",
      message: status.forced ? `${version} is stable; ${status.forced}` : `${version} is stable; canary and baseline removed`,
      details: {
        release: promoted,
        status,
        ledger: note,
        ...status.forced ? { forced: status.forced } : {},
        ...status.gate ? { gate: status.gate } : {}
      },
      outputs: {
        version,
        ...status.frontUrl ? { "front-url": status.frontUrl } : {}
      },
      summary: statusSummary(status, note)
    };
  });
}
var promoteStage = {
  name: "promote",
  description: "make the canary's release stable, if the gate passed it (--force --reason to override)",
  run: runPromote
};
export {
  promoteOptions,
  promoteStage
};
