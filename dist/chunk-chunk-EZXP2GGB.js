#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);

// src/settings/github-context.ts
import { existsSync, readFileSync } from "node:fs";
function readGitHubContext(env) {
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const pr = event.pull_request?.number;
  const repository = event.repository;
  return {
    actions: env.GITHUB_ACTIONS === "true",
    eventName: env.GITHUB_EVENT_NAME || void 0,
    sha: env.GITHUB_SHA || void 0,
    ref: env.GITHUB_REF || void 0,
    refName: env.GITHUB_REF_NAME || void 0,
    baseRef: env.GITHUB_BASE_REF || void 0,
    headRef: env.GITHUB_HEAD_REF || void 0,
    defaultBranch: repository?.default_branch,
    repository: env.GITHUB_REPOSITORY || void 0,
    serverUrl: env.GITHUB_SERVER_URL || "https://github.com",
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    runId: env.GITHUB_RUN_ID || void 0,
    runAttempt: env.GITHUB_RUN_ATTEMPT || void 0,
    actor: env.GITHUB_ACTOR || void 0,
    // The action's github-token input (default github.token); GITHUB_TOKEN for the CLI.
    token: env["INPUT_GITHUB-TOKEN"]?.trim() || env.GITHUB_TOKEN || void 0,
    pullRequestNumber: typeof pr === "number" ? pr : void 0,
    workspace: env.GITHUB_WORKSPACE || void 0,
    outputFile: env.GITHUB_OUTPUT || void 0,
    summaryFile: env.GITHUB_STEP_SUMMARY || void 0
  };
}
function readEvent(path) {
  if (!path || !existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return {};
  }
}

export {
  readGitHubContext
};
