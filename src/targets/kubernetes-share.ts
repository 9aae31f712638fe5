import { CheckFailedError, ConfigError, errorMessage } from '../core/errors.js';
import type { KubernetesSteps } from './kubernetes-transactions.js';
import { canaryReplicas } from './replicas.js';

/**
 * A progressive step on the kubernetes target: canary and baseline each get `percent` of
 * the traffic from now on. Their replicas follow the share in both traffic modes (the
 * capacity for it); with gateway-api the route's weights set the share exactly. Capacity
 * comes before traffic: growing scales first and shifts the weights after the rollout,
 * shrinking the other way round. A failure puts replicas and weights back as they were.
 * The canary's identity (its release and deploy time) is unchanged, so what the gate
 * gathered so far stays valid.
 */
export async function setTrafficShare(k: KubernetesSteps, percent: number): Promise<void> {
  if (!Number.isFinite(percent) || percent <= 0 || percent > 50) {
    throw new ConfigError([
      `traffic share ${percent}: a percent in (0, 50] (canary and baseline each get it, stable the rest)`,
    ]);
  }
  const { stable, canary, baseline } = await k.read();
  if (!canary || !baseline) {
    throw new CheckFailedError(
      `no canary out: ${k.names.canary} and ${k.names.baseline} must both exist to change their share; run deploy first`,
      'no_canary',
    );
  }
  // Bad input (the route, RBAC, the schema) fails here, before anything changes.
  const was = await k.traffic?.check(percent);
  const target = canaryReplicas(stable.spec.replicas ?? 1, percent);
  const before = { canary: canary.spec.replicas ?? 1, baseline: baseline.spec.replicas ?? 1 };
  const growing = was === undefined ? target >= before.canary : percent >= was;

  const live = { ...before };
  async function scale(to: { canary: number; baseline: number }): Promise<void> {
    const changed = (['canary', 'baseline'] as const).filter((t) => live[t] !== to[t]);
    for (const track of changed) {
      await k.kubectl.patch(k.names[track], { spec: { replicas: to[track] } });
      live[track] = to[track];
    }
    if (changed.length) await k.waitForRollouts([k.names.canary, k.names.baseline]);
  }

  k.log.info(
    `traffic share ${percent}%: canary and baseline ${target} replica(s) each${k.traffic ? ', route weights set' : ''}`,
  );
  try {
    if (!growing) await k.traffic?.split(percent);
    await scale({ canary: target, baseline: target });
    if (growing) await k.traffic?.split(percent);
  } catch (e) {
    const reason = k.isRolloutFailure(e) ? await k.explain(e) : errorMessage(e);
    const problems: string[] = [];
    if (was !== undefined)
      await k.traffic?.split(was).catch((err: unknown) => problems.push(errorMessage(err)));
    await scale(before).catch((err: unknown) => problems.push(errorMessage(err)));
    const back = problems.length
      ? `putting the share back failed too (${problems.join('; ')}); check ${k.names.canary} and ${k.names.baseline} by hand`
      : `canary and baseline put back as they were`;
    if (k.isRolloutFailure(e)) {
      throw new CheckFailedError(
        `traffic share ${percent}% not reached: ${reason}; ${back}`,
        'rollout_failed',
      );
    }
    k.log.warn(`traffic share ${percent}% not reached: ${back}`);
    throw e;
  }
}
