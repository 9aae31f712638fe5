import { execa, type ExecaError } from 'execa';
import { ConfigError, EnvironmentError } from './errors.js';
import { splitCommand } from './split-command.js';
import { formatDuration } from './duration.js';
import type { Logger } from './log.js';

/** A command from the config: a string (split by splitCommand; no shell runs it), or an argv. */
export type CommandSpec = string | string[];

export interface RunCommandOptions {
  command: CommandSpec;
  /** The config path of the command, used in messages (`train.command`). */
  label: string;
  cwd: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  log: Logger;
  /** How many trailing output lines to keep for error messages. */
  tailLines?: number;
}

export interface CommandResult {
  argv: string[];
  exitCode: number;
  durationMs: number;
  /** The last lines of combined output, for error messages. */
  tail: string[];
}

/** The argv of a configured command; `label` names it in the error (`train.command`). */
export function toArgv(command: CommandSpec, label = 'command'): string[] {
  if (Array.isArray(command)) {
    if (command.length === 0 || !command[0])
      throw new ConfigError([`${label}: the command is empty`], 'empty_command');
    return command;
  }
  const split = splitCommand(command);
  if ('problem' in split) throw new ConfigError([`${label}: ${split.problem}`], 'invalid_command');
  return split.argv;
}

export function displayCommand(argv: string[]): string {
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

/**
 * Runs a configured command with an argument array (never a shell), streams its output
 * through the logger line by line, and turns "not found" and timeouts into environment
 * errors. A non-zero exit is returned, not thrown: whether it fails the stage is the
 * caller's decision.
 */
export async function runCommand(options: RunCommandOptions): Promise<CommandResult> {
  const argv = toArgv(options.command, options.label);
  const [file, ...args] = argv as [string, ...string[]];
  const tail: string[] = [];
  const keep = options.tailLines ?? 20;
  // A line transform that only observes: it yields nothing, so no output piles up unread.
  // eslint-disable-next-line require-yield
  const onLine = function* (line: unknown) {
    const text = String(line);
    options.log.info(text);
    tail.push(text);
    if (tail.length > keep) tail.shift();
  };
  const started = Date.now();
  try {
    const result = await execa(file, args, {
      cwd: options.cwd,
      env: options.env,
      // Like npm scripts: tools installed in node_modules/.bin of the project are found.
      preferLocal: true,
      localDir: options.cwd,
      timeout: options.timeoutMs,
      killSignal: 'SIGTERM',
      forceKillAfterDelay: 5000,
      reject: false,
      stdin: 'ignore',
      stdout: [onLine],
      stderr: [onLine],
      buffer: false,
    });
    const durationMs = Date.now() - started;
    if (result.timedOut) {
      throw new EnvironmentError(
        `${options.label}: \`${displayCommand(argv)}\` timed out after ${formatDuration(options.timeoutMs ?? 0)}; raise the timeout or make the command faster`,
        'timeout',
        { command: displayCommand(argv) },
      );
    }
    const code = (result as { code?: string }).code;
    if (result.failed && (code === 'ENOENT' || /ENOENT/.test(String(result.message)))) {
      throw notFound(options.label, argv);
    }
    if (result.exitCode === undefined) {
      throw new EnvironmentError(
        `${options.label}: \`${displayCommand(argv)}\` could not run: ${result.shortMessage}`,
        'command_failed_to_start',
      );
    }
    return { argv, exitCode: result.exitCode, durationMs, tail };
  } catch (e) {
    if ((e as ExecaError).code === 'ENOENT') throw notFound(options.label, argv);
    throw e;
  }
}

function notFound(label: string, argv: string[]): EnvironmentError {
  return new EnvironmentError(
    `${label}: command \`${argv[0]}\` not found (looked on PATH and in node_modules/.bin); install it or fix the command`,
    'command_not_found',
    { command: argv[0] },
  );
}
