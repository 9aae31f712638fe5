#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  command,
  duration,
  envMap
} from "./chunk-chunk-EGNDYM6A.js";
import {
  external_exports
} from "./chunk-chunk-SSOYEDRJ.js";
import {
  formatDuration
} from "./chunk-chunk-PF54JKQR.js";

// src/config/sections/deploy-kubernetes.ts
var objectName = external_exports.string().max(253).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
  error: 'expected a Kubernetes name: lowercase letters, digits, "-" and "."'
});
var kubernetesDeploySection = external_exports.strictObject({
  namespace: objectName.default("default").describe("Namespace of the stable Deployment."),
  deployment: objectName.optional().describe(
    "Name of the stable Deployment (labelled track=stable). Required for the kubernetes target; canary and baseline are `<name>-canary` and `<name>-baseline`."
  ),
  manifests: external_exports.array(external_exports.string().min(1)).default([]).describe(
    "The team's manifests, which are the release: files, directories (their *.yaml), globs (`k8s/**/*.yaml`) or kustomize directories (rendered with `kubectl kustomize`), relative to the repository root. The Deployment named `deployment` ships as written with the built image: as the canary at deploy, as stable at promote; the other objects are applied as docs/kubernetes.md says. Empty: the canary is a clone of the live stable with only the image changed."
  ),
  container: external_exports.string().min(1).optional().describe(
    "Container whose image is replaced. Default: the only container; required when the pod has several."
  ),
  context: external_exports.string().min(1).optional().describe("kubeconfig context to use (`kubectl --context`). Default: the current context."),
  kubeconfig: external_exports.string().min(1).optional().describe(
    "Path of a kubeconfig file, relative to the repository root. Default: the action input `kubeconfig`, else `KUBECONFIG`, else ~/.kube/config."
  ),
  kubectl: external_exports.string().min(1).default("kubectl").describe("The kubectl program (a name on PATH or a path)."),
  traffic: external_exports.enum(["replicas", "gateway-api"]).default("replicas").describe(
    "How canary and baseline get their share. `replicas`: the Service spreads requests over all pods, so the share follows the replica counts (docs/kubernetes.md tabulates the real split). `gateway-api`: the HTTPRoute `httpRoute` gets weighted backendRefs for a stable, a canary and a baseline Service (made by the target), so the share is exact."
  ),
  httpRoute: external_exports.strictObject({
    name: objectName.describe(
      "The HTTPRoute (gateway.networking.k8s.io/v1), in `namespace`, whose rule sends to `service`."
    ),
    service: objectName.optional().describe(
      "The stable Service the route sends to today. Default: `deployment`. Its selector and ports are copied into `<service>-stable`, `-canary` and `-baseline`."
    )
  }).optional().describe("The route `traffic: gateway-api` splits. Required with it."),
  requestTimeout: duration("60s").describe(
    "Time limit of each kubectl call other than `rollout status` (those are bounded by deploy.timeout)."
  )
}).prefault({}).describe("The kubernetes target: stable, canary and baseline Deployments through kubectl.");

// src/config/sections/deploy.ts
var localSection = external_exports.strictObject({
  command: command.optional().describe(
    "The model server, run from the repository root once per track (stable, baseline, canary) with env PORT, TRACK, MODEL_VERSION and HOST=127.0.0.1. Required for the local target."
  ),
  port: external_exports.number().int().min(0).max(65535).default(8080).describe(
    "Front port on 127.0.0.1 that splits traffic between the tracks, like a Service. 0 picks a free port on the first deploy."
  ),
  env: envMap.default({}).describe("Extra environment for every model process."),
  readyPath: external_exports.string().regex(/^\//, { error: "expected a path starting with /" }).default("/health").describe("A process is ready when GET on this path answers 2xx."),
  readyTimeout: duration("30s").describe("How long a process may take to become ready.")
}).prefault({}).describe("The local target: processes on loopback behind a front proxy; no cluster needed.");
var deploySection = external_exports.strictObject({
  target: external_exports.enum(["local", "kubernetes"]).default("local").describe(
    "Where the model runs: `local` (processes on this machine) or `kubernetes` (kubectl)."
  ),
  environment: external_exports.string().min(1).default("production").describe("GitHub Deployments environment recorded in the ledger."),
  url: external_exports.url().optional().describe(
    "Where users reach the environment; shown on GitHub Deployments as environment_url."
  ),
  timeout: duration("5m").describe(
    "How long a rollout may take before it is failed and removed."
  ),
  canary: external_exports.strictObject({
    percent: external_exports.number().gt(0).max(50).default(10).describe(
      "Share of traffic for the canary, and the same share for the baseline (so at most 50). Kubernetes: replicas = max(1, round(stable \xD7 percent / 100)). With deploy.steps, steps[0] is the starting share and this is not used."
    )
  }).prefault({}).describe("The canary and its baseline."),
  steps: external_exports.array(
    external_exports.number().gt(0, { error: "each step is a share of traffic above 0 (percent)" }).max(50, {
      error: "each step is at most 50: canary and baseline each get this share, and stable keeps the rest"
    })
  ).min(1, { error: "list at least one step, such as [10, 25, 50], or leave steps out" }).superRefine((steps, ctx) => {
    steps.forEach((p, i) => {
      const before = steps[i - 1];
      if (i > 0 && before !== void 0 && p <= before)
        ctx.addIssue({
          code: "custom",
          path: [i],
          message: `must be above the step before it (${before}): steps only raise the share, e.g. [10, 25, 50]`
        });
    });
  }).optional().describe(
    "Progressive steps: the share (percent) that canary and baseline each get, raised step by step during one gate, e.g. [10, 25, 50]; strictly increasing, each in (0, 50]. deploy starts at steps[0] (instead of canary.percent); the gate raises the share every stepDuration and keeps its evidence across steps; a pass needs the last step to have run stepDuration."
  ),
  stepDuration: duration("2m").describe(
    "With deploy.steps: how long each step runs (its bake time) before the gate raises the share to the next; the last step runs at least this long before a pass. Between gate.interval and gate.maxDuration \xF7 the number of steps."
  ),
  local: localSection,
  kubernetes: kubernetesDeploySection
}).prefault({}).describe(
  "The deploy, promote and rollback stages: a canary beside a baseline, then promotion or rollback."
);
function initialShare(deploy) {
  return deploy.steps?.[0] ?? deploy.canary.percent;
}
function stepsAgainstGate(config, ctx) {
  const { steps, stepDuration } = config.deploy;
  if (!steps) return;
  const { interval, maxDuration } = config.gate;
  if (stepDuration < interval)
    ctx.addIssue({
      code: "custom",
      path: ["deploy", "stepDuration"],
      message: `shorter than gate.interval (${formatDuration(interval)}): a step must last at least one look; raise stepDuration or lower gate.interval`
    });
  if (steps.length * stepDuration > maxDuration)
    ctx.addIssue({
      code: "custom",
      path: ["deploy", "stepDuration"],
      message: `${steps.length} steps of ${formatDuration(stepDuration)} need ${formatDuration(steps.length * stepDuration)}, longer than gate.maxDuration (${formatDuration(maxDuration)}): the gate would end before the last step; shorten stepDuration, drop a step or raise gate.maxDuration`
    });
}

export {
  deploySection,
  initialShare,
  stepsAgainstGate
};
