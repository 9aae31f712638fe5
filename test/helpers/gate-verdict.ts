import { loadConfig } from '../../src/config/load.js';
import { parseOverride } from '../../src/config/overrides.js';
import { memoryLogger } from '../../src/core/log.js';
import { canaryIdentity, type GateRecord } from '../../src/targets/evidence.js';
import { createLocalTarget } from '../../src/targets/local.js';
import type { DeployTarget } from '../../src/targets/types.js';

/**
 * Records a gate verdict for the live canary through the target's own recordVerdict (what
 * the gate stage calls), for tests about deploy and promote that do not run a whole gate.
 */
export async function recordVerdict(
  target: DeployTarget,
  verdict: GateRecord['verdict'] = 'pass',
): Promise<GateRecord> {
  const status = await target.status();
  const canary = status.tracks.find((t) => t.track === 'canary');
  if (!canary?.release) throw new Error('no canary to record a verdict for');
  const record: GateRecord = {
    verdict,
    reason: verdict === 'pass' ? 'all_metrics_pass' : 'test_verdict',
    canary: canaryIdentity(canary.release, canary.deployedAt ?? 'unknown'),
    at: new Date().toISOString(),
  };
  await target.recordVerdict(record);
  return record;
}

/** The same for a local project directory (its .github/model-delivery.yml, with `--set` overrides). */
export async function recordLocalVerdict(
  root: string,
  sets: string[] = [],
  verdict: GateRecord['verdict'] = 'pass',
): Promise<GateRecord> {
  const { config } = loadConfig({ cwd: root, overrides: sets.map(parseOverride), env: {} });
  return recordVerdict(createLocalTarget({ config, root, env: {}, log: memoryLogger() }), verdict);
}
