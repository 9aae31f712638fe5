import {
  readKubeconfigInput,
  readRegistryCredentials,
  type RegistryCredentials,
} from './action-io.js';

/** The crash-point tests' hook: a local change kills its own process after that many steps. */
export const CRASH_AFTER_STEP_ENV = 'MODEL_DELIVERY_TEST_CRASH_AFTER_STEP';

/**
 * What stages need from the environment beyond the config, read once per process by the
 * CLI and handed down in the stage context, so no stage or target reads env by name.
 */
export interface StageInputs {
  /** The inputs registry-username / registry-password, else REGISTRY_USERNAME / REGISTRY_PASSWORD. */
  registry: RegistryCredentials;
  /** The `kubeconfig` input: a kubeconfig's content (a secret). */
  kubeconfig?: string;
  /** Who runs this outside Actions when the passwd database cannot say (USER, LOGNAME). */
  user?: string;
  /** Read by `gate.prometheus.bearerTokenEnv` / `basicAuthEnv`: the env's value of a name the config gives. */
  variable: (name: string) => string | undefined;
  /** CRASH_AFTER_STEP_ENV, for the crash-point tests only. */
  crashAfterStep?: string;
}

export function readStageInputs(env: Record<string, string | undefined>): StageInputs {
  return {
    registry: readRegistryCredentials(env),
    kubeconfig: readKubeconfigInput(env),
    user: env.USER || env.LOGNAME || undefined,
    variable: (name) => env[name],
    crashAfterStep: env[CRASH_AFTER_STEP_ENV] || undefined,
  };
}
