// The local stand-in for github.com: the project's GitHub fake (test/fakes/github/), an HTTP
// server on loopback validated against GitHub's published REST and GraphQL descriptions.
// It holds the example repository, one merged pull request per release, the rollback
// workflow, the App installation the bot uses, and the token the CLI writes the ledger with.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { startGitHubFake, type GitHubFake } from '../test/fakes/github/index.js';

export const REPOSITORY = 'example/classifier';
export const INSTALLATION_ID = 7;
export const APP_ID = 1;

export interface StandIn {
  fake: GitHubFake;
  /** The PAT the CLI uses as GITHUB_TOKEN (the ledger). */
  token: string;
  /** The App's private key, for the bot (PRIVATE_KEY). */
  privateKey: string;
  /** Merges the pull request that ships a release; returns its merge commit and number. */
  mergeRelease(version: string, title: string): { sha: string; number: number };
}

export async function startStandIn(configText: string): Promise<StandIn> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const token = `ghp_demo${randomBytes(12).toString('hex')}`;
  const fake = await startGitHubFake({ publicKey, appId: APP_ID, tokens: [token] });
  fake.addRepo(REPOSITORY, {
    files: { '.github/model-delivery.yml': configText, MODEL_VERSION: 'v0\n' },
  });
  fake.addInstallation(INSTALLATION_ID, [REPOSITORY]);
  fake.addWorkflow(REPOSITORY, 'rollback.yml', {
    name: 'rollback',
    inputs: { environment: { required: true }, to: { required: true }, reason: {}, incident: {} },
  });
  return {
    fake,
    token,
    privateKey,
    mergeRelease(version, title) {
      const pr = fake.addPullRequest(REPOSITORY, {
        title,
        head: `release-${version}`,
        merged: true,
        author: 'model-dev',
        files: { MODEL_VERSION: `${version}\n` },
      });
      return { sha: pr.pull?.mergeCommitSha as string, number: pr.number };
    },
  };
}

/** What the bot did, read from the stand-in's state. */
export function botActions(fake: GitHubFake) {
  const pulls = fake.pullRequests(REPOSITORY);
  const reverts = pulls.filter((p) => p.pull?.headRef.startsWith('revert-'));
  const dispatches = fake.state.dispatches.filter((d) => d.repo.toLowerCase() === REPOSITORY);
  return { reverts, dispatches };
}
