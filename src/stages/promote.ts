import { CheckFailedError } from '../core/errors.js';
import {
  afterChange,
  openLedger,
  statusSummary,
  trackRelease,
  withTarget,
} from './deploy-support.js';
import type { StageContext, StageDefinition, StageOutcome } from './types.js';

async function runPromote(ctx: StageContext): Promise<StageOutcome> {
  const ledger = openLedger(ctx);
  return withTarget(ctx, async (target) => {
    const before = await target.status();
    const canary = trackRelease(before, 'canary');
    if (!canary)
      throw new CheckFailedError(
        'no canary is deployed, so there is nothing to promote; run model-delivery deploy first',
        'no_canary',
      );
    const status = await target.promote();
    const note = ledger
      ? await afterChange(
          ctx,
          'mark the deployment successful',
          async () =>
            (await ledger.close('success', `${canary.version} promoted to stable`))?.deploymentId,
        )
      : undefined;
    return {
      status: 'success',
      reason: 'promoted',
      message: `${canary.version} is stable; canary and baseline removed`,
      details: { release: canary, status, ledger: note },
      outputs: {
        version: canary.version,
        ...(status.frontUrl ? { 'front-url': status.frontUrl } : {}),
      },
      summary: statusSummary(status, note),
    };
  });
}

export const promoteStage: StageDefinition = {
  name: 'promote',
  description: "make the canary's release stable; remove canary and baseline",
  run: runPromote,
};
