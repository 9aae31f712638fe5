import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors.js';
import type { StageFlags } from '../stages/types.js';
import { isVersionRequest } from './version-request.js';

export interface CliArgs {
  command: 'help' | 'version' | 'stage';
  stage?: string;
  config?: string;
  /** `--root`: the repository root (default: .github's parent, else the git top-level or cwd). */
  root?: string;
  set: string[];
  json: boolean;
  verbose: boolean;
  flags: StageFlags;
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  const base = { set: [], json: false, verbose: false, flags: {} };
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help')
    return { ...base, command: 'help' };
  if (isVersionRequest(argv)) return { ...base, command: 'version' };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', short: 'c' },
        root: { type: 'string' },
        set: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'string' },
        to: { type: 'string' },
        force: { type: 'boolean' },
        reason: { type: 'string' },
        image: { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}; see model-delivery --help`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { ...base, command: 'help' };
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'which stage? see model-delivery --help'
        : `one stage at a time, got: ${positionals.join(' ')}`,
    );
  }
  return {
    command: 'stage',
    stage: positionals[0],
    config: values.config,
    root: values.root,
    set: values.set ?? [],
    json: values.json ?? false,
    verbose: values.verbose ?? false,
    flags: {
      version: values.version,
      to: values.to,
      force: values.force,
      ...(values.image !== undefined ? { image: values.image.trim() } : {}),
      ...(values.reason !== undefined ? { reason: values.reason.trim() } : {}),
    },
  };
}

export function helpText(stages: ReadonlyArray<{ name: string; description: string }>): string {
  const width = Math.max(...stages.map((s) => s.name.length), 4) + 2;
  return `model-delivery — CI/CD for machine-learning models

Usage:
  model-delivery <stage> [--config <path>] [--set path=value]... [--json]
  model-delivery --help | --version

Stages:
${stages.map((s) => `  ${s.name.padEnd(width)}${s.description}`).join('\n')}
  ${'run'.padEnd(width)}the release: lint, train, build, deploy, gate, then promote or rollback; notify always
  ${'plan'.padEnd(width)}print which stages the action runs for this event (input "stages")

Options:
  -c, --config <path>   config file (default: .github/model-delivery.yml)
  --root <dir>          repository root (default: the parent of .github/, else the git
                        top-level or the working directory)
  --set path=value      override a config value; repeatable (e.g. --set train.timeout=5m)
  --json                print one JSON result object on stdout; logs go to stderr
  --version <v>         release version for deploy (default: the git short sha)
  --image <ref>         deploy: the image to ship (repository@sha256:… or :tag), when
                        the build stage did not run in this workspace; wins over its output
  --to <ref>            rollback target
  --force               deploy: break a stale lock; promote: promote without a
                        passing gate (needs --reason, recorded in reports and GitHub)
  --reason <text>       why --force promotes without a passing gate
  --verbose             debug logs

Exit codes: 0 success, 1 a check failed, 2 usage or config error, 3 environment error.
`;
}
