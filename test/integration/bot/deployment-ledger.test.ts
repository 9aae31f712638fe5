// The bot's ledger read: one GraphQL `repository.deployments` query against the fake (which
// validates it against GitHub's schema), with the installation token of the app's manifest.
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubFake, type GitHubFake } from '../../fakes/github/index.js';
import { createDeploymentLedger } from '../../../src/github/deployment-ledger.js';
import type { BotOctokit } from '../../../src/github/bot-octokit.js';
import { createPullRequestReverter } from '../../../src/github/revert-pull-request.js';

let fake: GitHubFake;
let octokit: BotOctokit;
const where = { owner: 'acme', repo: 'ledger' };
const shas: Record<string, string> = {};

beforeAll(async () => {
  fake = await startGitHubFake({ autoInactive: 'off' });
  fake.addRepo('acme/ledger', { files: { 'm.txt': '0' } });
  const commit = (version: string) => {
    const sha = fake.addCommit('acme/ledger', { branch: 'main', files: { 'm.txt': version } }).sha;
    shas[version] = sha;
    return sha;
  };
  const deploy = (version: string, environment: string, statuses: string[]) =>
    fake.addDeployment('acme/ledger', {
      ref: commit(version),
      environment,
      payload: { version, image: `registry/m:${version}` },
      statuses,
    });
  deploy('v1', 'production', ['success', 'inactive']);
  deploy('v2', 'production', ['success']);
  deploy('s2', 'staging', ['success']);
  deploy('v3', 'production', ['success']);
  // 40 failed attempts after v3: live and last good lie beyond the first page (30).
  for (let i = 0; i < 40; i++) deploy(`bad-${i}`, 'production', ['in_progress', 'failure']);
  // Payloads sent as JSON text over REST, as a script may: one is not JSON at all.
  fake.addToken('ghp_deployer', { login: 'deployer' });
  const rest = getOctokit('ghp_deployer', { baseUrl: fake.url });
  for (const [version, payload] of [
    ['img', 'not json'],
    ['img2', JSON.stringify({ image: 'registry/m:img2' })],
  ] as const) {
    const d = await rest.request('POST /repos/{owner}/{repo}/deployments', {
      ...where,
      ref: commit(version),
      environment: 'canary',
      payload,
      required_contexts: [],
    });
    await rest.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
      ...where,
      deployment_id: (d.data as { id: number }).id,
      state: 'success',
    });
  }
  // The permissions of app.yml: deployments read is enough for the ledger.
  fake.addInstallation(5, ['acme/ledger'], {
    permissions: {
      contents: 'write',
      pull_requests: 'write',
      issues: 'write',
      actions: 'write',
      deployments: 'read',
      metadata: 'read',
    },
  });
  octokit = getOctokit(fake.installationToken(5), { baseUrl: fake.url });
});

afterAll(async () => {
  await fake?.close();
});

describe('deployment ledger over GraphQL', () => {
  it('finds live and last good past the first page, in one query per page', async () => {
    fake.clearLog();
    const r = await createDeploymentLedger(octokit, where, {
      revertLabel: 'model-delivery:revert',
    }).releases('production');
    expect(r.live).toMatchObject({ sha: shas.v3, version: 'v3' });
    expect(r.lastGood).toMatchObject({ sha: shas.v2, version: 'v2' });
    expect(r.live?.deploymentId).toBeGreaterThan(r.lastGood?.deploymentId ?? Infinity);
    expect(fake.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /graphql',
      'POST /graphql',
    ]);
    expect(fake.invalidRequests).toEqual([]);
    expect(fake.unmatchedRequests).toEqual([]);
  });

  it('reads the newest two in a single call when they are live and last good', async () => {
    fake.clearLog();
    const r = await createDeploymentLedger(octokit, where, {
      revertLabel: 'model-delivery:revert',
    }).releases('canary');
    expect(r.live).toMatchObject({ sha: shas.img2, version: 'registry/m:img2' });
    // A payload that is not JSON has no version; the release still counts.
    expect(r.lastGood).toMatchObject({ sha: shas.img, version: undefined });
    expect(fake.calls).toHaveLength(1);
  });

  it('counts an inactive (replaced) success as last good, and nothing for an unknown environment', async () => {
    const ledger = createDeploymentLedger(octokit, where, { revertLabel: 'model-delivery:revert' });
    const staging = await ledger.releases('staging');
    expect(staging).toMatchObject({ live: { sha: shas.s2 }, lastGood: undefined });
    expect(await ledger.releases('nowhere')).toMatchObject({
      live: undefined,
      lastGood: undefined,
    });
    expect(await ledger.recentShas('production', 2)).toEqual([shas['bad-39'], shas['bad-38']]);
  });

  it('brings the pull request that shipped each sha, as commits/{sha}/pulls would', async () => {
    const pr = fake.addPullRequest('acme/ledger', {
      title: 'Ship v9',
      head: 'ship-v9',
      merged: true,
      files: { 'm.txt': 'v9' },
    });
    const sha = pr.pull?.mergeCommitSha as string;
    fake.addDeployment('acme/ledger', { ref: sha, environment: 'review', statuses: ['success'] });
    fake.addDeployment('acme/ledger', {
      ref: shas.v3 as string,
      environment: 'review',
      statuses: ['success'],
    });
    const r = await createDeploymentLedger(octokit, where, {
      revertLabel: 'model-delivery:revert',
    }).releases('review');
    // v3 was committed straight to main: known to have no pull request (null, not unknown).
    expect(r.live).toMatchObject({ sha: shas.v3, shippedBy: null });
    const rest = await createPullRequestReverter(octokit, where).shippedBy(sha);
    expect(r.lastGood?.shippedBy).toEqual(rest);
    expect(rest).toMatchObject({
      number: pr.number,
      title: 'Ship v9',
      merged: true,
      defaultBranch: 'main',
    });
    expect(fake.invalidRequests).toEqual([]);
  });
});
