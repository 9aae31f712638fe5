import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const EXAMPLE = fileURLToPath(new URL('../../examples/classifier', import.meta.url));

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The --json result, when the command printed one. */
  json?: {
    stage: string;
    status: string;
    reason: string;
    message?: string;
    details: Record<string, unknown>;
    /** Set when the stage threw (or the command failed before any stage ran). */
    threw?: true;
    exitCode?: number;
  };
}

/** Runs the bundled CLI (what users and the action run) with a clean GitHub env. */
export async function runCli(
  args: string[],
  options: {
    cwd?: string;
    env?: Record<string, string | undefined>;
    timeout?: number;
    /** Called with the output as it comes (stdout and stderr), to wait for an event. */
    onOutput?: (chunk: string) => void;
  } = {},
): Promise<CliRun> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(env))
    if (key.startsWith('GITHUB_') || key.startsWith('INPUT_')) delete env[key];
  const child = execa(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? EXAMPLE,
    env: { ...env, ...options.env },
    extendEnv: false,
    reject: false,
    timeout: options.timeout ?? 120_000,
  });
  const onOutput = options.onOutput;
  if (onOutput) {
    child.stdout?.on('data', (b: Buffer) => onOutput(b.toString()));
    child.stderr?.on('data', (b: Buffer) => onOutput(b.toString()));
  }
  const result = await child;
  const stdout = String(result.stdout);
  let json: CliRun['json'];
  if (args.includes('--json')) json = JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null');
  return { exitCode: result.exitCode ?? -1, stdout, stderr: String(result.stderr), json };
}
