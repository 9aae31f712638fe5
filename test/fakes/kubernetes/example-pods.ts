import { execa } from 'execa';
import { join } from 'node:path';
import { build } from 'esbuild';
import { EXAMPLE, REPO_ROOT } from '../../helpers/cli.js';
import type { ImageCommand } from './kubelet.js';

/** The example's image, whatever its tag or digest. */
export const EXAMPLE_IMAGE = /^ghcr\.io\/example\/classifier[:@]/;

/**
 * The per-image command for the example's image: the real example server
 * (examples/classifier/src/server.ts), bundled once into `dir` so each pod starts with plain
 * node in a fraction of tsx's time, with a smoke-trained model from `dir`. `variant` picks
 * MODEL_VARIANT by image (the test's stand-in for what a bad build would do).
 */
export async function exampleServerImage(
  dir: string,
  variant: (image: string) => string = () => 'good',
): Promise<ImageCommand> {
  await execa(
    join(REPO_ROOT, 'node_modules/.bin/tsx'),
    ['src/train.ts', '--max_steps', '50', '--out', dir],
    {
      cwd: EXAMPLE,
      timeout: 120_000,
    },
  );
  const server = join(dir, 'server.cjs');
  await build({
    entryPoints: [join(EXAMPLE, 'src/server.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: server,
    logLevel: 'silent',
  });
  return {
    image: EXAMPLE_IMAGE,
    command: [process.execPath, server],
    cwd: dir,
    env: (image) => ({
      // Loopback only, whatever the manifest says (its HOST is 0.0.0.0 for a real pod).
      HOST: '127.0.0.1',
      MODEL_PATH: join(dir, 'model.json'),
      MODEL_VARIANT: variant(image),
    }),
  };
}
