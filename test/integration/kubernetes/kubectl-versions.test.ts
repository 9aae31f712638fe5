import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Release } from '../../../src/targets/types.js';
import { e2e, hasBinary } from '../../helpers/e2e.js';
import { startHarness, type Harness } from '../../fakes/kubernetes/harness.js';
import { recordVerdict } from '../../helpers/gate-verdict.js';

const v2: Release = { version: 'v2', sha: 'f'.repeat(40), image: 'ghcr.io/example/classifier:v2' };

/**
 * The machine image's kubectl is the gcloud dispatcher: it runs kubectl.1.<server minor>
 * (27–31, 33) or its built-in 1.32. Clusters differ, so the flow runs with the oldest and
 * newest it ships (1.27 fetches /openapi/v2 even with --validate=false; a 404 is fine).
 */
const dispatcherDir = (() => {
  if (!hasBinary('kubectl')) return undefined;
  const path = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
  return dirname(realpathSync(path));
})();
const versions = ['27', '33'].filter(
  (minor) => dispatcherDir && existsSync(join(dispatcherDir, `kubectl.1.${minor}`)),
);

describe.skipIf(!e2e('kubectl') || versions.length === 0)(
  'kubectl versions the dispatcher picks',
  () => {
    let h: Harness | undefined;
    afterEach(async () => {
      await h?.close();
      h = undefined;
    });

    test.each(versions)('kubectl 1.%s: deploy, promote, rollback', async (minor) => {
      h = await startHarness({ minor });
      const target = h.target();
      await target.deployCanary(v2);
      await recordVerdict(target);
      await target.promote();
      expect(h.deployment('classifier')?.spec.template.spec.containers[0]?.image).toBe(v2.image);
      await target.rollback();
      expect(h.deployment('classifier')?.spec.template.spec.containers[0]?.image).toBe(
        'ghcr.io/example/classifier:latest',
      );
      const agents = new Set(
        h.fake.calls
          .map((c) => c.userAgent?.split(' ')[0])
          .filter((a) => a?.startsWith('kubectl/')),
      );
      expect([...agents].every((a) => a?.startsWith(`kubectl/v1.${minor}.`))).toBe(true);
    });
  },
);
