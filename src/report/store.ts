import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportingStage, StageReport } from './stage-report.js';

export type { StageReport } from './stage-report.js';

/** Reports persisted as JSON under `<root>/.model-delivery/reports/`, so later steps of a job can read them. */
export class ReportStore {
  constructor(readonly dir: string) {}

  static forRoot(root: string): ReportStore {
    return new ReportStore(join(root, '.model-delivery'));
  }

  get reportsDir(): string {
    return join(this.dir, 'reports');
  }

  save(report: StageReport): string {
    mkdirSync(this.reportsDir, { recursive: true });
    const file = join(this.reportsDir, `${report.stage}.json`);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    return file;
  }

  load<S extends ReportingStage>(stage: S): StageReport<S> | undefined {
    const file = join(this.reportsDir, `${stage}.json`);
    if (!existsSync(file)) return undefined;
    return JSON.parse(readFileSync(file, 'utf8')) as StageReport<S>;
  }

  all(): StageReport[] {
    if (!existsSync(this.reportsDir)) return [];
    return readdirSync(this.reportsDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(this.reportsDir, f), 'utf8')) as StageReport);
  }
}
