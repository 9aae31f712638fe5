// A real Alertmanager runs monitoring/alertmanager.yml; an alert added by hand with
// `amtool alert add` (as docs/setup.md shows) reaches the bot's /alerts/alertmanager with
// the bearer token from credentials_file, and Slack through api_url_file. Only what must
// point at this test changes: the URLs, the secret files, and shorter waits.
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { e2e } from '../../helpers/e2e.js';
import { freePort, waitFor } from './example-server.js';
import { parseAllDocuments } from 'yaml';
import { parseAlertmanager } from '../../../src/bot/alerts/alertmanager.js';
import { authenticate } from '../../../src/bot/alerts/auth.js';
import { readBotSettings } from '../../../src/bot/settings.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { MONITORING } from './monitoring-files.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { key: string; optional?: boolean } };
}

/** The bot's env as k8s/bot/deployment.yaml sets it, with these values in its Secret. */
function deploymentEnv(secret: Record<string, string>): Record<string, string | undefined> {
  const docs = parseAllDocuments(
    readFileSync(join(REPO_ROOT, 'k8s', 'bot', 'deployment.yaml'), 'utf8'),
  );
  const deployment = docs[0]!.toJS() as {
    spec: { template: { spec: { containers: { env: EnvVar[] }[] } } };
  };
  const env: Record<string, string | undefined> = {};
  for (const e of deployment.spec.template.spec.containers[0]!.env) {
    const ref = e.valueFrom?.secretKeyRef;
    env[e.name] = ref ? secret[ref.key] : e.value;
    if (ref && env[e.name] === undefined && !ref.optional)
      throw new Error(`Secret key ${ref.key} is missing`);
  }
  return env;
}

interface Received {
  path: string;
  authorization: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: {
    alerts?: { labels: Record<string, string> }[];
    text?: string;
    attachments?: { title: string; text: string }[];
  };
}

describe.skipIf(!e2e('prometheus-alertmanager', 'amtool'))(
  'Alertmanager with monitoring/alertmanager.yml',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'ops-alertmanager-'));
    const token = `token-${process.pid}-${Date.now()}`;
    const received: Received[] = [];
    let receiver: Server;
    let alertmanager: ResultPromise | undefined;
    let amUrl: string;

    const addAlert = (labels: string[], annotations: string[] = []) =>
      execa('amtool', [
        'alert',
        'add',
        `--alertmanager.url=${amUrl}`,
        ...labels,
        ...annotations.map((a) => `--annotation=${a}`),
      ]);

    beforeAll(async () => {
      receiver = createServer((req, res) => {
        let data = '';
        req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
        req.on('end', () => {
          received.push({
            path: req.url ?? '',
            authorization: req.headers.authorization,
            headers: req.headers,
            raw: data,
            body: JSON.parse(data) as Received['body'],
          });
          res.writeHead(200).end('ok');
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const address = receiver.address();
      const rport = typeof address === 'object' && address ? address.port : 0;

      writeFileSync(join(dir, 'alert-token'), token);
      writeFileSync(join(dir, 'webhook-url'), `http://127.0.0.1:${rport}/slack`);
      const config = readFileSync(join(MONITORING, 'alertmanager.yml'), 'utf8')
        .replace(
          'http://model-delivery-bot.model-delivery.svc.cluster.local',
          `http://127.0.0.1:${rport}`,
        )
        .replace(
          '/etc/alertmanager/secrets/model-delivery-bot/alert-token',
          join(dir, 'alert-token'),
        )
        .replace('/etc/alertmanager/secrets/slack/webhook-url', join(dir, 'webhook-url'))
        .replace(/group_wait: \d+s/g, 'group_wait: 1s');
      expect(config.match(new RegExp(dir, 'g'))).toHaveLength(2);
      writeFileSync(join(dir, 'alertmanager.yml'), config);

      const port = await freePort();
      amUrl = `http://127.0.0.1:${port}`;
      alertmanager = execa(
        'prometheus-alertmanager',
        [
          `--config.file=${join(dir, 'alertmanager.yml')}`,
          `--storage.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          // An empty address turns clustering (gossip on 0.0.0.0:9094) off.
          '--cluster.listen-address=',
        ],
        { reject: false, all: true },
      );
      await waitFor('Alertmanager to be ready', async () => (await fetch(`${amUrl}/-/ready`)).ok);

      await addAlert(
        [
          'alertname=ModelAccuracyLow',
          'severity=critical',
          'repository=acme/classifier',
          'environment=production',
          'revision=v7',
        ],
        [
          'summary=acme/classifier production: v7 online accuracy is 0.74',
          'runbook_url=https://example.invalid/runbook',
        ],
      );
      await addAlert(
        [
          'alertname=ModelNoTraffic',
          'severity=warning',
          'repository=acme/quiet',
          'environment=production',
          'revision=v1',
        ],
        ['summary=acme/quiet production: v1 has had no prediction requests for 15 minutes'],
      );
      await waitFor('the bot and both Slack messages', async () => received.length >= 3, 30_000);
    });

    afterAll(async () => {
      alertmanager?.kill('SIGTERM');
      await alertmanager;
      await new Promise((resolve) => receiver?.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    });

    test('the critical alert reaches the bot with the bearer token from credentials_file', () => {
      const bot = received.filter((r) => r.path === '/alerts/alertmanager');
      expect(bot).toHaveLength(1);
      expect(bot[0]!.authorization).toBe(`Bearer ${token}`);
      expect(bot[0]!.body.alerts?.map((a) => a.labels)).toEqual([
        {
          alertname: 'ModelAccuracyLow',
          severity: 'critical',
          repository: 'acme/classifier',
          environment: 'production',
          revision: 'v7',
        },
      ]);
    });

    test('the bot, configured as k8s/bot/deployment.yaml configures it, accepts that delivery', () => {
      const bot = received.find((r) => r.path === '/alerts/alertmanager')!;
      const secret = { 'app-id': '1', 'webhook-secret': 'w', 'alert-token': token };
      const settings = readBotSettings(deploymentEnv(secret));
      const body = Buffer.from(bot.raw);
      const check = (auth: typeof settings.auth) =>
        authenticate({
          route: 'alertmanager',
          headers: bot.headers,
          body,
          settings: auth,
          now: Date.now(),
        });
      expect(check(settings.auth)).toBe(true);
      expect(check({ ...settings.auth, token: 'another-token' })).toBe(false);
      const parsed = parseAlertmanager(JSON.parse(bot.raw));
      expect(parsed.ok && parsed.alerts.map((a) => [a.status, a.labels])).toEqual([
        [
          'firing',
          expect.objectContaining({
            repository: 'acme/classifier',
            environment: 'production',
            revision: 'v7',
          }),
        ],
      ]);
      // The labels the bot maps an alert with are the ones the rules set.
      expect(settings.mapping).toEqual(
        expect.objectContaining({ repositoryLabel: 'repository', environmentLabel: 'environment' }),
      );
    });

    test('both alerts reach Slack through api_url_file; the warning does not reach the bot', () => {
      const slack = received.filter((r) => r.path === '/slack');
      expect(slack).toHaveLength(2);
      const texts = slack.map((m) => JSON.stringify(m.body)).join('\n');
      expect(texts).toContain('v7 online accuracy is 0.74');
      expect(texts).toContain('no prediction requests for 15 minutes');
      expect(
        received.filter(
          (r) =>
            r.path === '/alerts/alertmanager' && JSON.stringify(r.body).includes('ModelNoTraffic'),
        ),
      ).toEqual([]);
    });
  },
);
