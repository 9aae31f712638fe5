import { join } from 'node:path';
import { errorMessage } from '../core/errors.js';
import { createActionOctokit, parseRepository } from '../github/action-octokit.js';
import { ReleaseLedger } from '../github/deployments.js';
import { STATUS_EMOJI, markdownTable } from '../report/markdown.js';
import { runUrl } from '../settings/github-context.js';
import { createDeployTarget } from '../targets/factory.js';
import type { DeployTarget, TargetStatus } from '../targets/types.js';
import type { StageContext } from './types.js';

/** The ledger, when the job can write it (GITHUB_TOKEN and GITHUB_REPOSITORY set); otherwise undefined. */
export function openLedger(ctx: StageContext): ReleaseLedger | undefined {
  const { token, repository, apiUrl } = ctx.github;
  if (!token || !repository) return undefined;
  const octokit = createActionOctokit({ token, apiUrl });
  return new ReleaseLedger(octokit.rest.repos, {
    ...parseRepository(repository),
    environment: ctx.config.deploy.environment,
    logUrl: runUrl(ctx.github),
    environmentUrl: ctx.config.deploy.url,
    stateFile: join(ctx.root, '.model-delivery', 'ledger.json'),
  });
}

export interface LedgerNote {
  ok: boolean;
  action: string;
  deploymentId?: number;
  error?: string;
}

/**
 * A ledger write after the target already changed: failing it would not undo the change,
 * so a failure is a warning recorded in the report, never a reason to touch the target again.
 */
export async function afterChange(
  ctx: StageContext,
  action: string,
  write: () => Promise<number | undefined>,
): Promise<LedgerNote> {
  try {
    const deploymentId = await write();
    return { ok: true, action, deploymentId };
  } catch (e) {
    const error = errorMessage(e);
    ctx.log.warn(
      `GitHub Deployments ledger: could not ${action}: ${error}; the target was changed, the ledger is behind`,
      {
        title: 'Ledger not updated',
      },
    );
    return { ok: false, action, error };
  }
}

/** Runs `fn` with the configured target, releasing it afterwards. */
export async function withTarget<T>(
  ctx: StageContext,
  fn: (target: DeployTarget) => Promise<T>,
): Promise<T> {
  const target = await createDeployTarget(ctx);
  try {
    return await fn(target);
  } finally {
    await target.dispose?.();
  }
}

export function statusSummary(status: TargetStatus, ledger?: LedgerNote): string {
  const rows = status.tracks.map((t) => [
    t.track,
    t.release?.version ?? '',
    t.release?.image ?? '',
    t.replicas ?? '',
    `${t.ready ? STATUS_EMOJI.success : STATUS_EMOJI.failure} ${t.ready ? 'ready' : 'not ready'}`,
  ]);
  const parts = [
    rows.length
      ? markdownTable(['track', 'version', 'image', 'replicas', 'state'], rows)
      : '_nothing is deployed_',
  ];
  if (status.frontUrl) parts.push(`Front: ${status.frontUrl}`);
  if (status.forced) parts.push(`${STATUS_EMOJI.warning} **${status.forced}**`);
  for (const w of status.warnings ?? []) parts.push(`${STATUS_EMOJI.warning} ${w}`);
  if (ledger) {
    parts.push(
      ledger.ok
        ? `GitHub Deployments: ${ledger.action}${ledger.deploymentId ? ` (deployment ${ledger.deploymentId})` : ''}`
        : `${STATUS_EMOJI.warning} GitHub Deployments not updated (${ledger.action}): ${ledger.error}`,
    );
  }
  return parts.join('\n\n');
}

export function trackRelease(status: TargetStatus, track: 'stable' | 'canary' | 'baseline') {
  return status.tracks.find((t) => t.track === track)?.release;
}
