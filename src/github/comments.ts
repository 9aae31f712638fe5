import { NO_RETRY, type BotOctokit, type RepoRef } from './bot-octokit.js';

export type ReactionContent = 'eyes' | 'rocket' | 'confused' | '+1';

export interface IssueSummary {
  number: number;
  url: string;
  body: string;
  isPullRequest: boolean;
}

/** Issues, pull request conversations, comments and reactions. */
export interface Conversations {
  comment(issueNumber: number, body: string): Promise<{ id: number; url: string }>;
  /**
   * One GraphQL call: a comment on `subjectId` and labels (by node id) on `labelableId`. The
   * mutations run in order; if the labels fail, the comment is made and the call throws.
   */
  commentAndLabel(options: {
    subjectId: string;
    body: string;
    labelableId: string;
    labelIds: string[];
  }): Promise<void>;
  /** Bodies of the comments on an issue or pull request (first 100). */
  commentBodies(issueNumber: number): Promise<string[]>;
  react(commentId: number, content: ReactionContent): Promise<void>;
  openIssue(options: { title: string; body: string; labels: string[] }): Promise<IssueSummary>;
  /** The newest issues and pull requests, bodies included (for finding a marker). */
  recent(): Promise<IssueSummary[]>;
}

const COMMENT_AND_LABEL = /* GraphQL */ `
  mutation ($subjectId: ID!, $body: String!, $labelableId: ID!, $labelIds: [ID!]!) {
    addComment(input: { subjectId: $subjectId, body: $body }) {
      clientMutationId
    }
    addLabelsToLabelable(input: { labelableId: $labelableId, labelIds: $labelIds }) {
      clientMutationId
    }
  }
`;

export function createConversations(octokit: BotOctokit, where: RepoRef): Conversations {
  return {
    async commentAndLabel(options) {
      await octokit.graphql(COMMENT_AND_LABEL, { ...options, ...NO_RETRY });
    },
    async comment(issueNumber, body) {
      const res = await octokit.request(
        'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
        {
          ...where,
          issue_number: issueNumber,
          body,
          ...NO_RETRY,
        },
      );
      return { id: Number(res.data.id), url: res.data.html_url };
    },
    async commentBodies(issueNumber) {
      const res = await octokit.request(
        'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
        {
          ...where,
          issue_number: issueNumber,
          per_page: 100,
        },
      );
      return res.data.map((c) => c.body ?? '');
    },
    async react(commentId, content) {
      await octokit.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', {
        ...where,
        comment_id: commentId,
        content,
      });
    },
    async openIssue({ title, body, labels }) {
      const res = await octokit.request('POST /repos/{owner}/{repo}/issues', {
        ...where,
        title,
        body,
        labels,
        ...NO_RETRY,
      });
      return { number: res.data.number, url: res.data.html_url, body, isPullRequest: false };
    },
    async recent() {
      const res = await octokit.request('GET /repos/{owner}/{repo}/issues', {
        ...where,
        state: 'all',
        sort: 'created',
        direction: 'desc',
        per_page: 100,
      });
      return res.data.map((i) => ({
        number: i.number,
        url: i.html_url,
        body: i.body ?? '',
        isPullRequest: i.pull_request !== undefined,
      }));
    },
  };
}
