import { gitQuery } from '../core/git.js';

/** What the build needs to know from git when not in Actions (or beyond what Actions tells). */
export interface GitInfo {
  sha?: string;
  branch?: string;
  /** origin's default branch (origin/HEAD), when the clone knows it. */
  defaultBranch?: string;
  remoteUrl?: string;
}

/** Reads HEAD, the branch, origin's default branch and origin's URL; anything git cannot tell stays undefined. */
export async function readGitInfo(cwd: string): Promise<GitInfo> {
  const git = (...args: string[]) => gitQuery(cwd, args);
  const [sha, branch, originHead, remoteUrl] = await Promise.all([
    git('rev-parse', '--verify', 'HEAD'),
    git('symbolic-ref', '--quiet', '--short', 'HEAD'),
    git('symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'),
    git('remote', 'get-url', 'origin'),
  ]);
  return { sha, branch, defaultBranch: originHead?.replace(/^origin\//, ''), remoteUrl };
}
