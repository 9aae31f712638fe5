/**
 * How long the CLI takes to start, as a ratio to a bare `node -e 0` in the same run (the
 * target: `--version` and `plan` within 1.5×). Every stage of the action is a new process,
 * so this is paid at every step. Bundles the current source into a temporary directory
 * first (or measures a given directory), then runs each command N times, interleaved, and
 * prints medians and ratios. Exits 1 when a ratio misses the target.
 *
 *   npm run -s bench:startup              # 15 runs of each, fresh bundle
 *   npx tsx bench/startup/main.ts 31      # 31 runs
 *   npx tsx bench/startup/main.ts 15 dist # the committed dist/
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TARGET = 1.5;
const root = fileURLToPath(new URL('../..', import.meta.url));
const runs = Number(process.argv[2] ?? 15);
const given = process.argv[3];
const node = process.execPath;

const out = given ? join(root, given) : mkdtempSync(join(tmpdir(), 'md-startup-'));
if (!given) execFileSync(node, [join(root, 'scripts/bundle.mjs'), out], { cwd: root });
const cli = join(out, 'cli.js');
// An empty env but PATH: no GITHUB_* or INPUT_* from the caller changes what plan does.
const env = { PATH: process.env.PATH ?? '', INPUT_STAGES: 'lint,train' };

const commands: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  '--version': [cli, '--version'],
  plan: [cli, 'plan'],
};

function once(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(node, args, { env, cwd: tmpdir(), encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

const samples = new Map(Object.keys(commands).map((k) => [k, [] as number[]]));
// One warm-up of each (page cache, and Node's compile cache when the runtime has one).
for (const args of Object.values(commands)) once(args);
for (let i = 0; i < runs; i += 1) {
  for (const [name, args] of Object.entries(commands)) samples.get(name)?.push(once(args));
}
if (!given) rmSync(out, { recursive: true, force: true });

const bare = median(samples.get('node -e 0') ?? []);
console.log(`node ${process.version}, ${runs} runs each, medians:`);
let missed = false;
for (const [name, xs] of samples) {
  const ratio = median(xs) / bare;
  const verdict = name === 'node -e 0' ? '' : ratio <= TARGET ? '  ok' : `  over ${TARGET}×`;
  if (name !== 'node -e 0' && ratio > TARGET) missed = true;
  console.log(
    `  ${name.padEnd(10)} ${median(xs).toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}×${verdict}`,
  );
}
process.exitCode = missed ? 1 : 0;
