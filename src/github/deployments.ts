import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Release } from '../targets/types.js';
import type { ActionOctokit } from './action-octokit.js';
import { ledgerPayload, readLedgerPayload } from './ledger-payload.js';

/** The four Deployments methods the ledger uses; tests pass an Octokit pointed at the GitHub fake. */
export type DeploymentsApi = Pick<
  ActionOctokit['rest']['repos'],
  'createDeployment' | 'createDeploymentStatus' | 'listDeployments' | 'listDeploymentStatuses'
>;

export type LedgerState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

export type { LedgerPayload } from './ledger-payload.js';

/** Kept in `.model-delivery/ledger.json`, so promote and rollback (separate calls) find the deployment. */
export interface OpenDeployment {
  deploymentId: number;
  environment: string;
  release: Release;
  createdAt: string;
}

export interface LedgerOptions {
  owner: string;
  repo: string;
  environment: string;
  /** The run's page: shown on the deployment. */
  logUrl?: string;
  environmentUrl?: string;
  /** `.model-delivery/ledger.json`. */
  stateFile: string;
}

/** Deployment statuses allow 140 characters of description. */
export function shortDescription(text: string): string {
  return text.length <= 140 ? text : `${text.slice(0, 139)}…`;
}

export function deploymentRequest(
  release: Release,
  previous: Release | undefined,
  environment: string,
) {
  const payload = ledgerPayload(release, previous);
  return {
    ref: release.sha,
    environment,
    payload: payload as unknown as Record<string, unknown>,
    auto_merge: false,
    // The pipeline's own checks have run; GitHub must not block on other contexts.
    required_contexts: [] as string[],
    production_environment: environment === 'production',
    transient_environment: false,
    description: shortDescription(`model-delivery ${release.version} (${release.image})`),
  };
}

/**
 * The GitHub Deployments ledger of what is live: deploy opens a deployment (in_progress),
 * promote closes it with success, an aborted canary with failure, and a rollback records
 * the release it went back to as a new successful deployment.
 */
export class ReleaseLedger {
  constructor(
    private readonly api: DeploymentsApi,
    private readonly options: LedgerOptions,
  ) {}

  private get where() {
    return { owner: this.options.owner, repo: this.options.repo };
  }

  /** Creates the deployment and its in_progress status; remembers it for the next calls. */
  async open(release: Release, previous?: Release): Promise<OpenDeployment> {
    const id = await this.create(release, previous);
    await this.setStatus(id, 'in_progress', `canary ${release.version} deploying`);
    const open: OpenDeployment = {
      deploymentId: id,
      environment: this.options.environment,
      release,
      createdAt: new Date().toISOString(),
    };
    this.remember(open);
    return open;
  }

  /** Closes the open deployment (from the state file, else the newest in_progress one on GitHub). */
  async close(
    state: Exclude<LedgerState, 'in_progress'>,
    description: string,
  ): Promise<OpenDeployment | undefined> {
    const open = this.recalled() ?? (await this.findInProgress());
    if (!open) return undefined;
    await this.setStatus(open.deploymentId, state, description);
    this.forget();
    return open;
  }

  /** A rollback: the earlier release is live again, recorded as a new successful deployment of its commit. */
  async recordRollback(release: Release, from?: Release): Promise<number> {
    const id = await this.create(release, from);
    await this.setStatus(id, 'success', `rolled back to ${release.version}`);
    return id;
  }

  /** Successful releases of the environment, newest first, as recorded in payloads. */
  async successfulReleases(limit = 30): Promise<Array<Release & { deploymentId: number }>> {
    const { data } = await this.api.listDeployments({
      ...this.where,
      environment: this.options.environment,
      per_page: limit,
    });
    const releases: Array<Release & { deploymentId: number }> = [];
    for (const d of data) {
      const { data: statuses } = await this.api.listDeploymentStatuses({
        ...this.where,
        deployment_id: d.id,
        per_page: 1,
      });
      const state = statuses[0]?.state;
      if (state !== 'success' && state !== 'inactive') continue;
      const payload = readLedgerPayload(d.payload);
      if (!payload) continue;
      releases.push({
        deploymentId: d.id,
        sha: d.sha,
        version: payload.version,
        image: payload.image,
        ...(payload.digest ? { digest: payload.digest } : {}),
      });
    }
    return releases;
  }

  private async create(release: Release, previous: Release | undefined): Promise<number> {
    const response = await this.api.createDeployment({
      ...this.where,
      ...deploymentRequest(release, previous, this.options.environment),
      // Not retried blindly: a retried POST could record the deployment twice.
      request: { retries: 0 },
    });
    if (response.status !== 201 || !('id' in response.data)) {
      throw new Error(
        `GitHub did not create the deployment (HTTP ${response.status}: ${'message' in response.data ? String(response.data.message) : 'no id'})`,
      );
    }
    return Number(response.data.id);
  }

  private async setStatus(id: number, state: LedgerState, description: string): Promise<void> {
    await this.api.createDeploymentStatus({
      ...this.where,
      deployment_id: id,
      state,
      description: shortDescription(description),
      ...(this.options.logUrl ? { log_url: this.options.logUrl } : {}),
      ...(this.options.environmentUrl ? { environment_url: this.options.environmentUrl } : {}),
    });
  }

  private async findInProgress(): Promise<OpenDeployment | undefined> {
    const { data } = await this.api.listDeployments({
      ...this.where,
      environment: this.options.environment,
      per_page: 10,
    });
    for (const d of data) {
      const { data: statuses } = await this.api.listDeploymentStatuses({
        ...this.where,
        deployment_id: d.id,
        per_page: 1,
      });
      if (statuses[0]?.state !== 'in_progress') continue;
      const payload = readLedgerPayload(d.payload);
      return {
        deploymentId: d.id,
        environment: this.options.environment,
        release: {
          sha: d.sha,
          version: payload?.version ?? d.sha.slice(0, 7),
          image: payload?.image ?? '',
        },
        createdAt: d.created_at,
      };
    }
    return undefined;
  }

  private recalled(): OpenDeployment | undefined {
    if (!existsSync(this.options.stateFile)) return undefined;
    const open = JSON.parse(readFileSync(this.options.stateFile, 'utf8')) as OpenDeployment | null;
    return open?.environment === this.options.environment ? open : undefined;
  }

  private remember(open: OpenDeployment): void {
    mkdirSync(dirname(this.options.stateFile), { recursive: true });
    writeFileSync(this.options.stateFile, `${JSON.stringify(open, null, 2)}\n`);
  }

  private forget(): void {
    writeFileSync(this.options.stateFile, 'null\n');
  }
}
