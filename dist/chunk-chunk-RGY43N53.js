#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  PIPELINE_STAGES
} from "./chunk-chunk-P2RBSKVU.js";
import {
  UsageError
} from "./chunk-chunk-JOF44I4G.js";

// src/stages/index.ts
var STAGE_LOADERS = {
  lint: async () => (await import("./chunk-lint-BXJMOBH3.js")).lintStage,
  train: async () => (await import("./chunk-train-GZN5LCAV.js")).trainStage,
  build: async () => (await import("./chunk-build-TXWLSCG7.js")).buildStage,
  deploy: async () => (await import("./chunk-deploy-AJAWD64R.js")).deployStage,
  gate: async () => (await import("./chunk-gate-QVYYKWH5.js")).gateStage,
  promote: async () => (await import("./chunk-promote-FCQKOGX3.js")).promoteStage,
  rollback: async () => (await import("./chunk-rollback-JC3W5SNW.js")).rollbackStage,
  notify: async () => (await import("./chunk-notify-C25AE2WZ.js")).notifyStage
};
var COMMAND_LOADERS = {
  stop: async () => (await import("./chunk-stop-OPDRBY56.js")).stopCommand
};
var STAGE_ORDER = PIPELINE_STAGES;
var PULL_REQUEST_STAGES = ["lint", "train"];
function isStageName(name) {
  return STAGE_ORDER.includes(name);
}
function loaderOf(name) {
  return isStageName(name) ? STAGE_LOADERS[name] : Object.hasOwn(COMMAND_LOADERS, name) ? COMMAND_LOADERS[name] : void 0;
}
function checkStageName(name) {
  if (!loaderOf(name))
    throw new UsageError(`unknown stage "${name}"; stages: ${STAGE_ORDER.join(", ")}, run, plan`);
}
async function findStage(name) {
  checkStageName(name);
  const load = loaderOf(name);
  if (!load) throw new UsageError(`unknown stage "${name}"`);
  return load();
}
async function allStages() {
  return Promise.all([...STAGE_ORDER, ...Object.keys(COMMAND_LOADERS)].map(findStage));
}
function planStages(requested, event) {
  const value = (requested ?? "auto").trim();
  if (value === "auto") return releases(event) ? [...STAGE_ORDER] : [...PULL_REQUEST_STAGES];
  if (value === "all") return [...STAGE_ORDER];
  const names = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const n of names) checkStageName(n);
  return STAGE_ORDER.filter((s) => names.includes(s));
}
function releases(event) {
  if (event.eventName !== "push" || !event.ref?.startsWith("refs/heads/")) return false;
  const branches = event.releaseBranches?.length ? event.releaseBranches : event.defaultBranch ? [event.defaultBranch] : [];
  return branches.includes(event.ref.slice("refs/heads/".length));
}

export {
  STAGE_ORDER,
  isStageName,
  findStage,
  allStages,
  planStages
};
