import type { TemplateVars } from '../../../src/analysis/queries.js';
import { gateMetric } from '../../../src/config/sections/gate.js';

/** The template variables of one track, as the gate stage passes them to a source. */
export const trackVars = (track: string): TemplateVars => ({
  track,
  namespace: 'ns',
  deployment: 'app',
  version: 'v1',
  interval: '5s',
});

/** Both tracks' template variables. */
export const BOTH_TRACKS = { canary: trackVars('canary'), baseline: trackVars('baseline') };

/** An error-rate ratio and a latency histogram, as the example server exports them. */
export const ERRORS_AND_LATENCY = [
  gateMetric.parse({
    name: 'errors',
    type: 'ratio',
    numerator: 'prediction_errors_total',
    denominator: 'predictions_total',
    max: 0.02,
  }),
  gateMetric.parse({
    name: 'latency',
    type: 'histogram',
    metric: 'prediction_latency_seconds',
    max: 0.5,
  }),
];
