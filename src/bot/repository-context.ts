import type { BotOctokit, RepoRef } from '../github/bot-octokit.js';
import { statusOf } from '../github/bot-octokit.js';
import { createDeploymentLedger, type Releases } from '../github/deployment-ledger.js';
import { createRepositoryFiles, type RepositoryInfo } from '../github/repository-files.js';
import {
  NOT_OPTED_IN,
  parseRepoBotConfig,
  REPO_CONFIG_PATH,
  type RepoConfigResult,
} from './repo-config.js';

export interface RepositoryServices {
  where: RepoRef;
  octokit: BotOctokit;
  config: RepoConfigResult;
  info(): Promise<RepositoryInfo>;
  /** The environment's live and last good releases, reused for `ledgerCacheMs` unless `fresh`. */
  releases(environment: string, options?: { fresh?: boolean }): Promise<Releases>;
  recentShas(environment: string, count: number): Promise<string[]>;
  /** The ref workflows are dispatched on: `bot.workflowRef`, else the default branch. */
  dispatchRef(): Promise<string>;
  /** Whether `.github/workflows/<workflow>` exists on `ref` (reused for `repoCacheMs`). */
  workflowPresent(workflow: string, ref: string): Promise<boolean>;
}

export interface RepositoryContexts {
  /** Undefined when the app is not installed on the repository. */
  get(where: RepoRef): Promise<RepositoryServices | undefined>;
  /** For webhooks: the installation is known, so no lookup is needed. */
  forInstallation(where: RepoRef, installationId: number): Promise<RepositoryServices>;
}

export interface RepositoryContextOptions {
  /** An Octokit authenticated as the app (JWT). */
  appOctokit: () => Promise<BotOctokit>;
  installationOctokit: (installationId: number) => Promise<BotOctokit>;
  repoCacheMs: number;
  ledgerCacheMs: number;
  now?: () => number;
}

interface Cached<T> {
  expires: number;
  value: Promise<T>;
}

/**
 * Per repository: its installation, its `bot:` config and its ledger, each cached for a
 * short time so that a storm of deliveries does not read them again and again. Failures are
 * never cached.
 */
export function createRepositoryContexts(options: RepositoryContextOptions): RepositoryContexts {
  const now = options.now ?? Date.now;
  const repos = new Map<string, Cached<RepositoryServices | undefined>>();
  const installations = new Map<number, Promise<BotOctokit>>();

  function cached<T>(
    map: Map<string, Cached<T>>,
    key: string,
    ttl: number,
    load: () => Promise<T>,
    fresh = false,
  ): Promise<T> {
    const hit = map.get(key);
    if (!fresh && hit && hit.expires > now()) return hit.value;
    const value = load();
    map.set(key, { expires: now() + ttl, value });
    value.catch(() => map.delete(key));
    if (map.size > 5000) map.delete(map.keys().next().value as string);
    return value;
  }

  function octokitFor(id: number): Promise<BotOctokit> {
    let o = installations.get(id);
    if (!o) {
      o = options.installationOctokit(id);
      o.catch(() => installations.delete(id));
      installations.set(id, o);
    }
    return o;
  }

  async function build(where: RepoRef, octokit: BotOctokit): Promise<RepositoryServices> {
    const files = createRepositoryFiles(octokit, where);
    const text = await files.read(REPO_CONFIG_PATH);
    const config = text === undefined ? NOT_OPTED_IN : parseRepoBotConfig(text);
    const ledger = createDeploymentLedger(octokit, where, {
      revertLabel: config.ok ? config.config.labels.revert : undefined,
    });
    const ledgers = new Map<string, Cached<Releases>>();
    const workflows = new Map<string, Cached<boolean>>();
    let info: Promise<RepositoryInfo> | undefined;
    const readInfo = () => {
      info ??= files.info();
      info.catch(() => (info = undefined));
      return info;
    };
    return {
      where,
      octokit,
      config,
      info: readInfo,
      dispatchRef: async () =>
        (config.ok ? config.config.workflowRef : undefined) ?? (await readInfo()).defaultBranch,
      workflowPresent: (workflow, ref) =>
        cached(workflows, `${ref}\u0000${workflow}`, options.repoCacheMs, async () => {
          const path = `.github/workflows/${workflow.replace(/^\.github\/workflows\//, '')}`;
          return (await files.read(path, ref)) !== undefined;
        }),
      recentShas: (environment, count) => ledger.recentShas(environment, count),
      releases: (environment, o) =>
        cached(
          ledgers,
          environment,
          options.ledgerCacheMs,
          () => ledger.releases(environment),
          o?.fresh,
        ),
    };
  }

  return {
    get(where) {
      const key = `${where.owner}/${where.repo}`.toLowerCase();
      return cached(repos, key, options.repoCacheMs, async () => {
        const app = await options.appOctokit();
        let id: number;
        try {
          const res = await app.request('GET /repos/{owner}/{repo}/installation', { ...where });
          id = res.data.id;
        } catch (error) {
          if (statusOf(error) === 404) return undefined;
          throw error;
        }
        return build(where, await octokitFor(id));
      });
    },
    async forInstallation(where, installationId) {
      const key = `${where.owner}/${where.repo}`.toLowerCase();
      const load = async () => build(where, await octokitFor(installationId));
      // A webhook proves the installation: a cached "not installed" is stale, so load again.
      const services = await cached(repos, key, options.repoCacheMs, load);
      return (
        services ??
        cached(repos, key, options.repoCacheMs, load, true).then((s) => s as RepositoryServices)
      );
    },
  };
}
