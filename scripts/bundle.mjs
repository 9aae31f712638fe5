// Builds dist/ with esbuild. The banner gives the ESM bundle a `require` for the CJS
// dependencies of @actions/* (see reference/library-probes.md §6).
//
// The CLI is split: dist/cli.js holds only what every command needs, and each stage's
// code sits in a dist/chunk-*.js loaded when that stage runs (every step of the action is
// a new process; `plan` need not compile the PromQL parser). Chunks sit beside cli.js,
// not in a subfolder, because bundled code finds dist/local-proxy.js beside itself. The
// bot and the local proxy stay single files (the bot's image copies dist/ whole).
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const outdir = process.argv[2] ?? 'dist';
export const entryPoints = {
  cli: 'src/cli/main.ts',
  'local-proxy': 'src/targets/local-proxy-main.ts',
  bot: 'src/bot/main.ts',
};
const CHUNK = /^chunk-.*\.js$/;

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: false,
  legalComments: 'none',
  sourcemap: false,
  logLevel: 'warning',
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __mdCreateRequire } from 'node:module';\nconst require = __mdCreateRequire(import.meta.url);",
  },
};

// Chunk names carry a content hash: remove the previous build's, or they pile up.
try {
  for (const file of readdirSync(outdir)) if (CHUNK.test(file)) rmSync(join(outdir, file));
} catch (e) {
  if (e.code !== 'ENOENT') throw e;
}

/**
 * @actions/core imports its OIDC client, and with it @actions/http-client and undici
 * (0.8 MB), at load, for getIDToken, which model-delivery never calls. Every command
 * loads @actions/core (logging, inputs, outputs), so the CLI bundles a stub that says so
 * instead; Octokit still brings undici to the stages that talk to GitHub.
 */
const noOidc = {
  name: 'no-oidc',
  setup(b) {
    b.onResolve({ filter: /^\.\/oidc-utils\.js$/ }, (args) =>
      /[\\/]@actions[\\/]core[\\/]/.test(args.importer)
        ? { path: 'oidc-utils', namespace: 'no-oidc' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'no-oidc' }, () => ({
      contents:
        "export class OidcClient { static async getIDToken() { throw new Error('model-delivery bundles no OIDC client: core.getIDToken is not available'); } }",
      loader: 'js',
    }));
  },
};

const { cli, ...single } = entryPoints;
await build({
  ...common,
  entryPoints: { cli },
  outdir,
  splitting: true,
  chunkNames: 'chunk-[name]-[hash]',
  plugins: [noOidc],
});
await build({ ...common, entryPoints: single, outdir });
