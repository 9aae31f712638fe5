import type { TemplateVars } from '../analysis/queries.js';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../core/errors.js';
import { PrometheusSource } from './prometheus.js';
import { ScrapeSource } from './scrape.js';
import { createPodScrapeSource, type PodMetricsClient } from './scrape-pods.js';
import type { MetricProvider } from './types.js';

export interface ProviderContext {
  gate: Config['gate'];
  /** The env's value of a name the config gives (StageInputs.variable): the credential. */
  variable: (name: string) => string | undefined;
  /** Values read from env that must never be printed. */
  addSecret: (value: string) => void;
  tracks: {
    canary: { urls: string[]; vars: TemplateVars };
    baseline: { urls: string[]; vars: TemplateVars };
    /** Read too when given (gate.stableMargin): optional evidence on the baseline's rate. */
    stable?: { urls: string[]; vars: TemplateVars };
  };
  /** Kubernetes: the scrape source reads the tracks' pods through the pod proxy. */
  pods?: PodMetricsClient;
}

function authorization(ctx: ProviderContext): string | undefined {
  const p = ctx.gate.prometheus;
  const read = (name: string) => {
    const v = ctx.variable(name);
    if (!v) throw new ConfigError([`gate.prometheus: env ${name} is empty or unset`]);
    ctx.addSecret(v);
    return v;
  };
  if (p.bearerTokenEnv) return `Bearer ${read(p.bearerTokenEnv)}`;
  if (p.basicAuthEnv) return `Basic ${Buffer.from(read(p.basicAuthEnv)).toString('base64')}`;
  return undefined;
}

/** Picks the source named by `gate.source`; an unknown kind is an error, never a fallback. */
export function createMetricProvider(ctx: ProviderContext): MetricProvider {
  const kind: string = ctx.gate.source;
  const { canary, baseline, stable } = ctx.tracks;
  const vars = {
    canary: canary.vars,
    baseline: baseline.vars,
    ...(stable ? { stable: stable.vars } : {}),
  };
  switch (kind) {
    case 'scrape':
      if (ctx.pods) {
        return createPodScrapeSource({
          metrics: ctx.gate.metrics,
          vars,
          timeoutMs: ctx.gate.prometheus.timeout,
          client: ctx.pods,
        });
      }
      return new ScrapeSource({
        metrics: ctx.gate.metrics,
        tracks: ctx.tracks,
        timeoutMs: ctx.gate.prometheus.timeout,
      });
    case 'prometheus': {
      const url = ctx.gate.prometheus.url;
      if (!url)
        throw new ConfigError(['gate.prometheus.url: required when gate.source is prometheus']);
      return new PrometheusSource({
        url,
        metrics: ctx.gate.metrics,
        vars,
        timeoutMs: ctx.gate.prometheus.timeout,
        retries: ctx.gate.prometheus.retries,
        authorization: authorization(ctx),
      });
    }
    default:
      throw new ConfigError([
        `gate.source: unknown source "${kind}"; expected one of: scrape, prometheus`,
      ]);
  }
}
