import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE, REPO_ROOT } from '../../helpers/cli.js';
import { freePort } from '../../../src/core/free-port.js';
import { waitFor as waitUntil } from '../../../src/core/wait-for.js';

export { freePort };

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

/** Polls until `check` resolves true, or throws after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  await waitUntil(check, { what, timeoutMs, intervalMs: 200 });
}

export interface ExampleServer {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

/**
 * The real example model server (examples/classifier/src/server.ts), with a smoke-trained
 * model in a private temporary directory, on a free loopback port.
 */
export async function startExampleServer(env: {
  TRACK: string;
  MODEL_VERSION: string;
}): Promise<ExampleServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ops-model-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  let child: ResultPromise | undefined;
  try {
    await execa(TSX, ['src/train.ts', '--max_steps', '50', '--out', dir], {
      cwd: EXAMPLE,
      timeout: 60_000,
    });
    const port = await freePort();
    child = execa(TSX, ['src/server.ts'], {
      cwd: EXAMPLE,
      env: { ...env, PORT: String(port), HOST: '127.0.0.1', MODEL_PATH: join(dir, 'model.json') },
      reject: false,
    });
    const url = `http://127.0.0.1:${port}`;
    await waitFor(`the example server on ${url}`, async () => (await fetch(`${url}/health`)).ok);
    const running = child;
    return {
      url,
      port,
      stop: async () => {
        running.kill('SIGTERM');
        await running;
        cleanup();
      },
    };
  } catch (e) {
    child?.kill('SIGKILL');
    cleanup();
    throw e;
  }
}
