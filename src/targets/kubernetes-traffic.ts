import { ConfigError, EnvironmentError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { KubectlError, type Kubectl } from './kubectl.js';
import {
  currentShare,
  routePatch,
  SPLIT_TRACKS,
  trackServiceName,
  trackServices,
  type HttpRoute,
  type RouteNames,
  type Service,
} from './kubernetes-route.js';

/**
 * `deploy.kubernetes.traffic: gateway-api`: the team's HTTPRoute gets weighted backendRefs
 * for a stable, a canary and a baseline Service (made here, one per track), so a share is
 * exact whatever the replica counts. Every change is one guarded JSON patch of the route;
 * `restore` is idempotent, so the transactions' last step (and a recovery) can always run it.
 */
export interface RouteTraffic {
  /**
   * Reads the route and the stable Service, and tries the split at `percent` on the server
   * (dry run: RBAC and the Gateway API schema): bad input fails here, with nothing applied.
   * Returns the canary's share the route gives now (undefined: not split).
   */
  check(percent: number): Promise<number | undefined>;
  /** Creates the track Services (idempotent), then sets the route's weights. */
  split(percent: number): Promise<void>;
  /** The route back on the stable Service alone, then the track Services deleted. */
  restore(): Promise<void>;
}

export const HTTPROUTE_RESOURCE = 'httproutes.gateway.networking.k8s.io';

export function createRouteTraffic(options: {
  kubectl: Kubectl;
  names: RouteNames;
  log: Logger;
}): RouteTraffic {
  const { kubectl, names: n, log } = options;
  const where = `HTTPRoute ${n.route} in namespace ${n.namespace} (deploy.kubernetes.httpRoute)`;
  const routeRef = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: n.route },
  };
  const serviceRef = { apiVersion: 'v1', kind: 'Service', metadata: { name: n.service } };

  /** What to grant, or to install, when the cluster refuses: exit 3 with the fix. */
  function refused(e: unknown, doing: string): never {
    const said = errorMessage(e);
    if (e instanceof KubectlError && e.reason === 'forbidden') {
      throw new EnvironmentError(
        `${doing} was refused: ${e.kubectlMessage}; grant the CI identity get and patch on httproutes (group gateway.networking.k8s.io) and get, create, patch, delete on services in namespace ${n.namespace} (docs/kubernetes.md, RBAC)`,
        'forbidden',
      );
    }
    if (/no matches for kind "HTTPRoute"|doesn't have a resource type/.test(said)) {
      throw new EnvironmentError(
        `${doing}: the cluster does not serve gateway.networking.k8s.io/v1 HTTPRoute; install the Gateway API CRDs, or set deploy.kubernetes.traffic: replicas`,
        'gateway_api_missing',
      );
    }
    throw e;
  }

  async function readRoute(): Promise<HttpRoute | undefined> {
    const found = await kubectl
      .getObjects([routeRef])
      .catch((e: unknown) => refused(e, `reading ${where}`));
    return found[0] as unknown as HttpRoute | undefined;
  }

  async function requireRoute(): Promise<HttpRoute> {
    const route = await readRoute();
    if (!route) {
      throw new ConfigError([
        `deploy.kubernetes.httpRoute.name: ${where} not found; create it (its rule sending to Service ${n.service}) or fix the name`,
      ]);
    }
    return route;
  }

  let tracks: Service[] | undefined;
  async function services(): Promise<Service[]> {
    if (tracks) return tracks;
    const found = await kubectl
      .getObjects([serviceRef])
      .catch((e: unknown) => refused(e, `reading Service ${n.service}`));
    const stable = found[0] as unknown as Service | undefined;
    if (!stable) {
      throw new ConfigError([
        `deploy.kubernetes.httpRoute.service: Service ${n.service} not found in namespace ${n.namespace}; it is the Service ${n.route} sends to today (default: deploy.kubernetes.deployment)`,
      ]);
    }
    tracks = trackServices(stable);
    return tracks;
  }

  async function patchRoute(
    percent: number | undefined,
    dryRun = false,
    read?: HttpRoute,
  ): Promise<void> {
    const route = read ?? (await requireRoute());
    const ops = routePatch(route, n, percent, where);
    if (ops.length === 0) return;
    await kubectl
      .patchJson(HTTPROUTE_RESOURCE, n.route, ops, { dryRun })
      .catch((e: unknown) => refused(e, `setting the weights of ${where}`));
  }

  return {
    async check(percent) {
      const route = await requireRoute();
      const now = currentShare(route, n, where);
      // Split already: the cluster took these Services and a patch of this route at deploy.
      if (now !== undefined) return now;
      await kubectl
        .apply(await services(), { dryRun: true })
        .catch((e: unknown) => refused(e, `creating the track Services of ${n.service}`));
      await patchRoute(percent, true, route);
      return now;
    },

    async split(percent) {
      const route = await requireRoute();
      // The Services exist while the route is split: made before it, deleted after it.
      if (currentShare(route, n, where) === undefined) {
        await kubectl
          .apply(await services())
          .catch((e: unknown) => refused(e, `creating the track Services of ${n.service}`));
      }
      await patchRoute(percent, false, route);
      log.info(`${where}: canary and baseline ${percent}% each, stable ${100 - 2 * percent}%`);
    },

    async restore() {
      const route = await readRoute();
      if (!route) log.warn(`${where} is gone; nothing to put back on Service ${n.service}`);
      else {
        // A route edited meanwhile to no longer send to the Service has nothing of ours to undo.
        await patchRoute(undefined, false, route).catch((e: unknown) => {
          if (!(e instanceof ConfigError)) throw e;
          log.warn(`${errorMessage(e)}; left as it is`);
        });
      }
      await kubectl.deleteObjects(
        SPLIT_TRACKS.map((t) => ({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: trackServiceName(n.service, t) },
        })),
      );
    },
  };
}
