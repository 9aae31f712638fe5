import { EnvironmentError } from './errors.js';
import { execProgram } from './exec.js';

/** Every git call has this limit: all of them are local reads that take milliseconds. */
export const GIT_TIMEOUT_MS = 30_000;

export interface GitResult {
  exitCode: number;
  stdout: string;
  /** The last lines of combined output (git's message when it fails). */
  tail: string[];
}

/**
 * Runs git on the exec chokepoint with the one timeout policy. Throws an EnvironmentError
 * when git is missing or hangs; a non-zero exit is returned.
 */
export async function runGit(cwd: string, args: readonly string[]): Promise<GitResult> {
  const { exitCode, stdout, tail } = await execProgram({
    argv: ['git', ...args],
    cwd,
    timeoutMs: GIT_TIMEOUT_MS,
    captureStdout: true,
    tailLines: 5,
    label: 'git',
    timeoutHint: 'is the repository on a slow or locked filesystem?',
  });
  return { exitCode, stdout, tail };
}

/**
 * The trimmed output of a git query, or undefined when git cannot tell: no repository, no
 * such ref, git not installed or not answering. For facts that are optional by nature.
 */
export async function gitQuery(cwd: string, args: readonly string[]): Promise<string | undefined> {
  try {
    const result = await runGit(cwd, args);
    const out = result.stdout.trim();
    return result.exitCode === 0 && out ? out : undefined;
  } catch (e) {
    if (e instanceof EnvironmentError) return undefined;
    throw e;
  }
}
