#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);

// package.json
var package_default = {
  name: "model-delivery",
  version: "0.1.0",
  description: "CI/CD for machine-learning models on GitHub: lint, smoke training, image build, canary, metric gate, rollback, and a bot that closes the loop.",
  license: "MIT",
  type: "module",
  private: true,
  engines: {
    node: ">=20.18.1"
  },
  bin: {
    "model-delivery": "dist/cli.js"
  },
  dependencies: {
    "@actions/core": "^3.0.1",
    "@actions/github": "^9.1.1",
    "@lezer/highlight": "^1.2.5",
    "@octokit/plugin-retry": "^8.1.1",
    "@prometheus-io/lezer-promql": "^0.315.0",
    "@slack/webhook": "^8.0.2",
    execa: "^9.6.1",
    pino: "^10.4.0",
    probot: "^14.3.2",
    "prom-client": "^15.1.3",
    "shell-quote": "^1.12.0",
    yaml: "^2.9.1",
    zod: "^4.6.7"
  },
  devDependencies: {
    "@action-validator/core": "^0.6.0",
    "@actions/expressions": "^0.3.61",
    "@eslint/js": "^10.0.1",
    "@kubernetes-models/gateway-api": "^2.0.0",
    "@octokit/graphql-schema": "^15.26.1",
    "@octokit/openapi": "^23.0.2",
    "@types/node": "^20.19.43",
    "@types/shell-quote": "^1.7.5",
    esbuild: "^0.28.2",
    eslint: "^10.15.0",
    "eslint-config-prettier": "^10.1.8",
    "fast-check": "^4.10.2",
    graphql: "^16.15.0",
    node: "^24.21.0",
    "openapi-backend": "^5.21.2",
    "playwright-core": "^1.65.1",
    prettier: "^3.10.1",
    tsx: "^4.23.15",
    typescript: "~5.9",
    "typescript-eslint": "^8.73.0",
    vitest: "^4.1.12"
  },
  allowScripts: {
    node: true,
    esbuild: true
  },
  scripts: {
    bundle: "node scripts/bundle.mjs",
    build: "npm run generate && npm run bundle",
    generate: "tsx scripts/generate.ts",
    typecheck: "tsc --noEmit",
    lint: "eslint . && prettier --check .",
    format: "prettier --write .",
    test: "vitest run",
    "test:unit": "vitest run --project unit",
    demo: "tsx demo/main.ts",
    bot: "node dist/bot.js",
    "bench:bot": "tsx bench/bot/alert-storm.ts",
    "bench:gate": "tsx bench/gate/main.ts",
    "bench:gate:limits": "tsx bench/gate/limits.ts",
    "bench:kubernetes": "tsx bench/kubernetes/target-operations.ts",
    "bench:startup": "tsx bench/startup/main.ts"
  }
};

// src/version.ts
var VERSION = package_default.version;

export {
  VERSION
};
