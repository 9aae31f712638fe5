import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { PIPELINE_ORDER } from '../../../src/report/delivery.js';
import { ReportStore } from '../../../src/report/store.js';
import { writeSummary } from '../../../src/report/write-reports.js';
import { failedGateReport, stageReport } from './fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'md-summary-'));
  dirs.push(dir);
  return dir;
}

test("in Actions, a section is cut to what is left of the step's 1 MiB, with the note", async () => {
  const dir = tempDir();
  const file = join(dir, 'step-summary.md');
  writeFileSync(file, 'x'.repeat(900_000));
  const report = stageReport('train', { summary: '| a | b |\n'.repeat(50_000) });
  await writeSummary({
    actions: true,
    summaryFile: file,
    report,
    store: ReportStore.forRoot(dir),
    order: PIPELINE_ORDER,
  });
  expect(statSync(file).size).toBeLessThan(1024 * 1024);
  expect(readFileSync(file, 'utf8')).toContain('> ✂️ Truncated: this section was');
});

test('locally, summary.md and report.html are rebuilt from every report, in pipeline order', async () => {
  const dir = tempDir();
  const store = ReportStore.forRoot(dir);
  const reports = [failedGateReport(), stageReport('lint')];
  for (const r of reports) store.save(r);
  const file = await writeSummary({
    actions: false,
    report: reports[1] as never,
    store,
    order: PIPELINE_ORDER,
  });
  const text = readFileSync(file as string, 'utf8');
  expect(text.indexOf('## ✅ lint')).toBeLessThan(text.indexOf('## ❌ gate'));
  expect(text).toContain('xychart-beta');
  expect(readFileSync(join(dir, '.model-delivery/report.html'), 'utf8')).toContain('<svg');
});
