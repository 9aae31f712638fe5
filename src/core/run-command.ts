import { ConfigError } from './errors.js';
import { execProgram } from './exec.js';
import { splitCommand } from './split-command.js';
import type { Logger } from './log.js';

export { displayCommand } from './exec.js';

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

/**
 * Runs a configured command through the exec chokepoint (core/exec.ts), streaming its
 * output through the logger line by line. A non-zero exit is returned, not thrown.
 */
export async function runCommand(options: RunCommandOptions): Promise<CommandResult> {
  const { argv, exitCode, durationMs, tail } = await execProgram({
    argv: toArgv(options.command, options.label),
    cwd: options.cwd,
    env: options.env,
    // Like npm scripts: tools installed in node_modules/.bin of the project are found.
    preferLocal: true,
    timeoutMs: options.timeoutMs,
    onLine: (line) => options.log.info(line),
    tailLines: options.tailLines ?? 20,
    label: options.label,
    timeoutHint: 'raise the timeout or make the command faster',
  });
  return { argv, exitCode, durationMs, tail };
}
