import {
  readKubeconfigInput,
  readRegistryCredentials,
  type RegistryCredentials,
} from './action-io.js';

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
}

export function readStageInputs(env: Record<string, string | undefined>): StageInputs {
  return {
    registry: readRegistryCredentials(env),
    kubeconfig: readKubeconfigInput(env),
    user: env.USER || env.LOGNAME || undefined,
    variable: (name) => env[name],
  };
}
