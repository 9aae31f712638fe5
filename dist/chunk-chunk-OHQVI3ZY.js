#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  execProgram
} from "./chunk-chunk-VV2JPDBC.js";
import {
  EnvironmentError
} from "./chunk-chunk-JOF44I4G.js";

// src/core/git.ts
var GIT_TIMEOUT_MS = 3e4;
async function runGit(cwd, args) {
  const { exitCode, stdout, tail } = await execProgram({
    argv: ["git", ...args],
    cwd,
    timeoutMs: GIT_TIMEOUT_MS,
    captureStdout: true,
    tailLines: 5,
    label: "git",
    timeoutHint: "is the repository on a slow or locked filesystem?"
  });
  return { exitCode, stdout, tail };
}
async function gitQuery(cwd, args) {
  try {
    const result = await runGit(cwd, args);
    const out = result.stdout.trim();
    return result.exitCode === 0 && out ? out : void 0;
  } catch (e) {
    if (e instanceof EnvironmentError) return void 0;
    throw e;
  }
}

export {
  runGit,
  gitQuery
};
