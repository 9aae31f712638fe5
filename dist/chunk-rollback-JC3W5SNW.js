#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  releaseFromRef
} from "./chunk-chunk-WTWFOEU5.js";
import "./chunk-chunk-OHQVI3ZY.js";
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
  errorMessage
} from "./chunk-chunk-JOF44I4G.js";
import "./chunk-chunk-YW753B3X.js";

// src/stages/rollback.ts
async function runRollback(ctx) {
  const ledger = openLedger(ctx);
  return withTarget(ctx, async (target) => {
    const before = await target.status();
    const canary = trackRelease(before, "canary") ?? trackRelease(before, "baseline") ?? // An abort a crash interrupted is finished as the abort it was, not as a rollback of stable.
    (before.interrupted?.operation === "abort" ? { version: before.interrupted.version ?? "?", sha: "", image: "" } : void 0);
    if (canary && !ctx.flags.to) {
      const status2 = await target.abort();
      const gate = ctx.reports.load("gate");
      const why = gate && gate.status !== "success" ? `gate: ${gate.reason}` : "rolled back";
      const note2 = ledger ? await afterChange(
        ctx,
        "mark the deployment failed",
        async () => (await ledger.close("failure", `canary ${canary.version} aborted (${why})`))?.deploymentId
      ) : void 0;
      return {
        status: "success",
        reason: "canary_aborted",
        message: `canary ${canary.version} removed; stable ${trackRelease(status2, "stable")?.version ?? "?"} untouched`,
        details: { aborted: canary, status: status2, ledger: note2 },
        outputs: {
          version: trackRelease(status2, "stable")?.version ?? "",
          ...status2.frontUrl ? { "front-url": status2.frontUrl } : {}
        },
        summary: statusSummary(status2, note2)
      };
    }
    const from = trackRelease(before, "stable");
    let to;
    let known = [];
    if (ledger) {
      try {
        known = await ledger.successfulReleases();
      } catch (e) {
        ctx.log.warn(
          `GitHub Deployments: could not read earlier releases (${errorMessage(e)}); using the target's own history`
        );
      }
    }
    if (ctx.flags.to) to = releaseFromRef(ctx.flags.to, known, ctx.config.deploy.target);
    else to = known.find((r) => !from || r.image !== from.image);
    const status = await target.rollback(to);
    const now = trackRelease(status, "stable");
    const canaryNote = canary && ledger ? await afterChange(
      ctx,
      "mark the deployment failed",
      async () => (await ledger.close("failure", `canary ${canary.version} removed by a rollback`))?.deploymentId
    ) : void 0;
    const note = ledger && now ? now.sha ? await afterChange(ctx, "record the rollback", () => ledger.recordRollback(now, from)) : {
      ok: false,
      action: "record the rollback",
      error: `the commit of ${now.version} is unknown, so it is not recorded`
    } : void 0;
    if (note && !note.ok && note.error?.includes("commit"))
      ctx.log.warn(`GitHub Deployments: ${note.error}`);
    return {
      status: "success",
      reason: "rolled_back",
      message: `stable rolled back from ${from?.version ?? "nothing"} to ${now?.version ?? "?"}`,
      details: {
        from,
        to: now,
        status,
        ledger: note,
        ...canaryNote ? { canaryLedger: canaryNote } : {}
      },
      outputs: {
        version: now?.version ?? "",
        ...status.frontUrl ? { "front-url": status.frontUrl } : {}
      },
      summary: statusSummary(status, note)
    };
  });
}
var rollbackStage = {
  name: "rollback",
  description: "abort the canary in flight; or roll stable back to --to <ref> or the previous release",
  run: runRollback
};
export {
  rollbackStage
};
