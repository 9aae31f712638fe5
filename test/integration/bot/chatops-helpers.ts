// A comment event delivered to the bot as GitHub sends it (signed), for the ChatOps tests.
import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import type { GitHubFake } from '../../fakes/github/index.js';
import { INSTALLATION, REPO, WEBHOOK_SECRET, type BotUnderTest } from './harness.js';

let delivery = 0;

/** Adds the comment to the fake and delivers its `issue_comment.created` event; expects 200. */
export async function comment(
  bot: BotUnderTest,
  fake: GitHubFake,
  o: { issue: number; login: string; body: string; type?: string },
) {
  const c = fake.addComment(REPO, o.issue, o.body, { author: o.login });
  const payload = {
    action: 'created',
    issue: {
      number: o.issue,
      title: 't',
      user: { login: 'x', id: 1, type: 'User' },
      state: 'open',
      html_url: '',
      body: '',
    },
    comment: {
      id: c.id,
      body: o.body,
      user: { login: o.login, id: 7, type: o.type ?? 'User' },
      html_url: '',
    },
    repository: {
      name: 'model',
      full_name: REPO,
      owner: { login: 'acme', id: 2, type: 'Organization' },
      default_branch: 'main',
      id: 3,
    },
    installation: { id: INSTALLATION },
    sender: { login: o.login, id: 7, type: o.type ?? 'User' },
  };
  const body = JSON.stringify(payload);
  const res = await fetch(`${bot.url}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'issue_comment',
      'x-github-delivery': `d-${++delivery}`,
      'x-hub-signature-256': `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`,
    },
    body,
  });
  expect(res.status).toBe(200);
  return c;
}
