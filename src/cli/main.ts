// First: refuse a Node that is too old before any other module is evaluated.
import './require-node.js';
import module from 'node:module';

// The entry point: dispatch only. Everything else lives in execute.ts and the stages.
// Node ≥ 22.1 can keep compiled code on disk, so the later steps of a job start faster;
// Node 20 has no compile cache and starts as before. Enabled before the rest is imported.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { executeCli } = await import('./execute.js');

process.exitCode = await executeCli({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
});
