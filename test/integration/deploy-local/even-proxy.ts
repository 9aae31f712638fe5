// The local target's front proxy (startFrontProxy, the same routing code) with even draws
// instead of Math.random: 0.5, 1.5, … 99.5 %, so sequential requests split exactly
// `percent` of each hundred to canary and to baseline, and a gate's counts are exact.
import { startFrontProxy } from '../../../src/targets/local-proxy.js';

const [stateFile, port] = process.argv.slice(2);
let draw = 0;
await startFrontProxy({
  stateFile: stateFile ?? '',
  port: Number(port),
  random: () => ((draw++ % 100) + 0.5) / 100,
});
