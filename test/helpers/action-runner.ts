import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { execa } from 'execa';
import { parse as parseYaml } from 'yaml';

/**
 * Runs a composite action's steps the way the GitHub runner does: expressions evaluated by
 * GitHub's own evaluator (@actions/expressions), input defaults included, `if:` with the
 * implicit `success()`, env from `env:`, each `run:` in `bash --noprofile --norc -eo
 * pipefail`, one GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_PATH file per step (paths
 * written to GITHUB_PATH lead PATH for the later steps), and GITHUB_ACTION_PATH set to the
 * action's directory. The one `uses:` step emulated is actions/setup-node: it puts a
 * directory holding this test's own Node first on PATH, as the real action does with the
 * Node it installs.
 */
export interface CompositeAction {
  inputs?: Record<string, { default?: string }>;
  outputs?: Record<string, { value: string }>;
  runs: {
    using: string;
    steps: Array<{
      id?: string;
      name?: string;
      if?: string;
      shell?: string;
      env?: Record<string, string>;
      run?: string;
      uses?: string;
      with?: Record<string, string>;
    }>;
  };
}

export interface StepRun {
  id: string;
  ran: boolean;
  outcome: 'success' | 'failure' | 'skipped';
  exitCode?: number;
  outputs: Record<string, string>;
  summary: string;
  stdout: string;
  stderr: string;
}

export interface ActionRun {
  steps: StepRun[];
  outputs: Record<string, string>;
  failed: boolean;
}

export function loadAction(actionDir: string): CompositeAction {
  return parseYaml(readFileSync(join(actionDir, 'action.yml'), 'utf8')) as CompositeAction;
}

export async function runCompositeAction(options: {
  actionDir: string;
  workspace: string;
  inputs: Record<string, string>;
  env?: Record<string, string>;
  eventName?: string;
  event?: Record<string, unknown>;
  /** `github.token`; default: GITHUB_TOKEN of `env`, else empty. */
  token?: string;
  /** GITHUB_REF of the run (`refs/heads/main` for a push to main). */
  ref?: string;
}): Promise<ActionRun> {
  const action = loadAction(options.actionDir);
  const temp = mkdtempSync(join(tmpdir(), 'md-runner-'));
  const eventPath = join(temp, 'event.json');
  writeFileSync(eventPath, JSON.stringify(options.event ?? {}));
  const github = {
    event_name: options.eventName ?? 'push',
    event: options.event ?? {},
    token: options.token ?? options.env?.GITHUB_TOKEN ?? '',
    ref: options.ref ?? '',
  };
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs ?? {}))
    inputs[name] =
      options.inputs[name] ?? interpolate(spec.default ?? '', { github }, { failed: false });
  const steps: Record<
    string,
    { outputs: Record<string, string>; outcome: string; conclusion: string }
  > = {};
  const runs: StepRun[] = [];
  let jobFailed = false;
  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? temp,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_ACTION_PATH: options.actionDir,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_EVENT_NAME: options.eventName ?? 'push',
    GITHUB_EVENT_PATH: eventPath,
    ...(options.ref ? { GITHUB_REF: options.ref } : {}),
    RUNNER_TEMP: temp,
    ...options.env,
  };

  for (const [index, step] of action.runs.steps.entries()) {
    const id = step.id ?? `__${index}`;
    const context = { inputs, steps, github, env: baseEnv };
    const status = { failed: jobFailed };
    const condition = step.if ?? 'success()';
    const run = evaluate(withImplicitSuccess(stripBraces(condition)), context, status);
    if (!truthy(run)) {
      steps[id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
      runs.push({
        id,
        ran: false,
        outcome: 'skipped',
        outputs: {},
        summary: '',
        stdout: '',
        stderr: '',
      });
      continue;
    }
    if (step.uses) {
      const withInputs = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [
          k,
          interpolate(String(v), context, status),
        ]),
      );
      const prepend = emulateUses(step.uses, withInputs, temp, id);
      baseEnv.PATH = `${prepend}:${baseEnv.PATH}`;
      steps[id] = { outputs: {}, outcome: 'success', conclusion: 'success' };
      runs.push({
        id,
        ran: true,
        outcome: 'success',
        outputs: {},
        summary: '',
        stdout: `emulated ${step.uses}`,
        stderr: '',
      });
      continue;
    }
    if (!step.run) throw new Error(`step ${id}: neither run: nor a known uses:`);
    if (step.shell !== 'bash')
      throw new Error(`step ${id}: shell must be bash (got ${step.shell})`);
    const outputFile = join(temp, `output-${index}`);
    const summaryFile = join(temp, `summary-${index}`);
    const pathFile = join(temp, `path-${index}`);
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    writeFileSync(pathFile, '');
    const env: Record<string, string> = {
      ...baseEnv,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_PATH: pathFile,
    };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = interpolate(v, context, status);
    const script = join(temp, `step-${index}.sh`);
    writeFileSync(script, step.run);
    const result = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: options.workspace,
      env,
      extendEnv: false,
      reject: false,
    });
    const added = readFileSync(pathFile, 'utf8').split('\n').filter(Boolean).reverse();
    for (const dir of added) baseEnv.PATH = `${dir}:${baseEnv.PATH}`;
    const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'));
    const outcome = result.exitCode === 0 ? 'success' : 'failure';
    if (outcome === 'failure') jobFailed = true;
    steps[id] = { outputs, outcome, conclusion: outcome };
    runs.push({
      id,
      ran: true,
      outcome,
      exitCode: result.exitCode,
      outputs,
      summary: readFileSync(summaryFile, 'utf8'),
      stdout: String(result.stdout),
      stderr: String(result.stderr),
    });
  }
  const context = { inputs, steps, github, env: baseEnv };
  const outputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.outputs ?? {}))
    outputs[name] = interpolate(spec.value, context, { failed: jobFailed });
  return { steps: runs, outputs, failed: jobFailed };
}

/**
 * actions/setup-node@vN: a directory with `node` (this test's Node, which is new enough) for
 * the front of PATH. Any other action is refused, so an unemulated step cannot pass unseen.
 */
function emulateUses(uses: string, inputs: Record<string, string>, temp: string, id: string) {
  if (!/^actions\/setup-node@v\d+$/.test(uses))
    throw new Error(`step ${id}: uses ${uses} is not emulated (only actions/setup-node@vN)`);
  if (!inputs['node-version']) throw new Error(`step ${id}: setup-node without node-version`);
  const dir = join(temp, 'setup-node', 'bin');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'node'))) symlinkSync(process.execPath, join(dir, 'node'));
  return dir;
}

/** The runner's file command format: `name=value` or `name<<DELIMITER` … `DELIMITER`. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i] as string);
      out[heredoc[1] as string] = body.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

export function stripBraces(expr: string): string {
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(expr);
  return (m ? m[1] : expr) as string;
}

function withImplicitSuccess(expr: string): string {
  return /\b(success|failure|always|cancelled)\(\)/.test(expr) ? expr : `success() && (${expr})`;
}

/** Every `${{ }}` in `text`, evaluated as the runner does. */
export function interpolate(text: string, context: object, status: { failed: boolean }): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_m, expr: string) =>
    evaluate(expr, context, status).coerceString(),
  );
}

export function evaluate(
  expr: string,
  context: object,
  status: { failed: boolean },
): data.ExpressionData {
  const functions = [
    { name: 'success', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(!status.failed) },
    { name: 'failure', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(status.failed) },
    { name: 'always', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(true) },
    { name: 'cancelled', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(false) },
  ];
  const lexed = new Lexer(expr).lex();
  const contextNames = Object.keys(context);
  const parsed = new Parser(lexed.tokens, contextNames, functions).parse();
  const dictionary = JSON.parse(JSON.stringify(context), data.reviver) as data.Dictionary;
  return new Evaluator(
    parsed,
    dictionary,
    new Map(functions.map((f) => [f.name.toLowerCase(), f])),
  ).evaluate();
}

/** GitHub's truthiness: false, 0, NaN, '' and null are falsy. */
export function truthy(value: data.ExpressionData): boolean {
  switch (value.kind) {
    case data.Kind.Boolean:
      return (value as data.BooleanData).value;
    case data.Kind.Null:
      return false;
    case data.Kind.Number: {
      const n = value.number();
      return n !== 0 && !Number.isNaN(n);
    }
    case data.Kind.String:
      return value.coerceString() !== '';
    default:
      return true;
  }
}
