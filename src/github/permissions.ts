import { statusOf, type BotOctokit, type RepoRef } from './bot-octokit.js';

export type PermissionLevel = 'none' | 'read' | 'write' | 'admin';

const RANK: Record<PermissionLevel, number> = { none: 0, read: 1, write: 2, admin: 3 };

/** True when `actual` is at least `needed` (GitHub maps maintain to write and triage to read). */
export function permits(
  actual: PermissionLevel,
  needed: Exclude<PermissionLevel, 'none'>,
): boolean {
  return RANK[actual] >= RANK[needed];
}

export interface CollaboratorPermissions {
  /** The legacy permission of a user on the repository; `none` when not a collaborator. */
  levelOf(username: string): Promise<PermissionLevel>;
}

export function createCollaboratorPermissions(
  octokit: BotOctokit,
  where: RepoRef,
): CollaboratorPermissions {
  return {
    async levelOf(username) {
      try {
        const res = await octokit.request(
          'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
          {
            ...where,
            username,
          },
        );
        const p = res.data.permission;
        return p === 'admin' || p === 'write' || p === 'read' ? p : 'none';
      } catch (error) {
        if (statusOf(error) === 404) return 'none';
        throw error;
      }
    },
  };
}
