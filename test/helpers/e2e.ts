import { execFileSync } from 'node:child_process';

/** True when MODEL_DELIVERY_REQUIRE_E2E=1 (set by .ci/run): a missing binary fails instead of skipping. */
export const requireE2E = process.env.MODEL_DELIVERY_REQUIRE_E2E === '1';

export function hasBinary(name: string): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v "$0"', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * For `describe.skipIf(!e2e('buildah', 'docker-registry'))`: true when every binary is on
 * PATH. When one is missing and MODEL_DELIVERY_REQUIRE_E2E=1, it throws at collection time,
 * so the run fails and names the binary.
 */
export function e2e(...binaries: string[]): boolean {
  const missing = binaries.filter((b) => !hasBinary(b));
  if (missing.length === 0) return true;
  if (requireE2E) {
    throw new Error(
      `MODEL_DELIVERY_REQUIRE_E2E=1 but ${missing.join(', ')} not on PATH; install it (see .ci/run)`,
    );
  }
  return false;
}
