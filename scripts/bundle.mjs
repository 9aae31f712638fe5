// Builds dist/ with esbuild. The banner gives the ESM bundle a `require` for the CJS
// dependencies of @actions/* (see reference/library-probes.md §6).
import { build } from 'esbuild';

const outdir = process.argv[2] ?? 'dist';
export const entryPoints = {
  cli: 'src/cli/main.ts',
  'local-proxy': 'src/targets/local-proxy-main.ts',
  bot: 'src/bot/main.ts',
};

await build({
  entryPoints,
  outdir,
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
});
