#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  readKubeconfigInput,
  readRegistryCredentials
} from "./chunk-chunk-J7G6J27Q.js";

// src/settings/stage-inputs.ts
var CRASH_AFTER_STEP_ENV = "MODEL_DELIVERY_TEST_CRASH_AFTER_STEP";
function readStageInputs(env) {
  return {
    registry: readRegistryCredentials(env),
    kubeconfig: readKubeconfigInput(env),
    user: env.USER || env.LOGNAME || void 0,
    variable: (name) => env[name],
    crashAfterStep: env[CRASH_AFTER_STEP_ENV] || void 0
  };
}

export {
  readStageInputs
};
