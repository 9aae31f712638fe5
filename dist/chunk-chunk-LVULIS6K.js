#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  firstLine,
  require_dist
} from "./chunk-chunk-FZYHBISI.js";
import {
  __toESM
} from "./chunk-chunk-YW753B3X.js";

// src/lint/manifests.ts
var import_yaml = __toESM(require_dist(), 1);
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
var KNOWN_KINDS = {
  Deployment: ["apps/v1"],
  StatefulSet: ["apps/v1"],
  Service: ["v1"],
  ConfigMap: ["v1"],
  Secret: ["v1"],
  ServiceAccount: ["v1"],
  Namespace: ["v1"],
  Role: ["rbac.authorization.k8s.io/v1"],
  RoleBinding: ["rbac.authorization.k8s.io/v1"],
  ClusterRole: ["rbac.authorization.k8s.io/v1"],
  ClusterRoleBinding: ["rbac.authorization.k8s.io/v1"],
  PodDisruptionBudget: ["policy/v1"],
  HorizontalPodAutoscaler: ["autoscaling/v2"],
  Ingress: ["networking.k8s.io/v1"],
  NetworkPolicy: ["networking.k8s.io/v1"],
  Kustomization: ["kustomize.config.k8s.io/v1beta1"],
  ServiceMonitor: ["monitoring.coreos.com/v1"],
  PodMonitor: ["monitoring.coreos.com/v1"],
  PrometheusRule: ["monitoring.coreos.com/v1"]
};
function expandManifestPaths(root, entries) {
  const files = [];
  const missing = [];
  for (const entry of entries) {
    const abs = resolve(root, entry);
    if (!existsSync(abs)) missing.push(entry);
    else if (statSync(abs).isDirectory()) {
      files.push(
        ...readdirSync(abs).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(abs, f))
      );
    } else files.push(abs);
  }
  return { files, missing };
}
function validateManifests(root, files) {
  const objects = [];
  const problems = [];
  for (const abs of files) {
    const file = relative(root, abs);
    const counter = new import_yaml.LineCounter();
    const docs = (0, import_yaml.parseAllDocuments)(readFileSync(abs, "utf8"), { lineCounter: counter });
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      const line = doc.contents?.range ? counter.linePos(doc.contents.range[0]).line : 1;
      if (doc.errors.length > 0) {
        for (const e of doc.errors) {
          problems.push({
            file,
            line: e.linePos?.[0].line,
            message: `YAML: ${firstLine(e.message)}`,
            severity: "error"
          });
        }
        continue;
      }
      const body = doc.toJS();
      if (body === null || body === void 0) continue;
      if (typeof body !== "object" || Array.isArray(body)) {
        problems.push({
          file,
          line,
          message: "expected a Kubernetes object (a mapping)",
          severity: "error"
        });
        continue;
      }
      const object = checkObject(body, file, line, problems);
      if (object) objects.push(object);
    }
  }
  problems.push(...checkServiceSelectors(objects));
  return { objects, problems };
}
function checkObject(body, file, line, problems) {
  const { apiVersion, kind } = body;
  const err = (message, severity = "error") => problems.push({ file, line, message, severity });
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    err("missing apiVersion or kind");
    return void 0;
  }
  const versions = KNOWN_KINDS[kind];
  if (!versions) {
    err(
      `kind ${kind} (${apiVersion}) is not one model-delivery knows; known kinds: ${Object.keys(KNOWN_KINDS).join(", ")}`
    );
    return void 0;
  }
  if (!versions.includes(apiVersion))
    err(`${kind} must use apiVersion ${versions.join(" or ")}, not ${apiVersion}`);
  const metadata = body.metadata ?? {};
  const name = typeof metadata.name === "string" ? metadata.name : "";
  if (!name && kind !== "Kustomization") err(`${kind} has no metadata.name`);
  const where = `${kind} ${name}`;
  if (kind === "Deployment") checkDeployment(body, where, err);
  return { file, line, apiVersion, kind, name, body };
}
function checkDeployment(body, where, err) {
  const spec = body.spec ?? {};
  const selector = spec.selector?.matchLabels ?? {};
  const labels = spec.template?.metadata?.labels ?? {};
  if (!selector.app)
    err(
      `${where}: spec.selector.matchLabels needs an "app" label (the Service selects tracks by it)`
    );
  if (!labels.app) err(`${where}: spec.template.metadata.labels needs an "app" label`);
  else if (selector.app && selector.app !== labels.app) {
    err(`${where}: selector app=${selector.app} does not match the pod label app=${labels.app}`);
  }
  for (const [k, v] of Object.entries(selector)) {
    if (labels[k] !== v)
      err(`${where}: selector ${k}=${v} is missing from the pod template labels`);
  }
  if (!labels.version)
    err(
      `${where}: pod template has no "version" label; metrics cannot be split by version`,
      "warning"
    );
  const containers = spec.template?.spec?.containers ?? [];
  if (containers.length === 0) err(`${where}: spec.template.spec.containers is empty`);
  containers.forEach((c, i) => {
    if (!c.name) err(`${where}: containers[${i}] has no name`);
    if (!c.image) err(`${where}: containers[${i}] has no image`);
  });
}
function checkServiceSelectors(objects) {
  const problems = [];
  for (const o of objects.filter((x) => x.kind === "Service")) {
    const selector = o.body.spec?.selector ?? {};
    if (!selector.app) {
      problems.push({
        file: o.file,
        line: o.line,
        severity: "error",
        message: `Service ${o.name}: spec.selector needs the shared "app" label`
      });
    }
    for (const key of ["track", "version"]) {
      if (selector[key]) {
        problems.push({
          file: o.file,
          line: o.line,
          severity: "error",
          message: `Service ${o.name}: selector must not include "${key}", or canary and baseline get no traffic`
        });
      }
    }
  }
  return problems;
}

export {
  expandManifestPaths,
  validateManifests
};
