import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { LocalState } from '../../../src/targets/local-state.js';
import { runCli, type CliRun } from '../../helpers/cli.js';
import { freePort, markedProcesses } from './helpers.js';

/**
 * A project whose model server starts in milliseconds (answers every path with its version
 * and track), for tests that run many local operations. `stubborn` servers ignore SIGTERM,
 * so stopping one takes the runner's whole grace period: a window to kill the CLI in.
 */

const serverCode = (stubborn: boolean) => `import { createServer } from 'node:http';
${stubborn ? "process.on('SIGTERM', () => {});\n" : ''}createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ model_version: process.env.MODEL_VERSION, track: process.env.TRACK }));
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

export interface Project {
  dir: string;
  port: number;
  marker: string;
  cli(args: string[], env?: Record<string, string>): Promise<CliRun>;
  state(): LocalState;
  reset(): Promise<void>;
  /** reset, then the directory removed. */
  remove(): Promise<void>;
}

export async function createProject(options: { stubborn?: boolean } = {}): Promise<Project> {
  const dir = mkdtempSync(join(tmpdir(), 'md-crash-'));
  const port = await freePort();
  const marker = randomUUID();
  mkdirSync(join(dir, '.github'));
  writeFileSync(join(dir, 'server.mjs'), serverCode(options.stubborn ?? false));
  writeFileSync(
    join(dir, '.github/model-delivery.yml'),
    [
      'deploy:',
      '  target: local',
      '  local:',
      '    command: node server.mjs',
      `    port: ${port}`,
      '    readyPath: /health',
      '',
    ].join('\n'),
  );
  const project: Project = {
    dir,
    port,
    marker,
    cli: (args, env = {}) =>
      runCli(args, { cwd: dir, env: { ...env, MD_TEST_MARKER: marker }, timeout: 60_000 }),
    state: () =>
      JSON.parse(readFileSync(join(dir, '.model-delivery/local/state.json'), 'utf8')) as LocalState,
    async reset() {
      if (existsSync(join(dir, '.model-delivery/local/state.json'))) await project.cli(['stop']);
      for (const pid of markedProcesses(marker)) process.kill(pid, 'SIGKILL');
      rmSync(join(dir, '.model-delivery'), { recursive: true, force: true });
    },
    async remove() {
      await project.reset();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return project;
}

export async function ok(run: Promise<CliRun>): Promise<CliRun> {
  const done = await run;
  expect(done.exitCode, done.stdout + done.stderr).toBe(0);
  return done;
}
