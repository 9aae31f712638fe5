import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../../../src/cli/node-version.js';
import { ExitCode, UsageError } from '../../../src/core/errors.js';
import { readActionInputs, readSlackWebhook, stageFlags } from '../../../src/settings/action-io.js';
import { readGitHubContext, runUrl } from '../../../src/settings/github-context.js';
import { planStages } from '../../../src/stages/index.js';

const ALL = 'lint,train,build,deploy,gate,promote,rollback,notify';

describe('stages: auto deploys only on pushes to a release branch', () => {
  it.each([
    [
      'push to the default branch',
      { eventName: 'push', ref: 'refs/heads/main', defaultBranch: 'main' },
      ALL,
    ],
    [
      'push to another branch',
      { eventName: 'push', ref: 'refs/heads/feature', defaultBranch: 'main' },
      'lint,train',
    ],
    [
      'a tag push',
      { eventName: 'push', ref: 'refs/tags/main', defaultBranch: 'main' },
      'lint,train',
    ],
    [
      'pull request',
      { eventName: 'pull_request', ref: 'refs/pull/1/merge', defaultBranch: 'main' },
      'lint,train',
    ],
    [
      'schedule on main',
      { eventName: 'schedule', ref: 'refs/heads/main', defaultBranch: 'main' },
      'lint,train',
    ],
    [
      'manual run on main',
      { eventName: 'workflow_dispatch', ref: 'refs/heads/main', defaultBranch: 'main' },
      'lint,train',
    ],
    ['push, default branch unknown', { eventName: 'push', ref: 'refs/heads/main' }, 'lint,train'],
    [
      'push to a configured release branch',
      {
        eventName: 'push',
        ref: 'refs/heads/release',
        defaultBranch: 'main',
        releaseBranches: ['release', 'prod'],
      },
      ALL,
    ],
    [
      'configured branches replace the default one',
      {
        eventName: 'push',
        ref: 'refs/heads/main',
        defaultBranch: 'main',
        releaseBranches: ['release'],
      },
      'lint,train',
    ],
  ])('%s', (_, event, stages) => {
    expect(planStages('auto', event).join(',')).toBe(stages);
  });

  it('explicit lists and all do not depend on the event', () => {
    expect(planStages('promote, gate', {}).join(',')).toBe('gate,promote');
    expect(planStages('all', { eventName: 'pull_request' }).join(',')).toBe(ALL);
  });

  it('reads the default branch from the event payload, so plan can tell', () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-event-'));
    writeFileSync(
      join(dir, 'event.json'),
      JSON.stringify({ repository: { default_branch: 'trunk' } }),
    );
    const ctx = readGitHubContext({
      GITHUB_EVENT_PATH: join(dir, 'event.json'),
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF: 'refs/heads/trunk',
    });
    expect(ctx.defaultBranch).toBe('trunk');
    expect(planStages(undefined, ctx).join(',')).toBe(ALL);
  });
});

describe('inputs', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it('reads version, release-branches, force and reason', () => {
    Object.assign(process.env, {
      INPUT_VERSION: 'v7',
      'INPUT_RELEASE-BRANCHES': 'main, release ,',
      INPUT_FORCE: 'true',
      INPUT_REASON: 'hotfix approved by on-call',
    });
    expect(readActionInputs()).toMatchObject({
      version: 'v7',
      releaseBranches: ['main', 'release'],
      force: true,
      reason: 'hotfix approved by on-call',
    });
  });

  it.each(['yes', '1', 'tru'])('force: %s is a usage error (exit 2)', (value) => {
    process.env.INPUT_FORCE = value;
    let caught: unknown;
    try {
      readActionInputs();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).exitCode).toBe(ExitCode.usage);
    expect((caught as UsageError).message).toMatch(/input force: expected true or false/);
  });

  it('the command line wins over inputs', () => {
    const inputs = {
      set: [],
      releaseBranches: [],
      force: true,
      reason: 'input',
      version: 'v1',
      to: 'a',
    };
    expect(stageFlags({}, inputs)).toEqual({
      force: true,
      reason: 'input',
      version: 'v1',
      to: 'a',
    });
    expect(
      stageFlags(
        { version: 'v2', to: 'b', reason: 'cli', force: false },
        { ...inputs, force: false },
      ),
    ).toEqual({ version: 'v2', to: 'b', reason: 'cli', force: false });
  });

  it('github-token input, else GITHUB_TOKEN', () => {
    expect(readGitHubContext({ 'INPUT_GITHUB-TOKEN': 't1', GITHUB_TOKEN: 't2' }).token).toBe('t1');
    expect(readGitHubContext({ 'INPUT_GITHUB-TOKEN': '', GITHUB_TOKEN: 't2' }).token).toBe('t2');
  });

  it('the Slack webhook: input, else SLACK_WEBHOOK_URL; SLACK_WEBHOOK is not read', () => {
    expect(
      readSlackWebhook({ 'INPUT_SLACK-WEBHOOK': 'https://a', SLACK_WEBHOOK_URL: 'https://b' }),
    ).toBe('https://a');
    expect(readSlackWebhook({ 'INPUT_SLACK-WEBHOOK': '', SLACK_WEBHOOK_URL: 'https://b' })).toBe(
      'https://b',
    );
    expect(readSlackWebhook({ SLACK_WEBHOOK: 'https://c' })).toBeUndefined();
  });

  it('links to the run attempt whose summary holds the job summary', () => {
    const ctx = readGitHubContext({
      GITHUB_REPOSITORY: 'o/r',
      GITHUB_RUN_ID: '42',
      GITHUB_RUN_ATTEMPT: '2',
    });
    expect(runUrl(ctx)).toBe('https://github.com/o/r/actions/runs/42/attempts/2');
  });
});

describe('the Node the CLI needs', () => {
  it.each([
    ['20.18.1', false],
    ['v20.20.2', false],
    ['22.0.0', false],
    ['24.11.0', false],
    ['20.18.0', true],
    ['20.9.0', true],
    ['18.19.0', true],
    ['v16.20.2', true],
    ['garbage', true],
  ])('%s too old: %s', (version, old) => {
    const problem = nodeVersionProblem(version);
    expect(problem !== undefined).toBe(old);
    if (old) expect(problem).toMatch(/needs Node >= 20\.18\.1/);
  });
});
