#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);

// src/cli/version-request.ts
function isVersionRequest(argv) {
  return argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V");
}

export {
  isVersionRequest
};
