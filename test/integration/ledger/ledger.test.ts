import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGitHubFake, type GitHubFake } from '../../fakes/github/index.js';
import { createSandbox, markedProcesses, sample, type Sandbox } from '../deploy-local/helpers.js';

// The GitHub Deployments ledger, written by the real CLI (local target, real example server)
// against the spec-validating GitHub fake: request bodies, states, and every expected call.
const REPO = 'acme/model';
const TOKEN = 'ghs_ledger_test_token';

describe('GitHub Deployments ledger', () => {
  let fake: GitHubFake;
  let box: Sandbox;
  const shas: string[] = [];
  const env = (sha: string) => ({
    GITHUB_TOKEN: TOKEN,
    GITHUB_REPOSITORY: REPO,
    GITHUB_API_URL: fake.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    GITHUB_SHA: sha,
  });
  const deployments = () => fake.deployments(REPO, 'production');
  const states = (id: number) =>
    fake
      .deployments(REPO)
      .find((d) => d.id === id)
      ?.statuses.map((s) => s.state);

  beforeAll(async () => {
    [fake, box] = await Promise.all([
      startGitHubFake({ tokens: [TOKEN] }),
      createSandbox('ledger'),
    ]);
    fake.addRepo(REPO);
    for (const n of [1, 2, 3])
      shas.push(fake.addCommit(REPO, { message: `model v${n}`, branch: 'main' }).sha);
  }, 120_000);
  afterAll(async () => {
    await box?.remove();
    await fake?.close();
  }, 60_000);

  test('deploy, promote, abort and rollback each leave the record GitHub expects', async () => {
    const [sha1, sha2, sha3] = shas as [string, string, string];
    // First release: nothing runs, so it goes straight to stable and is live at once.
    const first = await box.cli(['deploy', '--version', 'v1', '--json'], { env: env(sha1) });
    expect(first.exitCode, first.stderr).toBe(0);
    const [d1] = deployments();
    expect(d1).toMatchObject({
      sha: sha1,
      environment: 'production',
      production: true,
      payload: { image: 'local:v1', version: 'v1' },
    });
    expect(states(d1!.id)).toEqual(['in_progress', 'success']);

    const canary = await box.cli(['deploy', '--version', 'v2', '--json'], { env: env(sha2) });
    expect(canary.exitCode, canary.stderr).toBe(0);
    const create = fake.callsTo('repos/create-deployment').at(-1)!;
    expect(create.body).toEqual({
      ref: sha2,
      environment: 'production',
      payload: { image: 'local:v2', version: 'v2', previousImage: 'local:v1' },
      auto_merge: false,
      required_contexts: [],
      production_environment: true,
      transient_environment: false,
      description: 'model-delivery v2 (local:v2)',
    });
    const d2 = deployments()[0]!;
    expect(canary.json?.details.ledger).toEqual({
      ok: true,
      action: 'deployment in progress',
      deploymentId: d2.id,
    });
    expect(states(d2.id)).toEqual(['in_progress']);
    expect(fake.callsTo('repos/create-deployment-status').at(-1)!.body).toEqual({
      state: 'in_progress',
      description: 'canary v2 deploying',
      log_url: `https://github.com/${REPO}/actions/runs/4242`,
    });

    // promote: a separate call finds the deployment through .model-delivery/ledger.json.
    await box.pass(); // the gate's pass for this canary, which promote requires
    const promoted = await box.cli(['promote'], { env: env(sha2) });
    expect(promoted.exitCode, promoted.stderr).toBe(0);
    expect(states(d2.id)).toEqual(['in_progress', 'success']);

    // A canary rolled back (what the action does after a failed gate): failure, stable kept.
    expect((await box.cli(['deploy', '--version', 'v3'], { env: env(sha3) })).exitCode).toBe(0);
    const d3 = deployments()[0]!;
    expect(d3.payload).toEqual({ image: 'local:v3', version: 'v3', previousImage: 'local:v2' });
    const aborted = await box.cli(['rollback'], { env: env(sha3) });
    expect(aborted.exitCode, aborted.stderr).toBe(0);
    expect(states(d3.id)).toEqual(['in_progress', 'failure']);
    expect((await sample(box.port, 20)).versions).toEqual({ v2: 20 });

    // Stable rolled back: the previous good release (from the ledger) is recorded again, as success.
    const before = deployments().length;
    const rolled = await box.cli(['rollback', '--json'], { env: env(sha3) });
    expect(rolled.exitCode, rolled.stderr).toBe(0);
    expect((await sample(box.port, 20)).versions).toEqual({ v1: 20 });
    expect(deployments()).toHaveLength(before + 1);
    const d4 = deployments()[0]!;
    expect(d4).toMatchObject({
      sha: sha1,
      payload: { image: 'local:v1', version: 'v1', previousImage: 'local:v2' },
    });
    expect(states(d4.id)).toEqual(['success']);

    expect(fake.callsTo('repos/create-deployment').map((c) => c.status)).toEqual([
      201, 201, 201, 201,
    ]);
    expect(
      fake
        .callsTo('repos/create-deployment-status')
        .map((c) => (c.body as { state: string }).state),
    ).toEqual([
      'in_progress',
      'success', // v1 straight to stable
      'in_progress',
      'success', // v2 canary, promoted
      'in_progress',
      'failure', // v3 canary, rolled back
      'success', // rollback of stable to v1
    ]);
    for (const call of fake.calls) expect(call.auth).toBeDefined();
    expect(fake.invalidRequests).toEqual([]);
    expect(fake.unmatchedRequests).toEqual([]);
  }, 180_000);

  test('GitHub refusing the deployment means nothing is deployed', async () => {
    const runningBefore = box.state().tracks;
    const remove = fake.faults.add({ match: 'repos/create-deployment', status: 500 });
    try {
      const refused = await box.cli(['deploy', '--version', 'v4', '--json'], {
        env: env(shas[2]!),
      });
      expect(refused.exitCode).toBe(3);
      expect(refused.json?.reason).toBe('ledger_unavailable');
      expect(refused.json?.message).toMatch(
        /could not record the deployment of v4, so nothing was deployed/,
      );
      expect(refused.stdout + refused.stderr).not.toContain(TOKEN);
      expect(fake.callsTo('repos/create-deployment').at(-1)?.status).toBe(500);
    } finally {
      remove();
    }
    expect(box.state().tracks).toEqual(runningBefore);
  }, 60_000);

  test('a ledger write failing after the target changed is a reported warning, not a failed stage', async () => {
    expect((await box.cli(['deploy', '--version', 'v5'], { env: env(shas[2]!) })).exitCode).toBe(0);
    const d5 = deployments()[0]!;
    const remove = fake.faults.add({ match: 'repos/create-deployment-status', status: 500 });
    const statusCalls = fake.callsTo('repos/create-deployment-status').length;
    try {
      await box.pass();
      const promoted = await box.cli(['promote', '--json'], { env: env(shas[2]!) });
      expect(promoted.exitCode, promoted.stderr).toBe(0);
      expect(promoted.json?.details.ledger).toMatchObject({
        ok: false,
        action: 'mark the deployment successful',
      });
      expect(promoted.stdout + promoted.stderr).toMatch(/could not mark the deployment successful/);
      // A 500 is retried twice (plugin-retry) before the stage gives up on the ledger.
      expect(fake.callsTo('repos/create-deployment-status').length - statusCalls).toBe(3);
    } finally {
      remove();
    }
    expect((await sample(box.port, 20)).versions).toEqual({ v5: 20 });
    expect(states(d5.id)).toEqual(['in_progress']);
    expect((await box.cli(['stop'])).exitCode).toBe(0);
    expect(markedProcesses(box.marker)).toEqual([]);
  }, 60_000);
});
