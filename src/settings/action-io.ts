import * as core from '@actions/core';
import { UsageError } from '../core/errors.js';

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
  'image',
  'github-token',
  'version',
  'release-branches',
  'force',
  'reason',
  'slack-webhook',
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
  /** The release name; the command line's `--version` wins. */
  version?: string;
  /** The image deploy ships when the build ran elsewhere; the command line's `--image` wins. */
  image?: string;
  /** `stages: auto` deploys on pushes to these branches; empty: the default branch. */
  releaseBranches: string[];
  /** Promote without a passing verdict (needs `reason`); `--force` on the command line too. */
  force: boolean;
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
    version: get('version'),
    image: get('image'),
    releaseBranches: (get('release-branches') ?? '')
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    force: parseBoolean('force', get('force')),
    reason: get('reason'),
  };
}

/** YAML 1.2's booleans, as the runner's getBooleanInput takes them; anything else is exit 2. */
function parseBoolean(name: ActionInputName, value: string | undefined): boolean {
  if (value === undefined || /^(false|False|FALSE)$/.test(value)) return false;
  if (/^(true|True|TRUE)$/.test(value)) return true;
  throw new UsageError(`input ${name}: expected true or false, got "${value}"`, 'invalid_input');
}

/** The flags the command line and the action's inputs both set (the command line wins). */
interface InputFlags {
  to?: string;
  image?: string;
  version?: string;
  force?: boolean;
  reason?: string;
}

/** The command line's flags win over the action's inputs. */
export function stageFlags<F extends InputFlags>(cli: F, inputs: ActionInputs): F {
  return {
    ...cli,
    to: cli.to ?? inputs.to,
    version: cli.version ?? inputs.version,
    ...((cli.image ?? inputs.image) !== undefined ? { image: cli.image ?? inputs.image } : {}),
    force: cli.force || inputs.force,
    reason: cli.reason ?? inputs.reason,
  };
}

/**
 * The Slack webhook when the config names none: the `slack-webhook` input, else
 * SLACK_WEBHOOK_URL (the name the bot uses too). A secret: callers register it.
 */
export function readSlackWebhook(env: Record<string, string | undefined>): string | undefined {
  return env['INPUT_SLACK-WEBHOOK']?.trim() || env.SLACK_WEBHOOK_URL?.trim() || undefined;
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
