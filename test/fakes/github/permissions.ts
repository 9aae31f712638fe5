// What a GitHub App installation token needs for each operation the fake implements, after
// GitHub's "Permissions required for GitHub Apps" pages. `a|b` means either suffices, `a&b`
// both. Where the docs were unclear the weaker requirement is used, so the fake never
// refuses what GitHub would allow; a refusal here is a real gap in an app's permissions.

export type Level = 'read' | 'write' | 'admin';

const RANK: Record<Level, number> = { read: 1, write: 2, admin: 3 };

export const REQUIRED_PERMISSIONS: Record<string, string> = {
  'repos/get': 'metadata:read',
  'repos/get-content': 'contents:read',
  'repos/get-commit': 'contents:read',
  'repos/get-branch': 'metadata:read',
  'repos/get-collaborator-permission-level': 'metadata:read',
  'git/get-ref': 'contents:read',
  'git/create-ref': 'contents:write',
  'git/update-ref': 'contents:write',
  'git/delete-ref': 'contents:write',
  'repos/create-deployment': 'deployments:write',
  'repos/list-deployments': 'deployments:read',
  'repos/get-deployment': 'deployments:read',
  'repos/delete-deployment': 'deployments:write',
  'repos/create-deployment-status': 'deployments:write',
  'repos/list-deployment-statuses': 'deployments:read',
  'repos/get-deployment-status': 'deployments:read',
  'repos/list-pull-requests-associated-with-commit': 'pull_requests:read',
  'pulls/get': 'pull_requests:read',
  'pulls/list': 'pull_requests:read',
  'pulls/create': 'pull_requests:write',
  'pulls/update': 'pull_requests:write',
  'issues/create': 'issues:write',
  'issues/get': 'issues:read|pull_requests:read',
  'issues/update': 'issues:write|pull_requests:write',
  'issues/list-for-repo': 'issues:read|pull_requests:read',
  'issues/add-labels': 'issues:write|pull_requests:write',
  'issues/list-comments': 'issues:read|pull_requests:read',
  'issues/get-comment': 'issues:read|pull_requests:read',
  'issues/create-comment': 'issues:write|pull_requests:write',
  'issues/update-comment': 'issues:write|pull_requests:write',
  'issues/delete-comment': 'issues:write|pull_requests:write',
  'reactions/create-for-issue-comment': 'issues:write|pull_requests:write',
  'reactions/list-for-issue-comment': 'issues:read|pull_requests:read',
  'reactions/delete-for-issue-comment': 'issues:write|pull_requests:write',
  'actions/create-workflow-dispatch': 'actions:write',
  'actions/get-workflow': 'actions:read',
  'actions/get-workflow-run': 'actions:read',
  'actions/list-workflow-runs': 'actions:read',
  'actions/list-workflow-runs-for-repo': 'actions:read',
  'search/issues-and-pull-requests': 'metadata:read',
  // GraphQL mutations, by top-level field.
  'graphql/revertPullRequest': 'contents:write&pull_requests:write',
  'graphql/addComment': 'issues:write|pull_requests:write',
  'graphql/addLabelsToLabelable': 'issues:write|pull_requests:write',
};

/** The requirement that `granted` fails, or undefined when it is met. */
export function missingPermission(
  operationId: string,
  granted: Record<string, string>,
): string | undefined {
  const requirement = REQUIRED_PERMISSIONS[operationId];
  if (!requirement) return undefined;
  const has = (term: string): boolean => {
    const [name, level] = term.split(':') as [string, Level];
    const got = granted[name] as Level | undefined;
    return name === 'metadata' || (got !== undefined && RANK[got] >= RANK[level]);
  };
  const met = requirement.split('&').every((all) => all.split('|').some(has));
  return met ? undefined : requirement;
}

/** GitHub narrows a token to the permissions asked for, never beyond the installation's. */
export function narrow(
  installation: Record<string, string>,
  asked: Record<string, string> | undefined,
): Record<string, string> {
  if (!asked) return { ...installation };
  const out: Record<string, string> = {};
  for (const [name, level] of Object.entries(asked)) {
    const max = installation[name] as Level | undefined;
    if (max && RANK[level as Level] <= RANK[max]) out[name] = level;
  }
  return out;
}
