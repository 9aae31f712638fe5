import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
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
  /** Keep stderr whole in the result too (kubectl: its error message, apart from stdout). */
  captureStderr?: boolean;
  /** How the command is shown in messages, when the argv holds what should not be (paths of temporary kubeconfigs). */
  display?: string;
  /** Reason codes of the environment errors, when the caller has its own (`kubectl_timeout`). */
  reasons?: { timeout?: string; notFound?: string; failedToStart?: string };
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
  /** All of stderr, when `captureStderr`. */
  stderr: string;
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
  const command = options.display ?? displayCommand(argv);
  const prefix = options.label ? `${options.label}: ` : '';
  const keep = options.tailLines ?? 20;
  const tail: string[] = [];
  const capture = options.captureStdout ?? false;
  const captureErr = options.captureStderr ?? false;
  // Line transforms that observe; they pass lines on only when that stream is captured.
  const observer = (pass: boolean) =>
    function* (line: unknown) {
      const text = String(line);
      options.onLine?.(text);
      tail.push(text);
      if (tail.length > keep) tail.shift();
      if (pass) yield text;
    };
  const notFound = () =>
    new EnvironmentError(
      options.notFound?.(file) ??
        `${prefix}command \`${file}\` not found (looked on PATH${options.preferLocal ? ' and in node_modules/.bin' : ''}); install it or fix the command`,
      options.reasons?.notFound ?? 'command_not_found',
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
      stdout: [observer(capture)],
      stderr: [observer(captureErr)],
      buffer: { stdout: capture, stderr: captureErr },
    });
  } catch (e) {
    if ((e as ExecaError).code === 'ENOENT') throw notFound();
    throw e;
  }
  if (result.timedOut) {
    throw new EnvironmentError(
      `${prefix}\`${command}\` timed out after ${formatDuration(options.timeoutMs ?? 0)}; ${options.timeoutHint}`,
      options.reasons?.timeout ?? 'timeout',
      { command },
    );
  }
  const code = (result as { code?: string }).code;
  if (result.exitCode === undefined && (code === 'ENOENT' || /ENOENT/.test(String(result.message))))
    throw notFound();
  if (result.exitCode === undefined) {
    throw new EnvironmentError(
      `${prefix}\`${command}\` could not run: ${result.shortMessage}`,
      options.reasons?.failedToStart ?? 'command_failed_to_start',
    );
  }
  return {
    argv,
    exitCode: result.exitCode,
    durationMs: Date.now() - started,
    stdout: capture ? String(result.stdout) : '',
    stderr: captureErr ? String(result.stderr) : '',
    tail,
  };
}

export interface DetachedOptions {
  argv: readonly string[];
  cwd: string;
  /** The whole environment of the child. */
  env: Record<string, string>;
  /** stdout and stderr are appended here: the program keeps writing after this process exits. */
  logFile: string;
  /** Prefixes messages: the config path of the command (`deploy.local.command`). */
  label: string;
}

export interface DetachedProgram {
  pid: number;
  /** Settles when the program exits while this process still runs (an early crash). */
  exited: Promise<string>;
}

/**
 * A long-running program that outlives this process (the local target's model servers):
 * the same argument array and not-found handling as `execProgram`, in its own process
 * group (so stopping the group stops what it spawned), `node_modules/.bin` looked in like
 * npm scripts, its output appended to a log file through a file descriptor.
 */
export async function startDetached(options: DetachedOptions): Promise<DetachedProgram> {
  const [file, ...args] = options.argv as [string, ...string[]];
  mkdirSync(dirname(options.logFile), { recursive: true });
  // (execa's types only list the literals 3–9; any fd number is handed to spawn as is.)
  const out = openSync(options.logFile, 'a') as 3;
  let subprocess;
  try {
    subprocess = execa(file, args, {
      cwd: options.cwd,
      env: options.env,
      extendEnv: false,
      preferLocal: true,
      localDir: options.cwd,
      detached: true,
      cleanup: false,
      reject: false,
      stdin: 'ignore',
      stdout: out,
      stderr: out,
    });
  } finally {
    closeSync(out);
  }
  const exited = subprocess.then((r): string =>
    r.failed ? String(r.shortMessage) : `exited with code ${String(r.exitCode ?? r.signal)}`,
  );
  const spawned = new Promise<'spawned'>((resolve) =>
    subprocess.once('spawn', () => resolve('spawned')),
  );
  const first = await Promise.race([spawned, exited]);
  if (first !== 'spawned' || subprocess.pid === undefined) {
    // It never spawned, so it has settled (reject: false): its code tells a missing program.
    const missing = ((await subprocess) as { code?: string }).code === 'ENOENT';
    throw new EnvironmentError(
      missing
        ? `${options.label}: command \`${file}\` not found (looked on PATH and in node_modules/.bin); install it or fix the command`
        : `${options.label}: \`${displayCommand(options.argv)}\` could not start: ${first}`,
      missing ? 'command_not_found' : 'command_failed_to_start',
      { command: file },
    );
  }
  subprocess.unref();
  return { pid: subprocess.pid, exited };
}
