import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubFake } from '../../fakes/github/index.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { e2e } from '../../helpers/e2e.js';
import { pythonExecutable, toolPath } from '../../helpers/tool-path.js';
import { INSTALLATION, startFake } from '../../integration/bot/harness.js';
import { startSlackReceiver } from '../../integration/report/slack-receiver.js';
import {
  startAlertmanager,
  startBotProcess,
  waitFor,
  type Alertmanager,
  type BotProcess,
} from '../bot/stack.js';
import { startPrometheus } from '../gate/prometheus-server.js';
import { GIT_ENV, packAction } from './packed-action.js';
import { ACTION_USES, readJob, runWorkflowJob, type JobResult } from './workflow-job.js';

/**
 * Adoption, end to end: a team follows docs/setup.md in a fresh repository of its own. The
 * Python example and its workflows are copied into a new git repository outside this
 * project; the action is a packed release of this repository at tag v1 (packed-action.ts);
 * the workflows' jobs run through the runner emulation with a PATH that holds bash, git and
 * python3 and no node, so the action's own Node handling must cope; deploy, the approval,
 * then gate and promote in a second job; the local target; monitoring/rules firing in a real
 * Prometheus on the served model, into a real Alertmanager, routed to the bundled bot, which
 * opens the revert pull request on the GitHub fake.
 *
 * Each docs/setup.md step the test performs is named by its heading (STEP), and the test
 * checks that the headings exist, so the document and the test cannot drift apart.
 */
const STEP = {
  copy: '6.1 Copy the example and its workflows',
  ignore: '6.2 Ignore .model-delivery/',
  config: '6.3 Change the config for production',
  approval: '6.4 Require an approval for production',
  firstRelease: '6.5 Push to main: the first release goes straight to stable',
  pullRequest: '6.6 Open a pull request: checks only',
  canary: '6.7 Merge it: a canary, the approval, the gate',
  alert: '7.1 An alert from the served model',
} as const;

const REPO = 'ada/churn-model';
const TOKEN = 'ghs_adoptiontoken000000000000000000000';
// Test-only speed-ups, appended to the workflow step's `set` input: a free front port (8080
// may be taken) and a gate that decides in seconds instead of minutes.
const FAST = [
  'deploy.local.port=0',
  'deploy.canary.percent=50',
  'gate.interval=2s',
  'gate.minDuration=4s',
  'gate.maxDuration=6s',
  'gate.load.rps=40',
  // 6 s of traffic cannot show online_accuracy within 2 % (a pass certifies its tolerance,
  // else insufficient_evidence, docs/gate.md): judged with tolerance 0, pass = no regression.
  'gate.metrics.2.maxDecrease=0',
];

const hasParts = e2e('prometheus', 'prometheus-alertmanager', 'git', 'python3');

describe.skipIf(!hasParts)('adoption: docs/setup.md followed in a fresh Python repository', () => {
  const work = mkdtempSync(join(tmpdir(), 'md-adoption-'));
  const model = join(work, 'model');
  const origin = join(work, 'origin.git');
  let fake: GitHubFake;
  let actionDir: string;
  let botJs: string;
  let slack: Awaited<ReturnType<typeof startSlackReceiver>>;
  let path: string;
  const stopping: Array<() => Promise<unknown>> = [];
  const shas: string[] = [];

  const git = async (...args: string[]) =>
    String((await execa('git', args, { cwd: model, env: GIT_ENV })).stdout).trim();
  const workflow = join(model, '.github', 'workflows', 'deliver.yml');
  const readSlack = () => slack.posts.map((p) => JSON.stringify(p.body));

  /** The GITHUB_* a job of this repository gets from the runner. */
  function runnerEnv(sha: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: path,
      GITHUB_REPOSITORY: REPO,
      GITHUB_SHA: sha,
      GITHUB_API_URL: fake.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: String(1000 + shas.length),
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_ACTOR: 'ada',
      ...extra,
    };
  }

  const repository = { full_name: REPO, default_branch: 'main' };
  async function pushJobs(sha: string): Promise<{ deploy: JobResult; promote: JobResult }> {
    await git('checkout', '-q', sha);
    const common = {
      actionDir,
      workspace: model,
      eventName: 'push',
      event: { ref: 'refs/heads/main', after: sha, repository },
      ref: 'refs/heads/main',
      token: TOKEN,
      secrets: { SLACK_WEBHOOK_URL: slack.url, GITHUB_TOKEN: TOKEN, KUBECONFIG: '' },
      env: runnerEnv(sha, { GITHUB_REF_NAME: 'main' }),
      extraSet: FAST,
    };
    const deploy = await runWorkflowJob({ ...common, job: readJob(workflow, 'deploy') });
    const needs = { deploy: { outputs: deploy.outputs, result: 'success' } };
    // STEP.approval: the `promote` job waits for the environment's reviewers; here they approve.
    const promote = await runWorkflowJob({ ...common, job: readJob(workflow, 'promote'), needs });
    return { deploy, promote };
  }

  const ranSteps = (job: JobResult) =>
    (job.action?.steps ?? []).filter((s) => s.ran).map((s) => `${s.id}:${s.outcome}`);
  const failures = (job: JobResult) =>
    (job.action?.steps ?? [])
      .filter((s) => s.outcome === 'failure')
      .map((s) => `${s.id}: ${s.stdout.slice(-1500)}${s.stderr.slice(-1500)}`)
      .join('\n');

  beforeAll(async () => {
    expect(work.startsWith(REPO_ROOT)).toBe(false);
    const bundle = join(work, 'bundle');
    [fake, slack] = await Promise.all([
      startFake(),
      startSlackReceiver(),
      execa(process.execPath, ['scripts/bundle.mjs', bundle], { cwd: REPO_ROOT }),
    ]).then(([f, s]) => [f, s] as const);
    stopping.push(
      () => fake.close(),
      () => slack.close(),
    );
    botJs = join(bundle, 'bot.js');
    actionDir = await packAction({ freshDist: bundle, into: work });
    // A runner with no node of its own: bash, git and python3 only.
    path = toolPath(['bash', 'git', ['python3', pythonExecutable()]]);
    fake.addRepo(REPO);
    fake.addToken(TOKEN, { repos: [REPO] });
    fake.addInstallation(INSTALLATION, [REPO]);
    fake.addWorkflow(REPO, 'rollback.yml', {
      inputs: { environment: { required: true }, to: {}, reason: {}, incident: {} },
    });
    await execa('git', ['init', '-q', '--bare', '-b', 'main', origin]);
    await execa('git', ['clone', '-q', origin, model], { env: GIT_ENV });
  }, 120_000);

  afterAll(async () => {
    if (existsSync(join(model, '.model-delivery'))) {
      await execa(process.execPath, [join(actionDir, 'dist', 'cli.js'), 'stop'], {
        cwd: model,
        reject: false,
      });
    }
    for (const stop of stopping.reverse()) await stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('names only steps that docs/setup.md has', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'setup.md'), 'utf8');
    for (const title of Object.values(STEP)) expect(doc, title).toContain(`\n### ${title}\n`);
  });

  it(STEP.copy, async () => {
    cpSync(join(REPO_ROOT, 'examples', 'python-classifier'), model, {
      recursive: true,
      filter: (src) => !/[/\\](out|__pycache__|\.model-delivery)([/\\]|$)/.test(src),
    });
    const job = readJob(workflow, 'deploy');
    expect(job.steps.map((s) => s.uses).filter(Boolean)).toEqual([
      'actions/checkout@v5',
      ACTION_USES,
    ]);
    // Nothing of Node in a Python repository: no package.json, no setup-node, no npm.
    expect(existsSync(join(model, 'package.json'))).toBe(false);
    for (const name of ['checks', 'deploy', 'promote'])
      for (const step of readJob(workflow, name).steps) {
        expect(step.uses ?? '').not.toMatch(/setup-node/);
        expect(step.run ?? '').not.toMatch(/\bnpm\b/);
      }
  });

  it(STEP.ignore, async () => {
    expect(readFileSync(join(model, '.gitignore'), 'utf8')).toContain('.model-delivery/');
    const ignored = await execa('git', ['check-ignore', '-q', '.model-delivery/reports/x.json'], {
      cwd: model,
      reject: false,
    });
    expect(ignored.exitCode).toBe(0);
  });

  it(STEP.config, () => {
    // Production changes build.image, deploy.target and gate.source (and the repository
    // annotation in k8s/); this run has no cluster, so it keeps the example's local target
    // and scrape source, which is what the example ships with.
    const config = readFileSync(join(model, '.github', 'model-delivery.yml'), 'utf8');
    expect(config).toMatch(/^ {2}target: local\b/m);
    expect(config).toMatch(/^ {2}source: scrape\b/m);
    expect(config).toMatch(/^ {2}# image: /m);
  });

  it(STEP.approval, () => {
    const promote = readJob(workflow, 'promote');
    expect(promote.environment).toBe('production');
    expect(promote.needs).toBe('deploy');
    expect(promote.if).toBe("needs.deploy.outputs.canary == 'true'");
  });

  it(
    STEP.firstRelease,
    async () => {
      await git('add', '-A');
      await git('commit', '-q', '-m', 'Add the churn model');
      await git('push', '-q', 'origin', 'main');
      shas.push(await git('rev-parse', 'HEAD'));
      mirror(fake, shas[0]!, model);
      const { deploy, promote } = await pushJobs(shas[0]!);
      expect(ranSteps(deploy), failures(deploy)).toEqual([
        'node:success',
        '__1:success',
        'plan:success',
        'lint:success',
        'train:success',
        'build:success',
        'deploy:success',
        'notify:success',
      ]);
      expect(deploy.outputs).toMatchObject({ canary: 'false', version: shas[0]!.slice(0, 7) });
      expect(promote.ran).toBe(false); // nothing to approve
      expect(liveDeployments()).toEqual([{ sha: shas[0], state: 'success' }]);
    },
    120_000,
  );

  it(
    STEP.pullRequest,
    async () => {
      await git('checkout', '-q', '-b', 'more-steps', 'main');
      const train = join(model, 'train.py');
      writeFileSync(
        train,
        readFileSync(train, 'utf8').replace(
          'default=50 if smoke else 500',
          'default=60 if smoke else 600',
        ),
      );
      await git('commit', '-q', '-am', 'Train for longer');
      await git('push', '-q', 'origin', 'more-steps');
      const head = await git('rev-parse', 'HEAD');
      fake.addCommit(REPO, { sha: head, branch: 'more-steps', files: { 'train.py': 'changed\n' } });
      fake.addPullRequest(REPO, {
        number: 1,
        head: 'more-steps',
        headSha: head,
        title: 'Train for longer',
      });
      const event = {
        number: 1,
        pull_request: { number: 1, head: { ref: 'more-steps', sha: head }, base: { ref: 'main' } },
        repository,
      };
      const common = {
        actionDir,
        workspace: model,
        eventName: 'pull_request',
        event,
        ref: 'refs/pull/1/merge',
        token: TOKEN,
        secrets: { SLACK_WEBHOOK_URL: slack.url },
        env: runnerEnv(head, { GITHUB_BASE_REF: 'main', GITHUB_HEAD_REF: 'more-steps' }),
      };
      const posted = slack.posts.length;
      const checks = await runWorkflowJob({ ...common, job: readJob(workflow, 'checks') });
      expect(ranSteps(checks), failures(checks)).toEqual([
        'node:success',
        '__1:success',
        'plan:success',
        'lint:success',
        'train:success',
        'notify:success',
      ]);
      expect(checks.action?.outputs.stages).toBe('lint,train');
      // The training report, compared with main's baseline, on the pull request; nothing to Slack.
      const comments = fake.comments(REPO, 1).map((c) => c.body);
      expect(comments).toHaveLength(1);
      expect(comments[0]).toMatch(/accuracy/);
      expect(slack.posts.length).toBe(posted);
      const deploy = await runWorkflowJob({ ...common, job: readJob(workflow, 'deploy') });
      expect(deploy.ran).toBe(false);
    },
    120_000,
  );

  it(
    STEP.canary,
    async () => {
      await git('checkout', '-q', 'main');
      await git(
        'merge',
        '-q',
        '--no-ff',
        'more-steps',
        '-m',
        'Merge pull request #1 from ada/more-steps',
      );
      await git('push', '-q', 'origin', 'main');
      shas.push(await git('rev-parse', 'HEAD'));
      mergeInFake(fake, 1, shas[1]!);
      const { deploy, promote } = await pushJobs(shas[1]!);
      expect(ranSteps(deploy), failures(deploy)).toContain('deploy:success');
      expect(deploy.outputs.canary).toBe('true');
      expect(readSlack().some((m) => m.includes('canary deployed, awaiting the gate'))).toBe(true);
      // The second job found the canary in the target's state: no step output crossed jobs.
      expect(ranSteps(promote), failures(promote)).toEqual([
        'node:success',
        '__1:success',
        'plan:success',
        'gate:success',
        'promote:success',
        'notify:success',
      ]);
      expect(promote.action?.outputs.verdict).toBe('pass');
      expect(readSlack().at(-1)).toContain('✅ delivered');
      expect(liveDeployments().at(-1)).toEqual({ sha: shas[1], state: 'success' });
    },
    180_000,
  );

  it(
    STEP.alert,
    async () => {
      const version = shas[1]!.slice(0, 7);
      const state = JSON.parse(
        readFileSync(join(model, '.model-delivery', 'local', 'state.json'), 'utf8'),
      ) as { tracks: { stable?: { port: number; release: { version: string } } } };
      const stable = state.tracks.stable!;
      expect(stable.release.version).toBe(version);
      // The alert credential is bound to this repository (docs/bot.md, "Credentials bound to repositories").
      const bot: BotProcess = await startBotProcess(botJs, fake, {
        env: {
          GITHUB_API_URL: fake.url,
          ALERTS_BINDINGS: JSON.stringify({ ALERTS_TOKEN: { repositories: [REPO] } }),
        },
      });
      stopping.push(() => bot.kill());
      const am: Alertmanager = await startAlertmanager([bot.url]);
      stopping.push(() => am.stop());
      // The stable track with the labels the deliveries record (docs/setup.md, step 4).
      const prom = await startPrometheus([`http://127.0.0.1:${stable.port}/metrics`], {
        ruleFiles: rulesWithShortFor(work),
        alertmanager: am.url,
        labels: { app: 'churn-model', repository: REPO, environment: 'production' },
      });
      stopping.push(prom.stop);
      // Production traffic turns bad: half the requests fail (malformed input, counted as errors).
      let sending = true;
      const traffic = (async () => {
        for (let i = 0; sending; i++) {
          await fetch(`http://127.0.0.1:${stable.port}/predict`, {
            method: 'POST',
            body: i % 2 ? '{"features":[1,2,3,4]}' : '{"features":"bad"}',
          }).catch(() => undefined);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      try {
        const reverts = () => fake.pullRequests(REPO).filter((p) => p.pull?.revertOf !== undefined);
        await waitFor(() => reverts().length === 1, 50_000, 'the revert pull request');
        const alerts = (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as Array<{
          labels: Record<string, string>;
        }>;
        expect(alerts.map((a) => a.labels)).toContainEqual(
          expect.objectContaining({
            alertname: 'ModelHighErrorRate',
            repository: REPO,
            environment: 'production',
            revision: version,
          }),
        );
        expect(reverts()[0]!.pull?.revertOf).toBe(1);
        await waitFor(() => fake.state.dispatches.length === 1, 20_000, 'the rollback dispatch');
        expect(fake.state.dispatches[0]).toMatchObject({
          workflow: 'rollback.yml',
          inputs: { environment: 'production', to: shas[0] },
        });
      } finally {
        sending = false;
        await traffic;
      }
    },
    120_000,
  );

  function liveDeployments() {
    return [...fake.repo(REPO)!.deployments.values()].map((d) => ({
      sha: d.sha,
      state: d.statuses.at(-1)?.state,
    }));
  }
});

/** The commit as GitHub holds it after the push: the bot reads the config and workflows. */
function mirror(fake: GitHubFake, sha: string, dir: string): void {
  const files: Record<string, string> = {};
  for (const file of [
    '.github/model-delivery.yml',
    '.github/workflows/deliver.yml',
    '.github/workflows/rollback.yml',
  ])
    files[file] = readFileSync(join(dir, file), 'utf8');
  fake.addCommit(REPO, { sha, branch: 'main', files });
}

/** GitHub's merge of the pull request, in the fake: merged, with the merge commit pushed. */
function mergeInFake(fake: GitHubFake, number: number, sha: string): void {
  fake.addCommit(REPO, { sha, branch: 'main', message: `Merge pull request #${number}` });
  const pr = fake.pullRequests(REPO).find((p) => p.number === number)!;
  Object.assign(pr.pull!, {
    merged: true,
    mergedAt: new Date().toISOString(),
    mergeCommitSha: sha,
  });
  pr.state = 'closed';
}

/**
 * monitoring/rules/ as they are, except `for:` (5m, 10m, 30m) cut to 1s so the test does
 * not wait minutes; written for the Prometheus that scrapes the stable track.
 */
function rulesWithShortFor(work: string): string[] {
  const dir = mkdtempSync(join(work, 'rules-'));
  return ['model-recording.yml', 'model-alerts.yml'].map((file) => {
    const text = readFileSync(join(REPO_ROOT, 'monitoring', 'rules', file), 'utf8');
    writeFileSync(join(dir, file), text.replace(/^(\s+for:) \d+[smh]$/gm, '$1 1s'));
    return join(dir, file);
  });
}
