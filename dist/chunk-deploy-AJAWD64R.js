#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  resolveRelease
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
import {
  initialShare
} from "./chunk-chunk-Q5KLLHKY.js";
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
  ConfigError,
  EnvironmentError,
  errorMessage
} from "./chunk-chunk-JOF44I4G.js";
import "./chunk-chunk-YW753B3X.js";

// src/stages/deploy.ts
async function runDeploy(ctx) {
  if (ctx.config.deploy.target === "local" && !ctx.config.deploy.local.command) {
    throw new ConfigError([
      'deploy.local.command: required for the local target (the model server, e.g. "tsx src/server.ts")'
    ]);
  }
  const release = await resolveRelease({
    root: ctx.root,
    target: ctx.config.deploy.target,
    version: ctx.flags.version,
    image: ctx.flags.image,
    sha: ctx.github.sha,
    build: ctx.reports.load("build")
  });
  const ledger = openLedger(ctx);
  return withTarget(ctx, async (target) => {
    const before = await target.status();
    const previous = trackRelease(before, "stable");
    let deploymentId;
    if (ledger && release.sha && (!before.lock || ctx.flags.force)) {
      try {
        deploymentId = (await ledger.open(release, previous)).deploymentId;
      } catch (e) {
        throw new EnvironmentError(
          `GitHub Deployments: could not record the deployment of ${release.version}, so nothing was deployed: ${errorMessage(e)}`,
          "ledger_unavailable"
        );
      }
    } else if (ledger && !release.sha) {
      ctx.log.warn("GitHub Deployments: the release has no commit sha, so it is not recorded");
    }
    let status;
    try {
      status = await target.deployCanary(release, { force: ctx.flags.force });
    } catch (e) {
      if (deploymentId !== void 0 && ledger)
        await afterChange(
          ctx,
          "mark the deployment failed",
          async () => (await ledger.close("failure", `deploy failed: ${errorMessage(e)}`))?.deploymentId
        );
      throw e;
    }
    const canary = trackRelease(status, "canary");
    let note;
    if (!canary && deploymentId !== void 0 && ledger) {
      note = await afterChange(
        ctx,
        "mark the first release live",
        async () => (await ledger.close("success", `${release.version} is stable (first release)`))?.deploymentId
      );
    } else if (deploymentId !== void 0) {
      note = { ok: true, action: "deployment in progress", deploymentId };
    }
    return {
      status: "success",
      reason: canary ? "canary_deployed" : "deployed_as_stable",
      message: canary ? `canary ${release.version} deployed beside baseline ${previous?.version ?? "?"} (${shareText(ctx.config.deploy)})` : `${release.version} deployed as stable (nothing was running, so no canary)`,
      details: { release, previous, status, ledger: note },
      outputs: {
        version: release.version,
        canary: canary ? "true" : "false",
        ...status.frontUrl ? { "front-url": status.frontUrl } : {},
        ...deploymentId !== void 0 ? { "deployment-id": String(deploymentId) } : {}
      },
      summary: statusSummary(status, note)
    };
  });
}
function shareText(deploy) {
  const each = `${initialShare(deploy)}% each`;
  return deploy.steps ? `${each}, the first of steps ${deploy.steps.map((p) => `${p}%`).join(" \u2192 ")} the gate raises` : each;
}
var deployStage = {
  name: "deploy",
  description: "start the new release as a canary beside a baseline of the stable one (--version <v>)",
  run: runDeploy
};
export {
  deployStage
};
