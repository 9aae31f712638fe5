import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli, type CliRun } from '../../helpers/cli.js';
import { markedProcesses } from '../deploy-local/helpers.js';

/**
 * Secrets planted where the config takes them (basic auth for Prometheus, the Slack
 * webhook), echoed back by servers the way real ones do (a 401 quoting the Authorization
 * header, an error quoting the webhook's path), must show in no output: stdout, stderr,
 * --json, the reports, the job summary, the outputs file and report.html.
 */
const USER = 'alice';
const PASSWORD = 'pa55/w0rd&x=1';
const CREDENTIALS = `${USER}:${PASSWORD}`;
const BASIC = Buffer.from(CREDENTIALS).toString('base64');
const HOOK_PATH = `/services/T0SECRET/B0SECRET/${randomUUID().replace(/-/g, '')}`;

const FORMS: Record<string, string> = {
  'user:password': CREDENTIALS,
  password: PASSWORD,
  'URL-encoded user:password': encodeURIComponent(CREDENTIALS),
  'URL-encoded password': encodeURIComponent(PASSWORD),
  'base64 of user:password (Basic)': BASIC,
  'base64 without padding': BASIC.replace(/=+$/, ''),
  "the webhook's path": HOOK_PATH,
  "the webhook's last segment": HOOK_PATH.split('/').at(-1) as string,
};

const SERVER = `import { createServer } from 'node:http';
createServer((req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end('# no metrics\\n');
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

/** A Prometheus that refuses the credentials and a Slack that refuses the webhook, both quoting them. */
function echoServer(): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/services/')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`no_service: ${req.url}`);
      return;
    }
    const auth = req.headers.authorization ?? '';
    const decoded = Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString();
    // As an auth proxy in front of Prometheus may answer: the credentials quoted back.
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        status: 'error',
        errorType: 'unauthorized',
        error: `unauthorized: ${auth} (${decoded}, ${encodeURIComponent(decoded)})`,
      }),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('secrets in every form stay out of every output', () => {
  let dir: string;
  let echo: Server;
  let marker: string;
  const runs: CliRun[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    echo = await echoServer();
    const port = (echo.address() as AddressInfo).port;
    dir = mkdtempSync(join(tmpdir(), 'md-secrets-'));
    marker = randomUUID();
    mkdirSync(join(dir, '.github'));
    writeFileSync(join(dir, 'server.mjs'), SERVER);
    writeFileSync(
      join(dir, '.github/model-delivery.yml'),
      [
        'deploy:',
        '  target: local',
        '  local: { command: node server.mjs, port: 0, readyPath: /health }',
        'gate:',
        '  source: prometheus',
        `  prometheus: { url: "http://127.0.0.1:${port}/prom", basicAuthEnv: PROM_AUTH, retries: 0 }`,
        '  interval: 1s',
        '  minDuration: 1s',
        '  maxDuration: 3s',
        '  metrics:',
        '    - { name: error_rate, type: ratio, numerator: errors_total, denominator: requests_total, max: 0.1 }',
        'notify:',
        '  slack: { webhook: "${SLACK_WEBHOOK}", retries: 0 }',
        '',
      ].join('\n'),
    );
    env = {
      MD_TEST_MARKER: marker,
      PROM_AUTH: CREDENTIALS,
      SLACK_WEBHOOK: `http://127.0.0.1:${port}${HOOK_PATH}`,
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      GITHUB_OUTPUT: join(dir, 'outputs.txt'),
    };
    writeFileSync(env.GITHUB_STEP_SUMMARY as string, '');
    writeFileSync(env.GITHUB_OUTPUT as string, '');
    for (const args of [
      ['deploy', '--version', 'v1'],
      ['deploy', '--version', 'v2'],
      ['gate', '--json'],
      ['rollback', '--json'],
      ['notify', '--json'],
    ])
      runs.push(await runCli(args, { cwd: dir, env }));
  }, 180_000);

  afterAll(async () => {
    if (dir && existsSync(join(dir, '.model-delivery/local/state.json')))
      await runCli(['stop'], { cwd: dir, env: { MD_TEST_MARKER: marker } });
    for (const pid of markedProcesses(marker)) process.kill(pid, 'SIGKILL');
    echo?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function outputs(): Record<string, string> {
    const reports = join(dir, '.model-delivery/reports');
    const files: Record<string, string> = {
      'job summary': readFileSync(join(dir, 'summary.md'), 'utf8'),
      'step outputs': readFileSync(join(dir, 'outputs.txt'), 'utf8'),
      'report.html': readFileSync(join(dir, '.model-delivery/report.html'), 'utf8'),
    };
    for (const f of readdirSync(reports))
      files[`reports/${f}`] = readFileSync(join(reports, f), 'utf8');
    runs.forEach((r, i) => {
      // `::add-mask::` lines hand each form to the runner, which then masks it in its log too.
      files[`run ${i} stdout`] = r.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n');
      files[`run ${i} stderr`] = r.stderr;
    });
    return files;
  }

  test('the servers did echo them: the gate saw the 401, notify the 404, each masked', () => {
    const [, , gate, , notify] = runs;
    expect(gate?.json?.reason, gate?.stderr).toBe('source_unreachable');
    expect(gate?.stdout + (gate?.stderr ?? '')).toMatch(
      /unauthorized: Basic \*\*\* \(\*\*\*, \*\*\*\)/,
    );
    expect(notify?.json?.reason, notify?.stderr).toBe('notification_failed');
    expect(notify?.stdout + (notify?.stderr ?? '')).toMatch(/HTTP 404 \(no_service: \*\*\*/);
  });

  test.each(Object.entries(FORMS))('%s shows nowhere', (_form, value) => {
    for (const [where, text] of Object.entries(outputs()))
      expect(text.includes(value), `${where} holds it`).toBe(false);
  });
});
