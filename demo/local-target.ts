// The demo on the local target: one process per track on free loopback ports behind a front
// proxy, as `model-delivery deploy` starts them; its state file says which ports.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cli } from './cli.js';
import type { DemoTarget, ProcessNote } from './target.js';

interface LocalState {
  tracks?: Record<string, { pid: number; port: number; release?: { version?: string } }>;
  proxy?: { pid: number; port: number };
}

export function localTarget(exampleDir: string): DemoTarget {
  const stateDir = join(exampleDir, '.model-delivery', 'local');
  const stateFile = join(stateDir, 'state.json');
  const read = (): LocalState =>
    existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as LocalState) : {};

  return {
    name: 'local',
    headline: 'local (processes on 127.0.0.1 behind a front proxy)',
    scrapeInterval: '2s',
    overrides: () => ['deploy.local.port=0'],
    env: () => ({}),
    async cleanSlate(cli: Cli) {
      const stop = await cli.run('stop');
      return `model-delivery stop (${stop.result.reason})`;
    },
    async setUp() {
      // Nothing to start: `deploy` starts the processes.
    },
    realParts: () => [
      '  · real: the CLI (dist/cli.js), the model server as one process per track, a front proxy on loopback',
    ],
    prepareRelease(_version, bad) {
      // The local target runs each release with the env it was deployed with: only this
      // release's processes (the canary) get the degraded variant; the baseline stays as it was.
      return { args: bad ? ['--set', 'deploy.local.env.MODEL_VARIANT=errors'] : [] };
    },
    liveUrl() {
      const { proxy } = read();
      if (!proxy) throw new Error(`no front proxy in ${stateFile}: nothing is deployed`);
      return `http://127.0.0.1:${proxy.port}`;
    },
    scrapeTargets() {
      try {
        return Object.values(read().tracks ?? {})
          .map((t) => t.port)
          .filter((p): p is number => typeof p === 'number')
          .map((p) => `127.0.0.1:${p}`);
      } catch {
        // Being rewritten: the next refresh reads it.
        return [];
      }
    },
    noteProcesses(add: (p: ProcessNote) => void) {
      const state = read();
      if (state.proxy) add({ name: 'front proxy', pid: state.proxy.pid, port: state.proxy.port });
      for (const [track, r] of Object.entries(state.tracks ?? {}))
        add({ name: `${track} ${r.release?.version ?? ''}`.trim(), pid: r.pid, port: r.port });
    },
    snapshot() {
      // The local state file is the record; run.json names it.
    },
    facts: () => ({ localState: stateDir }),
    async tearDown(cli, env) {
      const stopped = await cli?.run('stop', { env }).catch(() => undefined);
      if (stopped && stopped.result.status !== 'success')
        return `model-delivery stop: ${stopped.result.message ?? stopped.result.reason}`;
      return undefined;
    },
  };
}
