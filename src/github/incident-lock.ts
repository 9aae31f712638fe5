import { statusOf, type BotOctokit, type RepoRef } from './bot-octokit.js';

/**
 * Git refs as the bot's shared state. Creating a ref is atomic on GitHub: of two replicas
 * that create the same ref at the same moment, one gets 201 and the other 422 "Reference
 * already exists". The bot uses that as a lock and records each step as a ref name.
 */
export interface IncidentRefs {
  /** Creates `refs/<name>` at `sha`: `created`, or `exists` when it was there already. */
  create(name: string, sha: string): Promise<'created' | 'exists'>;
  /** The sha `refs/<name>` points at, or undefined. */
  get(name: string): Promise<string | undefined>;
  exists(name: string): Promise<boolean>;
  remove(name: string): Promise<void>;
}

export function createIncidentRefs(octokit: BotOctokit, where: RepoRef): IncidentRefs {
  const get = async (name: string) => {
    try {
      const res = await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
        ...where,
        ref: name,
      });
      return res.data.object.sha;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  };
  return {
    async create(name, sha) {
      try {
        await octokit.request('POST /repos/{owner}/{repo}/git/refs', {
          ...where,
          ref: `refs/${name}`,
          sha,
        });
        return 'created';
      } catch (error) {
        if (statusOf(error) === 422 && /already exists/i.test(String((error as Error).message)))
          return 'exists';
        throw error;
      }
    },
    get,
    exists: async (name) => (await get(name)) !== undefined,
    async remove(name) {
      try {
        await octokit.request('DELETE /repos/{owner}/{repo}/git/refs/{ref}', {
          ...where,
          ref: name,
        });
      } catch (error) {
        if (statusOf(error) !== 404 && statusOf(error) !== 422) throw error;
      }
    },
  };
}
