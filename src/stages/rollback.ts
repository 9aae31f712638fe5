import { errorMessage } from '../core/errors.js';
import { releaseFromRef } from '../targets/release.js';
import type { Release } from '../targets/types.js';
import {
  afterChange,
  openLedger,
  statusSummary,
  trackRelease,
  withTarget,
} from './deploy-support.js';
import type { StageContext, StageDefinition, StageOutcome } from './types.js';

/**
 * With a canary in flight: abort it (stable untouched), which is what the action does after
 * a failed gate. Otherwise: roll stable back to `--to`, or to the release before it.
 */
async function runRollback(ctx: StageContext): Promise<StageOutcome<'rollback'>> {
  const ledger = openLedger(ctx);
  return withTarget(ctx, async (target) => {
    const before = await target.status();
    const canary =
      trackRelease(before, 'canary') ??
      trackRelease(before, 'baseline') ??
      // An abort a crash interrupted is finished as the abort it was, not as a rollback of stable.
      (before.interrupted?.operation === 'abort'
        ? { version: before.interrupted.version ?? '?', sha: '', image: '' }
        : undefined);
    if (canary && !ctx.flags.to) {
      const status = await target.abort();
      const gate = ctx.reports.load('gate');
      const why = gate && gate.status !== 'success' ? `gate: ${gate.reason}` : 'rolled back';
      const note = ledger
        ? await afterChange(
            ctx,
            'mark the deployment failed',
            async () =>
              (await ledger.close('failure', `canary ${canary.version} aborted (${why})`))
                ?.deploymentId,
          )
        : undefined;
      return {
        status: 'success',
        reason: 'canary_aborted',
        message: `canary ${canary.version} removed; stable ${trackRelease(status, 'stable')?.version ?? '?'} untouched`,
        details: { aborted: canary, status, ledger: note },
        outputs: {
          version: trackRelease(status, 'stable')?.version ?? '',
          ...(status.frontUrl ? { 'front-url': status.frontUrl } : {}),
        },
        summary: statusSummary(status, note),
      };
    }

    const from = trackRelease(before, 'stable');
    let to: Release | undefined;
    let known: Release[] = [];
    if (ledger) {
      try {
        known = await ledger.successfulReleases();
      } catch (e) {
        ctx.log.warn(
          `GitHub Deployments: could not read earlier releases (${errorMessage(e)}); using the target's own history`,
        );
      }
    }
    if (ctx.flags.to) to = releaseFromRef(ctx.flags.to, known, ctx.config.deploy.target);
    else to = known.find((r) => !from || r.image !== from.image);
    const status = await target.rollback(to);
    const now = trackRelease(status, 'stable');
    // `--to` with a canary in flight removes the canary too; its open deployment failed.
    const canaryNote =
      canary && ledger
        ? await afterChange(
            ctx,
            'mark the deployment failed',
            async () =>
              (await ledger.close('failure', `canary ${canary.version} removed by a rollback`))
                ?.deploymentId,
          )
        : undefined;
    const note =
      ledger && now
        ? now.sha
          ? await afterChange(ctx, 'record the rollback', () => ledger.recordRollback(now, from))
          : {
              ok: false,
              action: 'record the rollback',
              error: `the commit of ${now.version} is unknown, so it is not recorded`,
            }
        : undefined;
    if (note && !note.ok && note.error?.includes('commit'))
      ctx.log.warn(`GitHub Deployments: ${note.error}`);
    return {
      status: 'success',
      reason: 'rolled_back',
      message: `stable rolled back from ${from?.version ?? 'nothing'} to ${now?.version ?? '?'}`,
      details: {
        from,
        to: now,
        status,
        ledger: note,
        ...(canaryNote ? { canaryLedger: canaryNote } : {}),
      },
      outputs: {
        version: now?.version ?? '',
        ...(status.frontUrl ? { 'front-url': status.frontUrl } : {}),
      },
      summary: statusSummary(status, note),
    };
  });
}

export const rollbackStage: StageDefinition<'rollback'> = {
  name: 'rollback',
  description:
    'abort the canary in flight; or roll stable back to --to <ref> or the previous release',
  run: runRollback,
};
