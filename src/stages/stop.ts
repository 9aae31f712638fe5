import { UsageError } from '../core/errors.js';
import { createLocalTarget } from '../targets/local.js';
import type { StageContext, StageDefinition, StageOutcome } from './types.js';

/** Ends every process the local target started (a command, not a pipeline stage). */
async function runStop(ctx: StageContext): Promise<StageOutcome<'stop'>> {
  if (ctx.config.deploy.target !== 'local') {
    throw new UsageError(
      `stop ends the local target's processes; deploy.target is ${ctx.config.deploy.target} (use rollback, or kubectl, there)`,
    );
  }
  const { stopped, warnings } = await createLocalTarget(ctx).stop();
  return {
    status: 'success',
    reason: 'stopped',
    message: stopped.length
      ? `stopped ${stopped.map((s) => `${s.what} (pid ${s.pid})`).join(', ')}`
      : 'nothing was running',
    details: { stopped, warnings },
    summary: stopped.length
      ? `Stopped: ${stopped.map((s) => `${s.what} (pid ${s.pid})`).join(', ')}`
      : 'Nothing was running.',
  };
}

export const stopCommand: StageDefinition<'stop'> = {
  name: 'stop',
  description: 'stop every process the local target started (proxy, stable, baseline, canary)',
  run: runStop,
};
