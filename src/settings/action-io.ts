import * as core from '@actions/core';

/**
 * The action's inputs and outputs. This is the only module that reads inputs or writes
 * outputs; a contract test checks these lists against action.yml.
 */
export const ACTION_INPUTS = [
  'config',
  'stages',
  'set',
  'working-directory',
  'registry-username',
  'registry-password',
  'kubeconfig',
  'to',
  'force',
  'reason',
] as const;
export type ActionInputName = (typeof ACTION_INPUTS)[number];

export const ACTION_OUTPUTS = [
  'stages',
  'metrics',
  'image',
  'digest',
  'image-ref',
  'version',
  'canary',
  'front-url',
  'deployment-id',
  'verdict',
  'reason',
  'report',
] as const;
export type ActionOutputName = (typeof ACTION_OUTPUTS)[number];
export type ActionOutputs = Partial<Record<ActionOutputName, string>>;

export interface ActionInputs {
  config?: string;
  stages?: string;
  /** `path=value` lines, applied before the command line's `--set`. */
  set: string[];
  workingDirectory?: string;
  /** The rollback target; the command line's `--to` wins. */
  to?: string;
  /** promote without a passing gate (needs `reason`); the command line's `--force` wins. */
  force: boolean;
  /** Why the gate is overridden; recorded in the reports and the GitHub Deployment. */
  reason?: string;
}

/** Inputs arrive as INPUT_* env (action.yml passes each one through `env:`). */
export function readActionInputs(): ActionInputs {
  const get = (name: ActionInputName) => core.getInput(name).trim() || undefined;
  return {
    config: get('config'),
    stages: get('stages'),
    set: core
      .getMultilineInput('set')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#')),
    workingDirectory: get('working-directory'),
    to: get('to'),
    force: get('force') === 'true',
    reason: get('reason'),
  };
}

/** Writes step outputs to GITHUB_OUTPUT; outside a runner there is nowhere to write them. */
export function writeActionOutputs(outputs: ActionOutputs): void {
  // Without GITHUB_OUTPUT, core.setOutput falls back to printing `::set-output` on stdout.
  if (!process.env.GITHUB_OUTPUT) return;
  for (const [name, value] of Object.entries(outputs)) {
    if (value !== undefined) core.setOutput(name, value);
  }
}

export interface RegistryCredentials {
  username?: string;
  password?: string;
}

/**
 * Registry credentials for the build stage: the inputs `registry-username` /
 * `registry-password` (INPUT_* env), else REGISTRY_USERNAME / REGISTRY_PASSWORD.
 */
export function readRegistryCredentials(
  env: Record<string, string | undefined>,
): RegistryCredentials {
  const pick = (input: string, plain: string) =>
    env[input]?.trim() || env[plain]?.trim() || undefined;
  return {
    username: pick('INPUT_REGISTRY-USERNAME', 'REGISTRY_USERNAME'),
    password: pick('INPUT_REGISTRY-PASSWORD', 'REGISTRY_PASSWORD'),
  };
}

/**
 * The `kubeconfig` input: a kubeconfig's content (a secret). Read here like every input;
 * the kubernetes target writes it to a 0600 temporary file and removes it afterwards.
 */
export function readKubeconfigInput(env: Record<string, string | undefined>): string | undefined {
  return env['INPUT_KUBECONFIG']?.trim() ? env['INPUT_KUBECONFIG'] : undefined;
}
