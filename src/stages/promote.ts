import { hostname } from 'node:os';
import { UsageError } from '../core/errors.js';
import type { PromoteOptions } from '../targets/evidence.js';
import {
  afterChange,
  openLedger,
  statusSummary,
  trackRelease,
  withTarget,
} from './deploy-support.js';
import type { StageContext, StageDefinition, StageOutcome } from './types.js';

/**
 * The override of the gate: `--force --reason` (or the action's `force` and `reason`
 * inputs). Both or neither; who overrode is the workflow's actor, or user@host locally.
 */
export function promoteOptions(
  ctx: Pick<StageContext, 'flags' | 'github' | 'inputs'>,
): PromoteOptions {
  const { force, reason } = ctx.flags;
  if (!force) {
    if (reason !== undefined)
      throw new UsageError('--reason goes with --force (promote --force --reason "<why>")');
    return {};
  }
  if (!reason?.trim())
    throw new UsageError(
      'promote --force needs --reason "<why>": a promotion without a passing gate is recorded with who did it and why',
      'reason_required',
    );
  const actor = ctx.github.actor ?? `${ctx.inputs.user ?? 'someone'}@${hostname()}`;
  return { override: { actor, reason: reason.trim() } };
}

async function runPromote(ctx: StageContext): Promise<StageOutcome<'promote'>> {
  const options = promoteOptions(ctx);
  const ledger = openLedger(ctx);
  return withTarget(ctx, async (target) => {
    // The target checks the canary and the gate's verdict under its lock, and finishes an
    // interrupted promote first; what it made stable is what this reports.
    const status = await target.promote(options);
    const promoted = trackRelease(status, 'stable');
    const version = promoted?.version ?? '?';
    const description = status.forced
      ? `${version} ${status.forced}`
      : `${version} promoted to stable`;
    if (status.forced) ctx.log.warn(`${version} ${status.forced}`, { title: 'Gate overridden' });
    const note = ledger
      ? await afterChange(
          ctx,
          'mark the deployment successful',
          async () => (await ledger.close('success', description))?.deploymentId,
        )
      : undefined;
    return {
      status: 'success',
      reason: status.forced ? 'promoted_without_gate' : 'promoted',
      message: status.forced
        ? `${version} is stable; ${status.forced}`
        : `${version} is stable; canary and baseline removed`,
      details: {
        release: promoted,
        status,
        ledger: note,
        ...(status.forced ? { forced: status.forced } : {}),
        ...(status.gate ? { gate: status.gate } : {}),
      },
      outputs: {
        version,
        ...(status.frontUrl ? { 'front-url': status.frontUrl } : {}),
      },
      summary: statusSummary(status, note),
    };
  });
}

export const promoteStage: StageDefinition<'promote'> = {
  name: 'promote',
  description:
    "make the canary's release stable, if the gate passed it (--force --reason to override)",
  run: runPromote,
};
