// `share-crash-main.ts <root> <percent> <crash after step>`: one setTrafficShare call of the
// local target that kills itself (SIGKILL) after the given step of its transaction, as
// MODEL_DELIVERY_CRASH_AFTER_STEP does for the CLI's operations.
import { configSchema } from '../../../src/config/schema.js';
import { memoryLogger } from '../../../src/core/log.js';
import { LocalTarget } from '../../../src/targets/local.js';
import { crashHook } from '../../../src/targets/local-transaction.js';

const [root, percent, after] = process.argv.slice(2);
const log = memoryLogger();
const config = configSchema.parse({ deploy: { local: { command: ['true'] } } });
const target = new LocalTarget({
  root: root ?? '',
  deploy: config.deploy,
  env: {},
  log,
  afterStep: crashHook(after, log),
});
await target.setTrafficShare(Number(percent));
