import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  evaluate,
  interpolate,
  runCompositeAction,
  stripBraces,
  truthy,
  type ActionRun,
} from '../../helpers/action-runner.js';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
export interface Job {
  if?: string;
  needs?: string | string[];
  environment?: string;
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
}

export const ACTION_USES = 'model-delivery/model-delivery@v1';

export function readJob(workflowFile: string, name: string): Job {
  const workflow = parse(readFileSync(workflowFile, 'utf8')) as { jobs: Record<string, Job> };
  const job = workflow.jobs[name];
  if (!job) throw new Error(`${workflowFile} has no job ${name}`);
  return job;
}

export interface JobResult {
  ran: boolean;
  outputs: Record<string, string>;
  /** The run of the model-delivery step. */
  action?: ActionRun;
}

/**
 * One job of a copied workflow, as the runner would run it on a self-hosted machine whose
 * workspace already holds the checkout: the job's `if:` (with `needs`), then its steps.
 * actions/checkout is the checkout the test made; `uses: model-delivery/model-delivery@v1`
 * runs the packed action through the runner emulation with the step's `with:` and env.
 * Any other step is refused, so the workflow cannot grow a step this test does not run.
 */
export async function runWorkflowJob(options: {
  job: Job;
  actionDir: string;
  workspace: string;
  eventName: string;
  event: Record<string, unknown>;
  ref: string;
  token: string;
  secrets: Record<string, string>;
  needs?: Record<string, { outputs: Record<string, string>; result: string }>;
  /** GITHUB_* and PATH for every step. */
  env: Record<string, string>;
  /** Test-only `set` lines appended to the step's (faster gate, a free port). */
  extraSet?: readonly string[];
}): Promise<JobResult> {
  const github = {
    event_name: options.eventName,
    event: options.event,
    ref: options.ref,
    token: options.token,
    actor: 'ada',
  };
  const context = { github, needs: options.needs ?? {}, secrets: options.secrets, env: {} };
  const ok = { failed: false };
  if (options.job.if && !truthy(evaluate(stripBraces(options.job.if), context, ok)))
    return { ran: false, outputs: {} };
  const steps: Record<string, { outputs: Record<string, string> }> = {};
  const jobEnv = expand(options.job.env, context);
  let action: ActionRun | undefined;
  for (const step of options.job.steps) {
    if (step.uses?.startsWith('actions/checkout@')) continue;
    if (step.uses !== ACTION_USES)
      throw new Error(`step ${step.id ?? step.uses ?? step.run}: not run by this test`);
    const inputs = expand(step.with, context);
    if (options.extraSet?.length)
      inputs.set = [inputs.set ?? '', ...options.extraSet].filter(Boolean).join('\n');
    action = await runCompositeAction({
      actionDir: options.actionDir,
      workspace: options.workspace,
      inputs,
      env: { ...options.env, ...jobEnv, ...expand(step.env, context) },
      eventName: options.eventName,
      event: options.event,
      token: options.token,
      ref: options.ref,
    });
    if (step.id) steps[step.id] = { outputs: action.outputs };
    if (action.failed) break;
  }
  const outputs = expand(options.job.outputs, { ...context, steps });
  return { ran: true, outputs, action };
}

function expand(values: Record<string, string> | undefined, context: object) {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values ?? {}))
    out[k] = interpolate(String(v), context, { failed: false });
  return out;
}
