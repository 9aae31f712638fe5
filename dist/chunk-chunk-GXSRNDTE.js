#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  execProgram
} from "./chunk-chunk-VV2JPDBC.js";
import {
  splitCommand
} from "./chunk-chunk-YOU5EUFK.js";
import {
  ConfigError
} from "./chunk-chunk-JOF44I4G.js";

// src/core/run-command.ts
function toArgv(command, label = "command") {
  if (Array.isArray(command)) {
    if (command.length === 0 || !command[0])
      throw new ConfigError([`${label}: the command is empty`], "empty_command");
    return command;
  }
  const split = splitCommand(command);
  if ("problem" in split) throw new ConfigError([`${label}: ${split.problem}`], "invalid_command");
  return split.argv;
}
async function runCommand(options) {
  const { argv, exitCode, durationMs, tail } = await execProgram({
    argv: toArgv(options.command, options.label),
    cwd: options.cwd,
    env: options.env,
    // Like npm scripts: tools installed in node_modules/.bin of the project are found.
    preferLocal: true,
    timeoutMs: options.timeoutMs,
    onLine: (line) => options.log.info(line),
    tailLines: options.tailLines ?? 20,
    label: options.label,
    timeoutHint: "raise the timeout or make the command faster"
  });
  return { argv, exitCode, durationMs, tail };
}

export {
  toArgv,
  runCommand
};
