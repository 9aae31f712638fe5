import { initialShare } from '../config/sections/deploy.js';
import { ConfigError, EnvironmentError, errorMessage } from '../core/errors.js';
import { resolveRelease } from '../targets/release.js';
import {
  afterChange,
  openLedger,
  statusSummary,
  trackRelease,
  withTarget,
  type LedgerNote,
} from './deploy-support.js';
import type { StageContext, StageDefinition, StageOutcome } from './types.js';

async function runDeploy(ctx: StageContext): Promise<StageOutcome<'deploy'>> {
  // Checked before anything is recorded or started, so a config mistake leaves no trace.
  if (ctx.config.deploy.target === 'local' && !ctx.config.deploy.local.command) {
    throw new ConfigError([
      'deploy.local.command: required for the local target (the model server, e.g. "tsx src/server.ts")',
    ]);
  }
  const release = await resolveRelease({
    root: ctx.root,
    target: ctx.config.deploy.target,
    version: ctx.flags.version,
    image: ctx.flags.image,
    sha: ctx.github.sha,
    build: ctx.reports.load('build'),
  });
  const ledger = openLedger(ctx);
  return withTarget(ctx, async (target) => {
    const before = await target.status();
    const previous = trackRelease(before, 'stable');
    // The ledger is opened before the target changes: if GitHub refuses, nothing was deployed.
    // A canary already in flight fails in the target below; no deployment is opened for it.
    let deploymentId: number | undefined;
    if (ledger && release.sha && (!before.lock || ctx.flags.force)) {
      try {
        deploymentId = (await ledger.open(release, previous)).deploymentId;
      } catch (e) {
        throw new EnvironmentError(
          `GitHub Deployments: could not record the deployment of ${release.version}, so nothing was deployed: ${errorMessage(e)}`,
          'ledger_unavailable',
        );
      }
    } else if (ledger && !release.sha) {
      ctx.log.warn('GitHub Deployments: the release has no commit sha, so it is not recorded');
    }
    let status;
    try {
      status = await target.deployCanary(release, { force: ctx.flags.force });
    } catch (e) {
      if (deploymentId !== undefined && ledger)
        await afterChange(
          ctx,
          'mark the deployment failed',
          async () =>
            (await ledger.close('failure', `deploy failed: ${errorMessage(e)}`))?.deploymentId,
        );
      throw e;
    }
    const canary = trackRelease(status, 'canary');
    let note: LedgerNote | undefined;
    if (!canary && deploymentId !== undefined && ledger) {
      // First release: it went straight to stable, so it is live now.
      note = await afterChange(
        ctx,
        'mark the first release live',
        async () =>
          (await ledger.close('success', `${release.version} is stable (first release)`))
            ?.deploymentId,
      );
    } else if (deploymentId !== undefined) {
      note = { ok: true, action: 'deployment in progress', deploymentId };
    }
    return {
      status: 'success',
      reason: canary ? 'canary_deployed' : 'deployed_as_stable',
      message: canary
        ? `canary ${release.version} deployed beside baseline ${previous?.version ?? '?'} (${shareText(ctx.config.deploy)})`
        : `${release.version} deployed as stable (nothing was running, so no canary)`,
      details: { release, previous, status, ledger: note },
      outputs: {
        version: release.version,
        canary: canary ? 'true' : 'false',
        ...(status.frontUrl ? { 'front-url': status.frontUrl } : {}),
        ...(deploymentId !== undefined ? { 'deployment-id': String(deploymentId) } : {}),
      },
      summary: statusSummary(status, note),
    };
  });
}

/** "10% each", or with steps "10% each, the first of steps 10% → 25% → 50%". */
function shareText(deploy: StageContext['config']['deploy']): string {
  const each = `${initialShare(deploy)}% each`;
  return deploy.steps
    ? `${each}, the first of steps ${deploy.steps.map((p) => `${p}%`).join(' → ')} the gate raises`
    : each;
}

export const deployStage: StageDefinition<'deploy'> = {
  name: 'deploy',
  description:
    'start the new release as a canary beside a baseline of the stable one (--version <v>)',
  run: runDeploy,
};
