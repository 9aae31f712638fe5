/**
 * The one list of secret env. Values of SECRET_ENV are redacted wherever they appear; a
 * private name (these, and anything that looks like a credential or a runner internal) is
 * never passed on to a process the local target starts.
 */
export const SECRET_ENV = [
  'GITHUB_TOKEN',
  'REGISTRY_PASSWORD',
  'SLACK_WEBHOOK_URL',
  'INPUT_SLACK-WEBHOOK',
  'KUBECONFIG_DATA',
  'INPUT_KUBECONFIG',
  'INPUT_GITHUB-TOKEN',
  'INPUT_REGISTRY-PASSWORD',
] as const;

const PRIVATE_PATTERN = /^(INPUT_|ACTIONS_)|TOKEN|SECRET|PASSWORD|PRIVATE_KEY|KUBECONFIG|WEBHOOK/i;

/** The secret values present in this env, for the secret registry. */
export function secretEnvValues(env: Record<string, string | undefined>): string[] {
  return SECRET_ENV.map((name) => env[name]).filter((v): v is string => Boolean(v));
}

export function isPrivateEnvName(name: string): boolean {
  return (SECRET_ENV as readonly string[]).includes(name) || PRIVATE_PATTERN.test(name);
}
