// First: refuse a Node that is too old before any other module is evaluated.
import './require-node.js';
import { executeCli } from './execute.js';

// The entry point: dispatch only. Everything else lives in execute.ts and the stages.
process.exitCode = await executeCli({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
});
