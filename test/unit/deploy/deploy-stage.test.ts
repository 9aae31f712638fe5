import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { ConfigError } from '../../../src/core/errors.js';
import { memoryLogger } from '../../../src/core/log.js';
import { SecretRegistry } from '../../../src/core/secrets.js';
import { ReportStore } from '../../../src/report/store.js';
import { readStageInputs } from '../../../src/settings/stage-inputs.js';
import { deployStage } from '../../../src/stages/deploy.js';
import { stopCommand } from '../../../src/stages/stop.js';
import type { StageContext } from '../../../src/stages/types.js';

const root = mkdtempSync(join(tmpdir(), 'md-deploy-stage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function context(deploy: Record<string, unknown>): StageContext {
  return {
    config: configSchema.parse({ deploy }),
    root,
    configPath: join(root, '.github/model-delivery.yml'),
    // A token and repository make the ledger active; its API URL goes nowhere, so any call would fail.
    github: {
      actions: false,
      serverUrl: 'https://github.com',
      apiUrl: 'http://127.0.0.1:9',
      token: 't',
      repository: 'o/r',
      sha: 'abc1234',
    },
    env: {},
    inputs: readStageInputs({}),
    flags: { version: 'v1' },
    log: memoryLogger(),
    secrets: new SecretRegistry(),
    reports: ReportStore.forRoot(root),
  };
}

describe('deploy stage', () => {
  test('local target without a command: a config error before the ledger or any process', async () => {
    const run = deployStage.run(context({}));
    await expect(run).rejects.toThrow(ConfigError);
    await expect(deployStage.run(context({}))).rejects.toThrow(
      /deploy\.local\.command: required for the local target/,
    );
  });

  test('stop is for the local target only', async () => {
    await expect(stopCommand.run(context({ target: 'kubernetes' }))).rejects.toThrow(
      /stop ends the local target's processes; deploy.target is kubernetes/,
    );
  });

  test('stop with nothing started says so', async () => {
    expect(await stopCommand.run(context({}))).toMatchObject({
      status: 'success',
      message: 'nothing was running',
    });
  });
});
