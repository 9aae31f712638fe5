import { Counter, Histogram, Registry } from 'prom-client';

/** The bot's own metrics (`GET /metrics`), one registry per app so tests stay apart. */
export interface BotMetrics {
  registry: Registry;
  /** Alert deliveries that passed authentication and parsing, by route. */
  deliveries: Counter<'route'>;
  /** Incidents by outcome (done, duplicate, busy, error, stale, ignored, …). */
  incidents: Counter<'outcome'>;
  /** Requests and commands refused, by reason code. */
  refusals: Counter<'reason'>;
  githubRequests: Counter<'method' | 'status'>;
  githubLatency: Histogram<'method'>;
}

export function createBotMetrics(): BotMetrics {
  const registry = new Registry();
  return {
    registry,
    deliveries: new Counter({
      name: 'model_delivery_bot_alert_deliveries_total',
      help: 'Alert deliveries accepted for handling (authenticated and well formed), by route.',
      labelNames: ['route'],
      registers: [registry],
    }),
    incidents: new Counter({
      name: 'model_delivery_bot_incidents_total',
      help: 'Incident handlings by outcome: done (acted), duplicate, busy, error, and the ignored kinds.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    refusals: new Counter({
      name: 'model_delivery_bot_refusals_total',
      help: 'Requests and commands refused, by reason code.',
      labelNames: ['reason'],
      registers: [registry],
    }),
    githubRequests: new Counter({
      name: 'model_delivery_bot_github_requests_total',
      help: 'Requests to the GitHub API, by method and status (0: no answer).',
      labelNames: ['method', 'status'],
      registers: [registry],
    }),
    githubLatency: new Histogram({
      name: 'model_delivery_bot_github_request_duration_seconds',
      help: 'Latency of requests to the GitHub API.',
      labelNames: ['method'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

type Hookable = {
  hook: {
    wrap: (
      name: 'request',
      fn: (
        request: (o: { method?: string }) => Promise<unknown>,
        o: { method?: string },
      ) => Promise<unknown>,
    ) => void;
  };
};

/** Counts and times every request an Octokit makes (GraphQL included: it is a POST). */
export function instrumentOctokit<T>(octokit: T, metrics: BotMetrics): T {
  (octokit as unknown as Hookable).hook.wrap('request', async (request, options) => {
    const method = options.method ?? 'GET';
    const stop = metrics.githubLatency.startTimer({ method });
    try {
      const res = (await request(options)) as { status?: number };
      metrics.githubRequests.inc({ method, status: String(res.status ?? 200) });
      return res;
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      metrics.githubRequests.inc({
        method,
        status: typeof status === 'number' ? String(status) : '0',
      });
      throw error;
    } finally {
      stop();
    }
  });
  return octokit;
}
