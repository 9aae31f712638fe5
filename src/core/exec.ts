import { execa, type ExecaError } from 'execa';
import { formatDuration } from './duration.js';
import { EnvironmentError } from './errors.js';

/**
 * The one place a program runs (actions/checkout's execGit is the model): an argument
 * array, never a shell; output observed line by line and its tail kept for messages;
 * "not found", "could not start" and timeouts turned into environment errors with a hint.
 * A non-zero exit is returned, not thrown: whether it fails is the caller's decision.
 */
export interface ExecOptions {
  argv: readonly string[];
  cwd: string;
  env?: Record<string, string | undefined>;
  /** false: `env` is the whole environment of the child (builders pass a filtered one). */
  extendEnv?: boolean;
  /** Also look in `<cwd>/node_modules/.bin`, like npm scripts. */
  preferLocal?: boolean;
  timeoutMs?: number;
  /** Written to stdin (a password); never logged. Without it stdin is closed. */
  input?: string;
  /** Each line of stdout and stderr as it arrives. */
  onLine?: (line: string) => void;
  /** Keep stdout whole in the result (inspections); off for long streamed runs. */
  captureStdout?: boolean;
  tailLines?: number;
  /** Prefixes messages: the config path of the command (`train.command`). */
  label?: string;
  /** What to do about a timeout, appended to its message. */
  timeoutHint: string;
  /** The message when the program is not installed. */
  notFound?: (program: string) => string;
}

export interface ExecResult {
  argv: string[];
  exitCode: number;
  durationMs: number;
  /** All of stdout, when `captureStdout`. */
  stdout: string;
  /** The last lines of combined output, for error messages. */
  tail: string[];
}

export function displayCommand(argv: readonly string[]): string {
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

export async function execProgram(options: ExecOptions): Promise<ExecResult> {
  const argv = [...options.argv];
  const [file, ...args] = argv as [string, ...string[]];
  const command = displayCommand(argv);
  const prefix = options.label ? `${options.label}: ` : '';
  const keep = options.tailLines ?? 20;
  const tail: string[] = [];
  const capture = options.captureStdout ?? false;
  // A line transform that observes; it passes lines on only when stdout is captured.
  const onLine = function* (line: unknown) {
    const text = String(line);
    options.onLine?.(text);
    tail.push(text);
    if (tail.length > keep) tail.shift();
    if (capture) yield text;
  };
  const notFound = () =>
    new EnvironmentError(
      options.notFound?.(file) ??
        `${prefix}command \`${file}\` not found (looked on PATH${options.preferLocal ? ' and in node_modules/.bin' : ''}); install it or fix the command`,
      'command_not_found',
      { command: file },
    );
  const started = Date.now();
  let result;
  try {
    result = await execa(file, args, {
      cwd: options.cwd,
      env: options.env,
      extendEnv: options.extendEnv ?? true,
      ...(options.preferLocal ? { preferLocal: true, localDir: options.cwd } : {}),
      timeout: options.timeoutMs,
      killSignal: 'SIGTERM',
      forceKillAfterDelay: 5000,
      reject: false,
      ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
      stdout: [onLine],
      stderr: [onLine],
      buffer: { stdout: capture, stderr: false },
    });
  } catch (e) {
    if ((e as ExecaError).code === 'ENOENT') throw notFound();
    throw e;
  }
  if (result.timedOut) {
    throw new EnvironmentError(
      `${prefix}\`${command}\` timed out after ${formatDuration(options.timeoutMs ?? 0)}; ${options.timeoutHint}`,
      'timeout',
      { command },
    );
  }
  const code = (result as { code?: string }).code;
  if (result.exitCode === undefined && (code === 'ENOENT' || /ENOENT/.test(String(result.message))))
    throw notFound();
  if (result.exitCode === undefined) {
    throw new EnvironmentError(
      `${prefix}\`${command}\` could not run: ${result.shortMessage}`,
      'command_failed_to_start',
    );
  }
  return {
    argv,
    exitCode: result.exitCode,
    durationMs: Date.now() - started,
    stdout: capture ? String(result.stdout) : '',
    tail,
  };
}
