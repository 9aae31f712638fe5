import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PIPELINE_ORDER, buildDeliveryView } from '../../../src/report/delivery.js';
import { writeHtmlReport } from '../../../src/report/write-reports.js';
import { ReportStore } from '../../../src/report/store.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { e2e } from '../../helpers/e2e.js';
import {
  GITHUB,
  deployReport,
  failedGateReport,
  rollbackReport,
  stageReport,
  trainReport,
} from '../../unit/report/fixtures.js';

const SCREENSHOT = join(REPO_ROOT, '.tmp-tests', 'report-screenshot.png');
const LOOKS = 6;

describe.skipIf(!e2e('chromium'))('the HTML report in a real browser (Debian chromium)', () => {
  let browser: Browser | undefined;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'md-html-'));
    const store = ReportStore.forRoot(dir);
    for (const r of [
      stageReport('lint'),
      trainReport(),
      deployReport(),
      failedGateReport(LOOKS),
      rollbackReport(),
    ])
      store.save(r);
    const view = buildDeliveryView({
      reports: store.all(),
      github: GITHUB,
      order: PIPELINE_ORDER,
      environment: 'production',
    });
    file = writeHtmlReport({ store, order: PIPELINE_ORDER, view });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('draws a chart per gate metric with its data points, loads nothing but itself, and shows the decision', async () => {
    const page = await (browser as Browser).newPage({ viewport: { width: 1024, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });

    expect(requests).toEqual([url]);

    const charts = page.locator('svg.gate-chart');
    expect(await charts.count()).toBe(2);
    const errorChart = page.locator('svg.gate-chart[data-metric="error_ratio"]');
    const canary = await errorChart
      .locator('circle.point-canary')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(canary).toHaveLength(LOOKS);
    expect(canary[2]).toBeCloseTo(0.12);
    expect(await errorChart.locator('circle.point-baseline').count()).toBe(LOOKS);
    // Drawn, not just present: the polyline has a box inside the chart.
    const box = await errorChart.locator('polyline[data-series="canary"]').boundingBox();
    expect(box?.height).toBeGreaterThan(50);
    expect(await errorChart.locator('polyline[data-series="upper"]').count()).toBe(1);

    await expect
      .poll(() => page.locator('#decision').innerText())
      .toContain('rolled back (gate: threshold_exceeded)');
    expect(await page.locator('#decision').innerText()).toContain(
      'error_ratio fail (threshold_exceeded): canary 0.12, baseline 0.01; max 0.05',
    );
    expect(await page.locator('#stages tbody tr').count()).toBe(5);

    mkdirSync(join(REPO_ROOT, '.tmp-tests'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    await page.close();
  }, 60_000);
});
