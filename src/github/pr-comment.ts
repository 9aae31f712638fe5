import type { ActionOctokit } from './action-octokit.js';

/** The three calls the sticky comment needs (an ActionOctokit's `rest.issues` has them). */
export type IssueCommentsClient = Pick<
  ActionOctokit['rest']['issues'],
  'listComments' | 'createComment' | 'updateComment'
>;

export interface StickyCommentOptions {
  issues: IssueCommentsClient;
  owner: string;
  repo: string;
  issueNumber: number;
  /** Hidden marker the body contains; the comment holding it is the one to update. */
  marker: string;
  body: string;
}

export interface StickyCommentResult {
  action: 'created' | 'updated';
  id: number;
  url: string;
}

const PAGE = 100;

/** The id of the first comment holding the marker, reading every page of the conversation. */
export async function findMarkedComment(
  options: Omit<StickyCommentOptions, 'body'>,
): Promise<number | undefined> {
  const { issues, owner, repo, issueNumber, marker } = options;
  for (let page = 1; ; page++) {
    const { data } = await issues.listComments({
      owner,
      repo,
      issue_number: issueNumber,
      per_page: PAGE,
      page,
    });
    const found = data.find((c) => c.body?.includes(marker));
    if (found) return found.id;
    if (data.length < PAGE) return undefined;
  }
}

/**
 * Creates the pull request's sticky comment, or updates it in place when a comment with
 * the marker exists, so every push edits one comment instead of adding another.
 */
export async function upsertStickyComment(
  options: StickyCommentOptions,
): Promise<StickyCommentResult> {
  const { issues, owner, repo, issueNumber, marker, body } = options;
  if (!body.includes(marker))
    throw new Error(
      'the sticky comment body must contain its marker, or the next run could not find it',
    );
  const id = await findMarkedComment(options);
  if (id !== undefined) {
    const { data } = await issues.updateComment({ owner, repo, comment_id: id, body });
    return { action: 'updated', id: data.id, url: data.html_url };
  }
  const { data } = await issues.createComment({ owner, repo, issue_number: issueNumber, body });
  return { action: 'created', id: data.id, url: data.html_url };
}

/** The call that finds which pull request shipped a commit. */
export type CommitPullsClient = Pick<
  ActionOctokit['rest']['repos'],
  'listPullRequestsAssociatedWithCommit'
>;

/**
 * The pull request that brought `sha` (the merged one first), for the report's link on
 * push events; undefined when the commit came without one.
 */
export async function pullRequestOfCommit(options: {
  repos: CommitPullsClient;
  owner: string;
  repo: string;
  sha: string;
}): Promise<{ number: number; url: string } | undefined> {
  const { repos, owner, repo, sha } = options;
  const { data } = await repos.listPullRequestsAssociatedWithCommit({
    owner,
    repo,
    commit_sha: sha,
    per_page: 10,
  });
  const pr = data.find((p) => p.merged_at) ?? data[0];
  return pr ? { number: pr.number, url: pr.html_url } : undefined;
}
