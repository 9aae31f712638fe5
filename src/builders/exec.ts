import { execa } from 'execa';
import { EnvironmentError } from '../core/errors.js';
import { formatDuration } from '../core/duration.js';
import { displayCommand } from '../core/run-command.js';
import type { Logger } from '../core/log.js';

export interface ToolResult {
  exitCode: number;
  stdout: string;
  /** The last lines of combined output, for error messages. */
  tail: string[];
  command: string;
}

export interface ToolCallOptions {
  /** Written to stdin (a password); never logged. */
  input?: string;
  /** Stream output lines to the log (builds and pushes); inspections stay quiet. */
  stream?: boolean;
  env?: Record<string, string>;
}

export type ToolExec = (args: string[], options?: ToolCallOptions) => Promise<ToolResult>;

export interface ToolExecOptions {
  binary: string;
  log: Logger;
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  tailLines?: number;
}

/**
 * The exec chokepoint of one builder tool: argument arrays only, output streamed line by
 * line, "not found" and timeouts as environment errors. A non-zero exit is returned.
 */
export function createToolExec(options: ToolExecOptions): ToolExec {
  const keep = options.tailLines ?? 15;
  return async (args, call = {}) => {
    const command = displayCommand([options.binary, ...args]);
    const tail: string[] = [];
    const onLine = function* (line: unknown) {
      const text = String(line);
      if (call.stream) options.log.info(text);
      tail.push(text);
      if (tail.length > keep) tail.shift();
      yield text;
    };
    const result = await execa(options.binary, args, {
      cwd: options.cwd,
      env: { ...options.env, ...call.env },
      extendEnv: false,
      timeout: options.timeoutMs,
      forceKillAfterDelay: 5000,
      reject: false,
      ...(call.input === undefined ? { stdin: 'ignore' as const } : { input: call.input }),
      stdout: [onLine],
      stderr: [onLine],
    });
    if (result.timedOut) {
      throw new EnvironmentError(
        `\`${command}\` timed out after ${formatDuration(options.timeoutMs)}; raise build.timeout`,
        'timeout',
        { command },
      );
    }
    if (result.exitCode === undefined) {
      if ((result as { code?: string }).code === 'ENOENT') {
        throw new EnvironmentError(
          `${options.binary} is not installed (not found on PATH)`,
          'command_not_found',
          {
            command: options.binary,
          },
        );
      }
      throw new EnvironmentError(
        `\`${command}\` could not run: ${result.shortMessage}`,
        'command_failed_to_start',
      );
    }
    return { exitCode: result.exitCode, stdout: String(result.stdout), tail, command };
  };
}
