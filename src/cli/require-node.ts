import { nodeVersionProblem } from './node-version.js';

// Imported first by main.ts, so the check runs before the CLI does anything: a clear
// message and exit 3 (environment) instead of a crash somewhere in a dependency.
const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`model-delivery: ${problem}\n`);
  process.exit(3);
}
