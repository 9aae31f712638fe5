#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);

// src/settings/secret-env.ts
var SECRET_ENV = [
  "GITHUB_TOKEN",
  "REGISTRY_PASSWORD",
  "SLACK_WEBHOOK_URL",
  "INPUT_SLACK-WEBHOOK",
  "KUBECONFIG_DATA",
  "INPUT_KUBECONFIG",
  "INPUT_GITHUB-TOKEN",
  "INPUT_REGISTRY-PASSWORD"
];
var PRIVATE_PATTERN = /^(INPUT_|ACTIONS_)|TOKEN|SECRET|PASSWORD|PRIVATE_KEY|KUBECONFIG|WEBHOOK/i;
function secretEnvValues(env) {
  return SECRET_ENV.map((name) => env[name]).filter((v) => Boolean(v));
}
function isPrivateEnvName(name) {
  return SECRET_ENV.includes(name) || PRIVATE_PATTERN.test(name);
}

export {
  secretEnvValues,
  isPrivateEnvName
};
