#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  isVersionRequest
} from "./chunk-chunk-AVKO466L.js";
import "./chunk-chunk-YW753B3X.js";

// src/cli/node-version.ts
var MINIMUM_NODE = "20.18.1";
function parts(version) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : void 0;
}
function nodeVersionProblem(version, minimum = MINIMUM_NODE) {
  const have = parts(version);
  const need = parts(minimum);
  const older = !have || have[0] * 1e6 + have[1] * 1e3 + have[2] < need[0] * 1e6 + need[1] * 1e3 + need[2];
  if (!older) return void 0;
  return `Node ${version} is too old: model-delivery needs Node >= ${minimum}. In a workflow the action installs one with actions/setup-node when the node on PATH is older; elsewhere install Node ${minimum} or newer (a container job needs it in its image or the action's setup-node step).`;
}

// src/cli/require-node.ts
var problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`model-delivery: ${problem}
`);
  process.exit(3);
}

// src/cli/main.ts
import module from "node:module";
module.enableCompileCache?.();
var argv = process.argv.slice(2);
if (isVersionRequest(argv)) {
  const { VERSION } = await import("./chunk-version-M7YPFIFE.js");
  process.stdout.write(`${VERSION}
`);
} else {
  const { executeCli } = await import("./chunk-execute-KLWM34EX.js");
  process.exitCode = await executeCli({
    argv,
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr
  });
}
