// monitoring/ checked by the tools that own its formats: promtool (config, rules, rule unit
// tests) and amtool (config, routing). Debian's binaries, installed by .ci/run.
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, test } from 'vitest';
import { e2e } from '../../helpers/e2e.js';
import {
  MONITORING,
  RULES_DIR,
  alertNames,
  configForDebianPrometheus,
  ruleFiles,
} from './monitoring-files.js';

const ALERTMANAGER_YML = join(MONITORING, 'alertmanager.yml');

async function run(bin: string, args: string[]) {
  const r = await execa(bin, args, { reject: false, all: true, timeout: 30_000 });
  return { exitCode: r.exitCode, output: String(r.all) };
}

describe.skipIf(!e2e('promtool', 'amtool'))('monitoring files pass promtool and amtool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ops-promtool-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('promtool check config accepts prometheus.yml and loads its rule files', async () => {
    const { path, kubernetesJobs } = configForDebianPrometheus({ dir, pods: [] });
    expect(kubernetesJobs).toEqual(['model-pods']);
    const r = await run('promtool', ['check', 'config', path]);
    expect(r.output).toContain('SUCCESS');
    expect(r.exitCode, r.output).toBe(0);
    // The rule files were found through rule_files and checked too.
    for (const file of ruleFiles()) expect(r.output).toContain(`Checking ${file}`);
  });

  test('promtool check config still rejects a broken relabelling (the check is real)', async () => {
    const { path } = configForDebianPrometheus({ dir, pods: [] });
    writeFileSync(path, readFileSync(path, 'utf8').replace('action: keep', 'action: kept'));
    const r = await run('promtool', ['check', 'config', path]);
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toMatch(/unknown relabel action/);
  });

  test('promtool check rules accepts every rule file', async () => {
    const r = await run('promtool', ['check', 'rules', ...ruleFiles()]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).not.toContain('FAILED');
  });

  test('the five model alerts exist', () => {
    expect(alertNames().sort()).toEqual(
      [
        'ModelAccuracyLow',
        'ModelHighErrorRate',
        'ModelHighLatencyP95',
        'ModelNoTraffic',
        'ModelPredictionDrift',
      ].sort(),
    );
  });

  test('promtool test rules passes every unit test under monitoring/tests/', async () => {
    const tests = readdirSync(join(MONITORING, 'tests'))
      .filter((f) => f.endsWith('.test.yml'))
      .map((f) => join(MONITORING, 'tests', f));
    expect(tests.length).toBeGreaterThanOrEqual(2);
    const r = await run('promtool', ['test', 'rules', ...tests]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output.match(/SUCCESS/g)).toHaveLength(tests.length);
  });

  test('every alert is covered by a rule unit test', () => {
    const text = readdirSync(join(MONITORING, 'tests'))
      .map((f) => readFileSync(join(MONITORING, 'tests', f), 'utf8'))
      .join('\n');
    for (const alert of alertNames())
      expect(text, alert).toMatch(new RegExp(`alertname: ${alert}\\n\\s+exp_alerts:\\n`));
  });

  test('ModelAccuracyLow: the unit tests fail when the threshold or the 5 minutes change', async () => {
    // Mutations of the rule must break the tests that pin 0.74 firing at 6m and 0.76 staying quiet.
    const original = readFileSync(join(RULES_DIR, 'model-alerts.yml'), 'utf8');
    const cases = [
      original.replace(
        'ratio_rate5m{track="stable"} < 0.75',
        'ratio_rate5m{track="stable"} < 0.77',
      ),
      original.replace(/(alert: ModelAccuracyLow[\s\S]*?)for: 5m/, '$1for: 4m'),
    ];
    for (const [i, mutated] of cases.entries()) {
      expect(mutated).not.toBe(original);
      const copy = join(dir, `mutant-${i}`);
      mkdirSync(join(copy, 'rules'), { recursive: true });
      mkdirSync(join(copy, 'tests'), { recursive: true });
      writeFileSync(
        join(copy, 'rules', 'model-recording.yml'),
        readFileSync(join(RULES_DIR, 'model-recording.yml')),
      );
      writeFileSync(join(copy, 'rules', 'model-alerts.yml'), mutated);
      const testFile = join(copy, 'tests', 'model-alerts.test.yml');
      writeFileSync(testFile, readFileSync(join(MONITORING, 'tests', 'model-alerts.test.yml')));
      const r = await run('promtool', ['test', 'rules', testFile]);
      expect(r.exitCode).not.toBe(0);
      expect(r.output).toContain('alertname: ModelAccuracyLow');
    }
  });

  test('amtool check-config accepts alertmanager.yml', async () => {
    const r = await run('amtool', ['check-config', ALERTMANAGER_YML]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain('SUCCESS');
  });

  test('the bot webhook authenticates with a bearer credentials_file and Slack reads api_url_file', () => {
    const text = readFileSync(ALERTMANAGER_YML, 'utf8');
    const config = parse(text) as {
      receivers: {
        name: string;
        webhook_configs?: {
          url: string;
          http_config: { authorization: { type: string; credentials_file: string } };
        }[];
        slack_configs?: { api_url_file: string }[];
      }[];
    };
    const bot = config.receivers.find((r) => r.name === 'model-delivery-bot')?.webhook_configs?.[0];
    expect(new URL(bot?.url ?? '').pathname).toBe('/alerts/alertmanager');
    expect(bot?.http_config.authorization).toEqual({
      type: 'Bearer',
      credentials_file: expect.stringMatching(/^\//),
    });
    const slack = config.receivers.find((r) => r.name === 'slack-models')?.slack_configs?.[0];
    expect(slack?.api_url_file).toMatch(/^\//);
    // No secret is written inline.
    expect(text).not.toMatch(/^\s*(credentials|api_url|password):/m);
  });

  test.each([
    {
      labels: ['alertname=ModelAccuracyLow', 'severity=critical'],
      receivers: 'model-delivery-bot,slack-models',
    },
    {
      labels: ['alertname=ModelHighErrorRate', 'severity=critical'],
      receivers: 'model-delivery-bot,slack-models',
    },
    {
      labels: ['alertname=ModelHighLatencyP95', 'severity=critical'],
      receivers: 'model-delivery-bot,slack-models',
    },
    { labels: ['alertname=ModelPredictionDrift', 'severity=warning'], receivers: 'slack-models' },
    { labels: ['alertname=ModelNoTraffic', 'severity=warning'], receivers: 'slack-models' },
  ])('amtool routes $labels to $receivers', async ({ labels, receivers }) => {
    const r = await run('amtool', [
      'config',
      'routes',
      'test',
      `--config.file=${ALERTMANAGER_YML}`,
      `--verify.receivers=${receivers}`,
      ...labels,
      'repository=acme/classifier',
      'environment=production',
    ]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain(receivers);
  });
});
