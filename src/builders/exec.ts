import { displayCommand, execProgram } from '../core/exec.js';
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
 * One builder tool on the exec chokepoint (core/exec.ts): its binary, its environment
 * only (no inherited env), its timeout. Inspections stay quiet; builds and pushes stream.
 */
export function createToolExec(options: ToolExecOptions): ToolExec {
  return async (args, call = {}) => {
    const argv = [options.binary, ...args];
    const result = await execProgram({
      argv,
      cwd: options.cwd,
      env: { ...options.env, ...call.env },
      extendEnv: false,
      timeoutMs: options.timeoutMs,
      input: call.input,
      onLine: call.stream ? (line) => options.log.info(line) : undefined,
      captureStdout: true,
      tailLines: options.tailLines ?? 15,
      timeoutHint: 'raise build.timeout',
      notFound: (binary) => `${binary} is not installed (not found on PATH)`,
    });
    return {
      exitCode: result.exitCode,
      stdout: result.stdout,
      tail: result.tail,
      command: displayCommand(argv),
    };
  };
}
