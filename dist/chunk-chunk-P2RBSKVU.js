#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);

// src/core/pipeline.ts
var PIPELINE_STAGES = [
  "lint",
  "train",
  "build",
  "deploy",
  "gate",
  "promote",
  "rollback",
  "notify"
];
var DELIVERY_OUTCOMES = [
  "success",
  "canary",
  "checked",
  "failure",
  "rollback",
  "inconclusive"
];

export {
  PIPELINE_STAGES,
  DELIVERY_OUTCOMES
};
