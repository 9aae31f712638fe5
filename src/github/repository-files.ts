import { statusOf, type BotOctokit, type RepoRef } from './bot-octokit.js';

export interface RepositoryInfo {
  defaultBranch: string;
  htmlUrl: string;
}

/** A repository's metadata and one text file from its default branch. */
export interface RepositoryFiles {
  info(): Promise<RepositoryInfo>;
  /** The file's text at `ref` (default: the default branch), or undefined when it does not exist. */
  read(path: string, ref?: string): Promise<string | undefined>;
}

export function createRepositoryFiles(octokit: BotOctokit, where: RepoRef): RepositoryFiles {
  return {
    async info() {
      const res = await octokit.request('GET /repos/{owner}/{repo}', { ...where });
      return { defaultBranch: res.data.default_branch, htmlUrl: res.data.html_url };
    },
    async read(path, ref) {
      try {
        const res = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
          ...where,
          path,
          ...(ref ? { ref } : {}),
        });
        const data = res.data;
        if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
        return Buffer.from(data.content, 'base64').toString('utf8');
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },
  };
}
