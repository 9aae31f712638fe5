import * as core from '@actions/core';

/**
 * The action's inputs and outputs. This is the only module that reads inputs or writes
 * outputs; a contract test checks these lists against action.yml.
 */
export const ACTION_INPUTS = ['config', 'stages', 'set', 'working-directory'] as const;
export type ActionInputName = (typeof ACTION_INPUTS)[number];

export const ACTION_OUTPUTS = ['stages', 'metrics'] as const;
export type ActionOutputName = (typeof ACTION_OUTPUTS)[number];
export type ActionOutputs = Partial<Record<ActionOutputName, string>>;

export interface ActionInputs {
  config?: string;
  stages?: string;
  /** `path=value` lines, applied before the command line's `--set`. */
  set: string[];
  workingDirectory?: string;
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
  };
}

export function writeActionOutputs(outputs: ActionOutputs): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value !== undefined) core.setOutput(name, value);
  }
}
