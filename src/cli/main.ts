// First: refuse a Node that is too old before any other module is evaluated.
import './require-node.js';
import module from 'node:module';
import { isVersionRequest } from './version-request.js';

// The entry point: dispatch only. Everything else lives in execute.ts and the stages.
// Node ≥ 22.1 can keep compiled code on disk, so the later steps of a job start faster;
// Node 20 has no compile cache and starts as before. Enabled before the rest is imported.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const argv = process.argv.slice(2);
if (isVersionRequest(argv)) {
  // Asked at the start of jobs and by tools probing the CLI: nothing else needs to load.
  const { VERSION } = await import('../version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  const { executeCli } = await import('./execute.js');
  process.exitCode = await executeCli({
    argv,
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
