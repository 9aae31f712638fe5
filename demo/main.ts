// `npm run demo`: the whole product on one machine (issue 10). Thin entry: flags, folders,
// signal handling and the final outputs; the story itself is in story.ts.
//   --json                 print one final object on stdout (the narrative goes to stderr)
//   --target <t>           local (default): processes behind a front proxy; kubernetes: the
//                          real kubectl against the Kubernetes API stand-in with running pods
//   --example <dir>        the example to run on (default examples/classifier)
//   --no-prometheus        use the scrape source and post the alert directly, even when
//                          prometheus and prometheus-alertmanager are on PATH
//                          (same as MODEL_DELIVERY_DEMO_NO_PROMETHEUS=1)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Cli } from './cli.js';
import { kubernetesTarget } from './kubernetes-target.js';
import { localTarget } from './local-target.js';
import { onPath } from './monitoring.js';
import { formatSeconds, Narrator } from './narrator.js';
import { ProcessGroup } from './processes.js';
import { startSlackReceiver } from './slack-receiver.js';
import { Story } from './story.js';
import { summaryMarkdown } from './summary.js';
import { DEMO_TARGETS, type DemoTarget, type DemoTargetName } from './target.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      example: { type: 'string' },
      target: { type: 'string', default: 'local' },
      'no-prometheus': { type: 'boolean', default: false },
    },
  });
  const targetName = values.target as DemoTargetName;
  if (!DEMO_TARGETS.includes(targetName)) {
    console.error(`demo: --target ${values.target}: use one of ${DEMO_TARGETS.join(', ')}`);
    return 2;
  }
  const started = Date.now();
  const env = { ...process.env };
  // The demo plays GitHub itself: no real GitHub variables leak into the CLI calls.
  for (const key of Object.keys(env))
    if (key.startsWith('GITHUB_') || key.startsWith('INPUT_')) delete env[key];
  const narrator = new Narrator(values.json ? process.stderr : process.stdout);
  const exampleDir = resolve(values.example ?? join(REPO_ROOT, 'examples', 'classifier'));
  const stateDir = join(exampleDir, '.model-delivery');
  const outDir = join(stateDir, 'demo');
  const runDir = mkdtempSync(join(tmpdir(), 'model-delivery-demo-'));
  const wantPrometheus = !values['no-prometheus'] && env.MODEL_DELIVERY_DEMO_NO_PROMETHEUS !== '1';
  const missing = ['prometheus', 'prometheus-alertmanager'].filter((b) => !onPath(b, env));
  const usePrometheus = wantPrometheus && missing.length === 0;
  const withoutPrometheus = !wantPrometheus
    ? '--no-prometheus or MODEL_DELIVERY_DEMO_NO_PROMETHEUS=1'
    : `${missing.join(' and ')} not on PATH`;
  if (targetName === 'kubernetes' && !onPath('kubectl', env)) {
    console.error(
      'demo: --target kubernetes runs the real kubectl, which is not on PATH; install it (Debian: kubernetes-client) or run the local demo',
    );
    return 3;
  }
  const target: DemoTarget =
    targetName === 'kubernetes'
      ? kubernetesTarget({ repoRoot: REPO_ROOT, exampleDir, runDir, env })
      : localTarget(exampleDir);

  narrator.say(
    'model-delivery demo: a release promoted, a bad release rolled back, an alert turned into a revert',
  );
  narrator.say(`  example ${exampleDir}, deploy target: ${target.headline}`);
  const distDir = join(runDir, 'dist');
  await narrator.step(
    'bundle the CLI',
    async () => {
      execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'bundle.mjs'), distDir], {
        cwd: REPO_ROOT,
        stdio: 'inherit',
      });
    },
    () => ({ ok: true, note: `dist/cli.js, dist/bot.js, dist/local-proxy.js in ${distDir}` }),
  );
  const cliPath = join(distDir, 'cli.js');
  // A run killed before its end may have left the local target running: stop it, start clean.
  const cleanup = new Cli({ cliPath, cwd: exampleDir, env, overrides: [] });
  await narrator.step(
    'clean slate',
    async () => {
      const done = await target.cleanSlate(cleanup);
      rmSync(stateDir, { recursive: true, force: true });
      mkdirSync(join(outDir, 'slack'), { recursive: true });
      return done;
    },
    (done) => ({ ok: true, note: `${done}${done ? '; ' : ''}${stateDir} emptied` }),
  );

  const slack = await startSlackReceiver();
  const group = new ProcessGroup();
  const story = new Story({
    repoRoot: REPO_ROOT,
    exampleDir,
    outDir,
    runDir,
    cliPath,
    botPath: join(distDir, 'bot.js'),
    usePrometheus,
    withoutPrometheus,
    env,
    narrator,
    slack,
    group,
    target,
  });
  narrator.say(`  Slack: a local receiver at ${slack.url} captures what would be posted`);

  let finished = false;
  let tornDown: Promise<void> | undefined;
  const tearDown = () => (tornDown ??= story.tearDown().finally(() => slack.close()));
  const onSignal = (signal: NodeJS.Signals) => {
    if (finished) return;
    narrator.say(`\n${signal}: stopping every process the demo started…`);
    story.interrupted = true;
    story.cli?.interrupt();
    void tearDown().finally(() => {
      rmSync(runDir, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let failure: unknown;
  try {
    narrator.heading('0. Setting the stage');
    await story.setUp();
    await story.run();
  } catch (e) {
    failure = e;
  }
  if (story.interrupted) return new Promise<number>(() => undefined); // the signal handler exits
  narrator.heading('5. Clean up');
  await narrator.step('stop everything', tearDown, () => ({
    ok: true,
    note: `${target.name === 'local' ? 'model-delivery stop (local target)' : 'the Kubernetes API stand-in and its pods'}, then Prometheus, Alertmanager, the bot and the GitHub stand-in`,
  }));
  finished = true;

  story.saveGitHubState(join(outDir, 'github.json'));
  slack.posts.forEach((p, i) =>
    writeFileSync(
      join(outDir, 'slack', `${String(i + 1).padStart(2, '0')}${p.path.replace(/\//g, '-')}.json`),
      `${JSON.stringify(p.payload, null, 2)}\n`,
    ),
  );
  // For the reader and the e2e test: what ran (pids, ports), the run's marker, what was live.
  writeFileSync(
    join(outDir, 'run.json'),
    `${JSON.stringify({ marker: runDir, target: target.name, ...target.facts(), liveAfter: story.liveAfter, processes: story.processes }, null, 2)}\n`,
  );
  const seconds = (Date.now() - started) / 1000;
  writeFileSync(
    join(outDir, 'summary.md'),
    summaryMarkdown({
      story,
      narrator,
      seconds,
      usePrometheus,
      failure,
      slackPosts: slack.posts.length,
      outDir,
      stateDir,
      target,
    }),
  );
  if (failure === undefined) rmSync(runDir, { recursive: true, force: true });

  narrator.say('');
  if (failure !== undefined) {
    narrator.say(
      `✖ the demo stopped: ${failure instanceof Error ? failure.message : String(failure)}`,
    );
    narrator.say(`  logs of Prometheus, Alertmanager and the bot are kept in ${runDir}`);
  } else {
    narrator.say(`✔ done in ${formatSeconds(seconds)}. Read:`);
    narrator.say(`  ${join(outDir, 'summary.md')}   the story, step by step`);
    narrator.say(
      `  ${join(stateDir, 'report.html')}   the HTML report (each release's: demo/report-v2.html, report-v3.html, report-incident.html)`,
    );
    narrator.say(
      `  ${join(outDir, 'slack')}/   the ${slack.posts.length} Slack payloads that would have been posted`,
    );
  }
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ releases: story.releases, incident: story.incident })}\n`,
    );
  }
  return failure === undefined ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`demo: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
