import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type ConfigInput } from '../../../src/config/schema.js';
import { memoryLogger } from '../../../src/core/log.js';
import { SecretRegistry } from '../../../src/core/secrets.js';
import { ReportStore, type StageReport } from '../../../src/report/store.js';
import type { GitHubContext } from '../../../src/settings/github-context.js';
import { readStageInputs } from '../../../src/settings/stage-inputs.js';
import type { StageContext } from '../../../src/stages/types.js';
import { GITHUB } from '../../unit/report/fixtures.js';

/** A real StageContext over a temporary project directory holding the given reports. */
export function notifyContext(options: {
  reports: StageReport[];
  config?: ConfigInput;
  github?: Partial<GitHubContext>;
}) {
  const root = mkdtempSync(join(tmpdir(), 'md-notify-'));
  const reports = ReportStore.forRoot(root);
  for (const r of options.reports) reports.save(r);
  const log = memoryLogger();
  const ctx: StageContext = {
    config: configSchema.parse(options.config ?? {}),
    root,
    configPath: join(root, '.github/model-delivery.yml'),
    github: { ...GITHUB, actions: false, ...options.github },
    env: {},
    inputs: readStageInputs({}),
    flags: {},
    log,
    secrets: new SecretRegistry(),
    reports,
  };
  return { ctx, log, root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
