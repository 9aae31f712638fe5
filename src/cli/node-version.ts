/** The oldest Node the bundle runs on (package.json `engines`; execa 9 and undici need it). */
export const MINIMUM_NODE = '20.18.1';

function parts(version: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Why this Node cannot run model-delivery, or undefined when it can. Pure, for a table test. */
export function nodeVersionProblem(version: string, minimum = MINIMUM_NODE): string | undefined {
  const have = parts(version);
  const need = parts(minimum) as [number, number, number];
  const older =
    !have || have[0] * 1e6 + have[1] * 1e3 + have[2] < need[0] * 1e6 + need[1] * 1e3 + need[2];
  if (!older) return undefined;
  return `Node ${version} is too old: model-delivery needs Node >= ${minimum}. In a workflow the action installs one with actions/setup-node when the node on PATH is older; elsewhere install Node ${minimum} or newer (a container job needs it in its image or the action's setup-node step).`;
}
