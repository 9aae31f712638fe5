// The story of issue 10 on real processes: v1 deployed as stable, v2 promoted by the gate,
// v3 caught by the gate and rolled back, then a production alert on v2 that the bot turns
// into a revert pull request and a rollback run, which the demo carries out.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricResult } from '../src/analysis/types.js';
import { Cli, gateDetails, type CliCall } from './cli.js';
import { botActions, REPOSITORY, startStandIn, APP_ID, type StandIn } from './github-stand-in.js';
import {
  alertmanagerWebhookBody,
  pushAlert,
  startMonitoring,
  type AlertSpec,
  type Monitoring,
} from './monitoring.js';
import { formatSeconds, type Narrator } from './narrator.js';
import { freePort, ProcessGroup, sleep, waitHttp } from './processes.js';
import type { SlackReceiver } from './slack-receiver.js';
import type { DemoTarget, ProcessNote } from './target.js';

export type { ProcessNote };

export const ENVIRONMENT = 'production';

export interface ReleaseResult {
  version: string;
  verdict: string;
  action: string;
  secondsToVerdict: number | null;
}

export interface IncidentResult {
  revertPullRequest: number | null;
  dispatched: string | null;
  secondsToActions: number | null;
}

export interface DemoSetup {
  repoRoot: string;
  exampleDir: string;
  outDir: string;
  runDir: string;
  cliPath: string;
  botPath: string;
  usePrometheus: boolean;
  /** Why the real Prometheus and Alertmanager are not used, when they are not. */
  withoutPrometheus: string;
  env: Record<string, string | undefined>;
  narrator: Narrator;
  slack: SlackReceiver;
  group: ProcessGroup;
  target: DemoTarget;
}

export class Story {
  readonly releases: ReleaseResult[] = [];
  incident: IncidentResult = { revertPullRequest: null, dispatched: null, secondsToActions: null };
  readonly processes: ProcessNote[] = [];
  /** The version the front answered with after each chapter (v1, v2, v3, incident). */
  readonly liveAfter: Record<string, string> = {};
  standIn: StandIn | undefined;
  monitoring: Monitoring | undefined;
  botUrl = '';
  cli: Cli | undefined;
  interrupted = false;
  private readonly alertsToken = randomBytes(16).toString('hex');
  private sha = '';

  constructor(private readonly s: DemoSetup) {}

  private get n(): Narrator {
    return this.s.narrator;
  }

  private check(): void {
    if (this.interrupted) throw new Error('interrupted');
  }

  async setUp(): Promise<void> {
    const { n, s } = this;
    await s.target.setUp(n);
    const configText = readFileSync(join(s.exampleDir, '.github', 'model-delivery.yml'), 'utf8');
    this.standIn = await n.step(
      'GitHub stand-in',
      () => startStandIn(configText),
      (g) => ({
        ok: true,
        note: `LOCAL STAND-IN for github.com (the GitHub fake, not GitHub) at ${g.fake.url}, repository ${REPOSITORY}`,
      }),
    );
    const botPort = await freePort();
    this.botUrl = `http://127.0.0.1:${botPort}`;
    if (s.usePrometheus) {
      this.monitoring = await n.step(
        'Prometheus + Alertmanager',
        () =>
          startMonitoring({
            group: s.group,
            dir: s.runDir,
            targets: () => s.target.scrapeTargets(),
            repository: REPOSITORY,
            environment: ENVIRONMENT,
            botUrl: this.botUrl,
            alertsToken: this.alertsToken,
            env: s.env,
          }),
        (m) => ({
          ok: true,
          note: `real Prometheus at ${m.prometheusUrl} (scrapes each model process every 1 s), real Alertmanager at ${m.alertmanagerUrl}`,
        }),
      );
    } else {
      n.say(
        `  · without Prometheus and Alertmanager (${s.withoutPrometheus}): the gate reads each track's /metrics (scrape source); the alert is posted to the bot in Alertmanager's webhook format`,
      );
    }
    await n.step(
      'bot',
      () => this.startBot(botPort),
      () => ({
        ok: true,
        note: `the model-delivery GitHub App (dist/bot.js) at ${this.botUrl}, talking to the GitHub stand-in`,
      }),
    );
    for (const line of s.target.realParts()) n.say(line);
    const standIn = this.standIn;
    // Prometheus answers increase(...[interval]) from its own scrapes (every 1 s here): a look
    // every 4 s keeps 4 samples in each window, so no look comes back empty. The scrape
    // source reads the processes directly and can look more often (target.scrapeInterval).
    const gate = this.monitoring
      ? [
          'gate.source=prometheus',
          `gate.prometheus.url=${this.monitoring.prometheusUrl}`,
          'gate.interval=4s',
        ]
      : ['gate.source=scrape', `gate.interval=${s.target.scrapeInterval}`];
    this.cli = new Cli({
      cliPath: s.cliPath,
      cwd: s.exampleDir,
      env: {
        ...s.env,
        GITHUB_TOKEN: standIn.token,
        GITHUB_REPOSITORY: REPOSITORY,
        GITHUB_API_URL: standIn.fake.url,
        GITHUB_SERVER_URL: 'https://github.com',
        ...s.target.env(),
      },
      overrides: [
        ...s.target.overrides(),
        'gate.minDuration=8s',
        'gate.maxDuration=24s',
        'gate.load.rps=150',
        // 24 s of traffic cannot show the example's tolerances (a pass there certifies them);
        // the demo's gate compares with tolerance 0: fail on a regression, else pass on none.
        'gate.metrics.0.maxIncrease=0',
        'gate.metrics.1.maxIncrease=0',
        'gate.metrics.2.maxDecrease=0',
        'gate.metrics.3.maxShift=0',
        `notify.slack.webhook=${s.slack.url}/slack/notify`,
        ...gate,
      ],
    });
  }

  private async startBot(port: number): Promise<void> {
    const { s } = this;
    const standIn = this.standIn as StandIn;
    const bot = s.group.start({
      name: 'bot',
      argv: [process.execPath, s.botPath],
      env: {
        PATH: s.env.PATH,
        HOME: s.env.HOME,
        NODE_ENV: 'production',
        APP_ID: String(APP_ID),
        PRIVATE_KEY: standIn.privateKey,
        WEBHOOK_SECRET: randomBytes(16).toString('hex'),
        PORT: String(port),
        HOST: '127.0.0.1',
        GITHUB_API_URL: standIn.fake.url,
        ALERTS_TOKEN: this.alertsToken,
        // The credential acts only on the demo's repository (docs/bot.md).
        ALERTS_BINDINGS: JSON.stringify({ ALERTS_TOKEN: { repositories: [REPOSITORY] } }),
        SLACK_WEBHOOK_URL: `${s.slack.url}/slack/bot`,
        LOG_LEVEL: 'warn',
      },
      cwd: s.runDir,
      logFile: join(s.runDir, 'bot.log'),
      port,
    });
    await waitHttp(`${this.botUrl}/ping`, 30_000, bot);
  }

  /** One CLI stage as a narrated step. */
  private async stage(
    title: string,
    stage: string,
    o: {
      args?: string[];
      set?: string[];
      onLine?: (l: string) => void;
      expectFailure?: boolean;
    } = {},
  ): Promise<CliCall> {
    this.check();
    const call = await this.n.step(
      title,
      () =>
        (this.cli as Cli).run(stage, {
          args: o.args,
          set: o.set,
          env: { GITHUB_SHA: this.sha },
          onLine: o.onLine,
        }),
      (c) => ({ ok: c.result.status === 'success', note: c.result.message ?? c.result.reason }),
    );
    this.noteState();
    this.check();
    if (call.result.status === 'error' || (call.result.status === 'failure' && !o.expectFailure)) {
      const log = call.lines
        .slice(-12)
        .map((l) => `        ${l}`)
        .join('\n');
      throw new Error(
        `model-delivery ${stage} exited ${call.exitCode}: ${call.result.message ?? call.result.reason}\n${log}`,
      );
    }
    return call;
  }

  private merge(version: string, title: string): void {
    const pr = (this.standIn as StandIn).mergeRelease(version, title);
    this.sha = pr.sha;
    this.n.say(
      `  · stand-in: pull request #${pr.number} "${title}" merged as ${pr.sha.slice(0, 7)} (GITHUB_SHA of this release)`,
    );
  }

  async run(): Promise<void> {
    await this.releaseV1();
    await this.releaseV2();
    await this.releaseV3();
    await this.incidentOnV2();
  }

  private async releaseV1(): Promise<void> {
    this.n.heading('1. v1: the first release goes straight to stable');
    this.merge('v1', 'Model v1: logistic regression on 4 features');
    await this.stage('lint', 'lint');
    await this.stage('train (smoke)', 'train');
    const { target } = this.s;
    if (target.firstRelease) {
      this.check();
      await target.firstRelease({
        version: 'v1',
        sha: this.sha,
        ledger: {
          token: (this.standIn as StandIn).token,
          apiUrl: (this.standIn as StandIn).fake.url,
          repository: REPOSITORY,
          environment: ENVIRONMENT,
        },
        n: this.n,
      });
      this.noteState();
    } else await this.deploy('v1', 'deploy v1');
    await this.notify();
    this.releases.push({
      version: 'v1',
      verdict: 'deployed',
      action: 'stable',
      secondsToVerdict: null,
    });
    await this.showLive('v1', 'v1');
  }

  private async releaseV2(): Promise<void> {
    this.n.heading('2. v2: a good release, canary + baseline, judged by the gate');
    this.merge('v2', 'Model v2: retrained with more steps');
    await this.stage('lint', 'lint');
    await this.stage('train (smoke)', 'train');
    await this.deploy('v2', 'deploy v2 (canary)');
    const gate = await this.gate('v2');
    if (gateDetails(gate.result)?.verdict !== 'pass')
      throw new Error(`the gate did not pass v2: ${gate.result.message ?? gate.result.reason}`);
    await this.stage('promote v2', 'promote');
    await this.notify('v2');
    this.releases.push({
      version: 'v2',
      verdict: 'pass',
      action: 'promote',
      secondsToVerdict: round(gate.seconds),
    });
    await this.showLive('v2', 'v2');
  }

  private async releaseV3(): Promise<void> {
    this.n.heading(
      '3. v3: a bad release (its server fails 10 % of requests: MODEL_VARIANT=errors)',
    );
    this.merge('v3', 'Model v3: new feature pipeline');
    await this.stage('lint', 'lint');
    await this.stage('train (smoke)', 'train');
    await this.deploy('v3', 'deploy v3 (canary)', true);
    const gate = await this.gate('v3');
    const verdict = gateDetails(gate.result)?.verdict ?? gate.result.reason;
    if (verdict !== 'fail') throw new Error(`the gate did not fail v3 (verdict ${verdict})`);
    await this.stage('rollback (abort v3)', 'rollback');
    await this.notify('v3');
    this.releases.push({
      version: 'v3',
      verdict: 'fail',
      action: 'rollback',
      secondsToVerdict: round(gate.seconds),
    });
    await this.showLive('v3', 'v2');
  }

  private async deploy(version: string, title: string, bad = false): Promise<CliCall> {
    const { args, note } = this.s.target.prepareRelease(version, bad);
    if (note) this.n.say(`  · ${note}`);
    return this.stage(title, 'deploy', { args: ['--version', version, ...args] });
  }

  private async gate(version: string): Promise<CliCall> {
    const source = this.monitoring
      ? `real Prometheus (${this.monitoring.prometheusUrl})`
      : "scrape source (each track's /metrics)";
    this.n.say(
      `  · gate: ${version} canary against the baseline, metrics from ${source}, traffic from data/requests.jsonl`,
    );
    const call = await this.stage(`gate ${version}`, 'gate', {
      expectFailure: true,
      onLine: (line) => {
        const look = /^gate look (\d+) \(([\d.]+s)( at \d+%)?\): (.*) → (\w+)$/.exec(line);
        if (look)
          this.n.detail(
            `look ${String(look[1]).padStart(2)} at ${String(look[2]).padStart(4)}${look[3] ? ` (${look[3].slice(4)} each)` : ''}: ${look[4]} → ${look[5]}`,
          );
        else if (/^gate(\.load)?: /.test(line)) this.n.detail(line);
      },
    });
    const d = gateDetails(call.result);
    this.n.detail(
      `verdict: ${d?.verdict ?? 'none'} after ${formatSeconds(call.seconds)} (${call.result.reason})`,
    );
    for (const m of d?.metrics ?? []) {
      this.n.detail(metricLine(m));
      // What the verdict certifies, at 1 − alpha: the claims shown, or that it certifies nothing.
      const shown = m.claims.filter((c) => c.shown).map((c) => c.claim);
      this.n.detail(`  certifies: ${shown.length ? shown.join('; ') : 'nothing (no claim shown)'}`);
    }
    const load = d?.load;
    if (load)
      this.n.detail(
        `gate.load: ${load.sent} requests sent through the front, ${load.ok} answered 2xx, ${load.failed} failed`,
      );
    return call;
  }

  private async notify(copyAs?: string): Promise<void> {
    await this.stage('notify', 'notify');
    const report = join(this.s.exampleDir, '.model-delivery', 'report.html');
    if (copyAs && existsSync(report))
      copyFileSync(report, join(this.s.outDir, `report-${copyAs}.html`));
  }

  /** Asks the front (the local proxy, or the Service) which version answers, as a user would see it. */
  private async showLive(chapter: string, expected: string): Promise<void> {
    this.noteState();
    this.s.target.snapshot(chapter);
    const front = this.s.target.liveUrl();
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${front}/version`);
      const body = (await res.json()) as { model_version?: string };
      seen.add(String(body.model_version));
    }
    const live = [...seen].join(', ');
    this.liveAfter[chapter] = live;
    if (live !== expected)
      throw new Error(`expected ${expected} live behind ${front}, /version said ${live}`);
    this.n.say(`  → live: ${live} (GET ${front}/version, 5 of 5 answers)`);
  }

  private noteState(): void {
    this.s.target.noteProcesses((p) => {
      if (!this.processes.some((q) => q.pid === p.pid)) this.processes.push(p);
    });
  }

  private async incidentOnV2(): Promise<void> {
    const { n } = this;
    const standIn = this.standIn as StandIn;
    n.heading("4. An incident in production: v2's online accuracy drops");
    const alert: AlertSpec = {
      labels: {
        alertname: 'ModelAccuracyLow',
        severity: 'critical',
        repository: REPOSITORY,
        environment: ENVIRONMENT,
        track: 'stable',
        version: 'v2',
        revision: 'v2',
      },
      annotations: {
        summary: `${REPOSITORY} ${ENVIRONMENT}: v2 online accuracy is 0.68`,
        description:
          'Online accuracy (correct / labelled predictions) of v2 (stable) in production has been below 0.75 for 5 minutes.',
        runbook_url: `https://github.com/${REPOSITORY}/blob/main/docs/runbook.md#modelaccuracylow`,
      },
    };
    n.say(
      '  · the alert is the one monitoring/rules/model-alerts.yml fires (ModelAccuracyLow, for: 5m);',
    );
    n.say(
      "    the demo does not wait 5 minutes: it raises it with the live release's labels (revision v2)",
    );
    const started = Date.now();
    if (this.monitoring) {
      const url = this.monitoring.alertmanagerUrl;
      await n.step(
        'alert → Alertmanager',
        () => pushAlert(url, alert),
        () => ({
          ok: true,
          note: `POST ${url}/api/v2/alerts; Alertmanager routes it to the bot (webhook, bearer token from a file)`,
        }),
      );
    } else {
      await n.step(
        'alert → bot',
        () => this.postToBot(alert),
        (status) => ({
          ok: status === 200,
          note: `POST ${this.botUrl}/alerts/alertmanager in Alertmanager's webhook format (v4): ${status}`,
        }),
      );
    }
    const actions = await n.step(
      'bot acts',
      () => this.waitForBot(standIn),
      (a) => ({
        ok: true,
        note: `revert PR #${a.revert.number} "${a.revert.title}", workflow ${a.dispatch.workflow} dispatched (to=${String(a.dispatch.inputs.to)})`,
      }),
    );
    this.incident = {
      revertPullRequest: actions.revert.number,
      dispatched: actions.dispatch.workflow,
      secondsToActions: round((Date.now() - started) / 1000),
    };
    n.detail(
      `on the stand-in: ${standIn.fake.url}/repos/${REPOSITORY}/pulls/${actions.revert.number} (branch ${actions.revert.pull?.headRef ?? '?'})`,
    );
    n.detail(`dispatch inputs: ${JSON.stringify(actions.dispatch.inputs)}`);
    const to = String(actions.dispatch.inputs.to ?? 'v1');
    n.say(
      `  · the rollback workflow would run \`model-delivery rollback --to ${to}\`; the demo runs it here`,
    );
    await this.stage(`rollback --to ${to.length > 12 ? to.slice(0, 7) : to}`, 'rollback', {
      args: ['--to', to],
    });
    await this.notify('incident');
    await this.showLive('incident', 'v1');
  }

  private async postToBot(alert: AlertSpec): Promise<number> {
    const res = await fetch(`${this.botUrl}/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.alertsToken}` },
      body: JSON.stringify(alertmanagerWebhookBody(alert, 'model-delivery-bot')),
    });
    await res.text();
    return res.status;
  }

  private async waitForBot(standIn: StandIn) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      this.check();
      const { reverts, dispatches } = botActions(standIn.fake);
      const revert = reverts[0];
      const dispatch = dispatches[0];
      if (revert && dispatch) return { revert, dispatch };
      if (Date.now() > deadline)
        throw new Error(
          `the bot did not act within 60 s (revert PRs: ${reverts.length}, dispatches: ${dispatches.length}); see ${join(this.s.runDir, 'bot.log')}`,
        );
      await sleep(200);
    }
  }

  /** Every process ends: the target's (local: `stop`; kubernetes: the pods), then the helpers. */
  async tearDown(): Promise<void> {
    this.noteState();
    const problem = await this.s.target.tearDown(this.cli, { GITHUB_SHA: this.sha });
    if (problem) this.n.say(`  ! ${problem}`);
    this.monitoring?.stopTargets();
    for (const m of this.s.group.started)
      this.processes.push({ name: m.name, pid: m.pid, port: m.port });
    await this.s.group.stopAll();
    await this.standIn?.fake.close();
  }

  /** The stand-in's record of what the bot did, saved for the e2e test and the reader. */
  saveGitHubState(file: string): void {
    if (!this.standIn) return;
    const { reverts, dispatches } = botActions(this.standIn.fake);
    const deployments = this.standIn.fake.deployments(REPOSITORY, ENVIRONMENT).map((d) => ({
      id: d.id,
      sha: d.sha,
      version: (d.payload as { version?: string }).version,
      statuses: d.statuses.map((st) => st.state),
    }));
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          note: 'state of the LOCAL STAND-IN for github.com (the GitHub fake), not GitHub',
          revertPullRequests: reverts.map((p) => ({
            number: p.number,
            title: p.title,
            head: p.pull?.headRef,
            labels: p.labels,
          })),
          dispatches: dispatches.map((d) => ({
            workflow: d.workflow,
            ref: d.ref,
            inputs: d.inputs,
          })),
          deployments,
        },
        null,
        2,
      )}\n`,
    );
  }
}

function metricLine(m: MetricResult): string {
  const num = (v?: number) => (v === undefined ? '–' : v < 0.1 ? v.toFixed(4) : v.toFixed(3));
  const bounds = Object.entries(m.bounds)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
  const samples = `, n=${m.samples.canary}/${m.samples.baseline}`;
  return `${m.name.padEnd(16)} ${m.status.padEnd(7)} canary ${num(m.canary)} vs baseline ${num(m.baseline)} (${bounds}${samples})`;
}

function round(s: number): number {
  return Math.round(s * 10) / 10;
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
