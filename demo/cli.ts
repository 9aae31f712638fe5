// Runs one stage of the real CLI (the bundle users run) with --json: logs stream from stderr
// line by line to the narrator, the result object comes from stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ExitCode } from '../src/core/exit-codes.js';
import type { CliResult } from '../src/cli/types.js';
import type { GateDetails } from '../src/report/stage-details.js';

/** The CLI's `--json` result object. */
export type StageResult = CliResult;

/** The gate's details, when `result` is a gate stage's own result (not an error before it ran). */
export function gateDetails(result: StageResult): GateDetails | undefined {
  if (result.stage === 'gate' && !result.threw) return result.details;
  return undefined;
}

export interface CliCall {
  exitCode: number;
  result: StageResult;
  seconds: number;
  lines: string[];
}

export interface CliOptions {
  cliPath: string;
  cwd: string;
  env: Record<string, string | undefined>;
  /** --set overrides shared by every call. */
  overrides: string[];
}

export class Cli {
  private current: ChildProcess | undefined;

  constructor(private readonly options: CliOptions) {}

  async run(
    stage: string,
    extra: {
      args?: string[];
      set?: string[];
      env?: Record<string, string>;
      onLine?: (line: string) => void;
    } = {},
  ): Promise<CliCall> {
    const sets = [...this.options.overrides, ...(extra.set ?? [])].flatMap((s) => ['--set', s]);
    const argv = [this.options.cliPath, stage, '--json', ...sets, ...(extra.args ?? [])];
    const started = Date.now();
    const child = spawn(process.execPath, argv, {
      cwd: this.options.cwd,
      env: { ...this.options.env, ...extra.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.current = child;
    const lines: string[] = [];
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    const rl = createInterface({ input: child.stderr });
    rl.on('line', (line) => {
      lines.push(line);
      extra.onLine?.(line);
    });
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
    this.current = undefined;
    const last = stdout.trim().split('\n').at(-1) ?? '';
    let result: StageResult;
    try {
      result = JSON.parse(last) as StageResult;
    } catch {
      result = {
        stage,
        threw: true,
        status: 'error',
        reason: 'no_result',
        exitCode: ExitCode.environment,
        message: `model-delivery ${stage} printed no result (exit ${exitCode}): ${lines.slice(-5).join(' | ')}`,
        details: {},
      };
    }
    return { exitCode, result, seconds: (Date.now() - started) / 1000, lines };
  }

  /** Interrupt: SIGTERM to the stage in flight, if any. */
  interrupt(): void {
    this.current?.kill('SIGTERM');
  }
}
