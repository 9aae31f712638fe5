import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { initialShare } from '../config/sections/deploy.js';
import { ConfigError } from '../core/errors.js';
import type { SecretRegistry } from '../core/secrets.js';
import type { TargetContext } from './context.js';
import { createKubectl } from './kubectl.js';
import type { KubernetesTargetOptions } from './kubernetes.js';
import { readReleaseManifests } from './kubernetes-manifest-files.js';

/**
 * Options from the stage context. The kubeconfig: the action's `kubeconfig` input (a
 * secret, written to a 0600 file removed by dispose), else deploy.kubernetes.kubeconfig,
 * else KUBECONFIG / kubectl's default through the environment.
 */
export function kubernetesTargetOptions(ctx: TargetContext): KubernetesTargetOptions {
  const { deploy } = ctx.config;
  const k8s = deploy.kubernetes;
  if (!k8s.deployment) {
    throw new ConfigError([
      'deploy.kubernetes.deployment: required for deploy.target kubernetes (the name of the stable Deployment)',
    ]);
  }
  if (k8s.traffic === 'gateway-api' && !k8s.httpRoute) {
    throw new ConfigError([
      'deploy.kubernetes.httpRoute: required with traffic: gateway-api (the HTTPRoute to split, e.g. {name: classifier})',
    ]);
  }
  const kubeconfig = resolveKubeconfig(ctx, k8s.kubeconfig);
  const kubectl = createKubectl({
    program: k8s.kubectl,
    connection: { namespace: k8s.namespace, context: k8s.context, kubeconfig: kubeconfig.path },
    env: ctx.env,
    requestTimeoutMs: k8s.requestTimeout,
    log: ctx.log,
  });
  const { github } = ctx;
  const holder =
    github.repository && github.runId
      ? `${github.repository} run ${github.runId}${github.actor ? ` (${github.actor})` : ''}`
      : `${localUser(ctx.inputs.user)}@${hostname()}`;
  return {
    kubectl,
    deployment: k8s.deployment,
    namespace: k8s.namespace,
    container: k8s.container,
    canaryPercent: initialShare(deploy),
    timeoutMs: deploy.timeout,
    holder,
    ...(deploy.url ? { frontUrl: deploy.url } : {}),
    log: ctx.log,
    ...(k8s.manifests.length > 0
      ? { manifests: () => readReleaseManifests(ctx.root, k8s, kubectl) }
      : {}),
    ...(k8s.traffic === 'gateway-api' && k8s.httpRoute
      ? {
          route: {
            route: k8s.httpRoute.name,
            service: k8s.httpRoute.service ?? k8s.deployment,
            namespace: k8s.namespace,
          },
        }
      : {}),
    kubeconfig: kubeconfig.path,
    dispose: kubeconfig.dispose,
  };
}

function localUser(fallback: string | undefined): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment's name, if any.
    return fallback ?? 'unknown';
  }
}

function resolveKubeconfig(
  ctx: TargetContext,
  configured: string | undefined,
): { path?: string; dispose?: () => Promise<void> } {
  const content = ctx.inputs.kubeconfig;
  if (content) {
    registerKubeconfigSecrets(content, ctx.secrets);
    const dir = mkdtempSync(join(tmpdir(), 'model-delivery-kube-'));
    const path = join(dir, 'config');
    writeFileSync(path, content, { mode: 0o600 });
    return { path, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (configured)
    return { path: isAbsolute(configured) ? configured : resolve(ctx.root, configured) };
  return {};
}

/** The whole kubeconfig is a secret, and so is each credential in it (a log line may hold one alone). */
export function registerKubeconfigSecrets(
  content: string,
  secrets: Pick<SecretRegistry, 'add'>,
): void {
  secrets.add(content);
  let parsed: unknown;
  try {
    parsed = parseYaml(content);
  } catch {
    // Not YAML: kubectl will say so; the content as a whole is already masked.
    return;
  }
  const users =
    (parsed as { users?: Array<{ user?: Record<string, unknown> }> } | null)?.users ?? [];
  for (const { user } of users) {
    for (const field of ['token', 'password', 'client-key-data', 'client-certificate-data']) {
      const value = user?.[field];
      if (typeof value === 'string') secrets.add(value);
    }
  }
}
