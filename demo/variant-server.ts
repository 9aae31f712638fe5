// The demo's deploy.local.command: the example server, with MODEL_VARIANT chosen per release.
// The local target gives every process of one deploy call the same deploy.local.env, the
// baseline (the stable release) included; a bad release must be bad on its canary only,
// so DEMO_VARIANTS="v3=errors" makes the v3 processes the degraded variant and leaves the
// others as they are. Run from the example's root (cwd), like the plain command.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const version = process.env.MODEL_VERSION ?? '';
for (const pair of (process.env.DEMO_VARIANTS ?? '').split(',')) {
  const [v, variant] = pair.split('=');
  if (v && variant && v === version) process.env.MODEL_VARIANT = variant;
}
await import(pathToFileURL(join(process.cwd(), 'src', 'server.ts')).href);
