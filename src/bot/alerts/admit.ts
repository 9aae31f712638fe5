import type { BotLimits } from '../settings.js';
import { repositoryOf, type AlertMapping } from '../incident/plan.js';
import { bindingAllows, type Bindings, type CredentialName } from './bindings.js';
import type { Alert } from './types.js';

const ENVIRONMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export type Admission =
  { ok: true } | { ok: false; status: 400 | 403 | 413; reason: string; error: string };

/**
 * Pure: whether an authenticated delivery may be acted on at all, before any GitHub call:
 * its size in alerts, repositories and environments, and every alert's repository (and
 * environment) inside the binding of the credential that sent it. One alert outside refuses
 * the whole delivery, so nothing is half done.
 */
export function admitDelivery(
  alerts: readonly Alert[],
  o: {
    credential: CredentialName;
    bindings: Bindings;
    mapping: AlertMapping;
    limits: Pick<BotLimits, 'maxAlerts' | 'maxRepositories' | 'maxEnvironments'>;
  },
): Admission {
  if (alerts.length > o.limits.maxAlerts)
    return refuse(413, 'too_many_alerts', `alerts: at most ${o.limits.maxAlerts} per delivery`);
  const repositories = new Set<string>();
  const environments = new Set<string>();
  for (const [i, alert] of alerts.entries()) {
    const target = repositoryOf(alert.labels[o.mapping.repositoryLabel], o.mapping.defaultOwner);
    if (!target) continue;
    const environment = alert.labels[o.mapping.environmentLabel] || undefined;
    // The name reaches refs, markers and messages: a name, nothing else.
    if (environment !== undefined && !ENVIRONMENT.test(environment))
      return refuse(
        400,
        'invalid_environment',
        `alerts[${i}].labels: the environment label must be a name (letters, digits, . _ -; at most 100)`,
      );
    if (!bindingAllows(o.bindings[o.credential], target, environment))
      return refuse(
        403,
        'out_of_binding',
        `alerts[${i}]: this credential is not bound to the repository or environment the alert names`,
      );
    const repository = `${target.owner}/${target.repo}`.toLowerCase();
    repositories.add(repository);
    environments.add(`${repository}\u0000${environment ?? ''}`);
  }
  if (repositories.size > o.limits.maxRepositories)
    return refuse(
      400,
      'too_many_repositories',
      `alerts: at most ${o.limits.maxRepositories} repositories per delivery`,
    );
  if (environments.size > o.limits.maxEnvironments)
    return refuse(
      400,
      'too_many_environments',
      `alerts: at most ${o.limits.maxEnvironments} repository environments per delivery`,
    );
  return { ok: true };
}

function refuse(status: 400 | 403 | 413, reason: string, error: string): Admission {
  return { ok: false, status, reason, error };
}
