// The example model server: /predict, /health, /version and Prometheus /metrics.
// Env: PORT (8080), HOST (127.0.0.1; 0.0.0.0 in a container), TRACK (stable|baseline|canary), MODEL_VERSION, MODEL_PATH (out/model.json),
// MODEL_VARIANT: good (default) | slow (SLOW_MS extra latency, default 300) |
// errors (ERROR_SHARE of requests fail, default 0.1) | worse-accuracy (DEGRADE_SHARE of
// predictions flipped, default 0.25: a model that has gone bad in production).
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { FEATURES } from './dataset.js';
import { score, type Model } from './model.js';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const track = process.env.TRACK ?? 'stable';
const version = process.env.MODEL_VERSION ?? 'dev';
const modelPath = process.env.MODEL_PATH ?? 'out/model.json';
const variant = process.env.MODEL_VARIANT ?? 'good';
const slowMs = Number(process.env.SLOW_MS ?? 300);
const errorShare = Number(process.env.ERROR_SHARE ?? 0.1);
const degradeShare = Number(process.env.DEGRADE_SHARE ?? 0.25);

if (!existsSync(modelPath)) {
  console.error(`no model at ${modelPath}: run the training first (tsx src/train.ts)`);
  process.exit(1);
}
const model = JSON.parse(readFileSync(modelPath, 'utf8')) as Model;

const registry = new Registry();
registry.setDefaultLabels({ version, track });
collectDefaultMetrics({ register: registry });
// predictions_total counts every /predict request; prediction_errors_total the failed ones.
const predictions = new Counter({
  name: 'predictions_total',
  help: 'Prediction requests.',
  registers: [registry],
});
const errors = new Counter({
  name: 'prediction_errors_total',
  help: 'Prediction requests that failed.',
  registers: [registry],
});
const latency = new Histogram({
  name: 'prediction_latency_seconds',
  help: 'Time to answer a prediction request.',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2.5],
  registers: [registry],
});
const scored = new Counter({
  name: 'model_scored_total',
  help: 'Predictions whose true label was known.',
  registers: [registry],
});
const correct = new Counter({
  name: 'model_correct_total',
  help: 'Predictions that matched their known label.',
  registers: [registry],
});
const scores = new Histogram({
  name: 'prediction_score',
  help: 'Predicted probability of class 1 (for drift).',
  buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
  registers: [registry],
});
new Gauge({
  name: 'model_info',
  help: 'The model being served (always 1).',
  registers: [registry],
}).set(1);

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 65536) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

let requestCount = 0;
async function predict(req: IncomingMessage, res: ServerResponse) {
  const end = latency.startTimer();
  predictions.inc();
  const n = requestCount++;
  try {
    const body = JSON.parse(await readBody(req)) as { features?: unknown; label?: unknown };
    const features = body.features;
    if (
      !Array.isArray(features) ||
      features.length !== FEATURES ||
      !features.every((x) => typeof x === 'number')
    ) {
      errors.inc();
      return json(res, 400, { error: `features must be an array of ${FEATURES} numbers` });
    }
    if (variant === 'slow')
      await new Promise((r) => setTimeout(r, slowMs * (0.8 + 0.4 * Math.random())));
    if (variant === 'errors' && Math.random() < errorShare) {
      errors.inc();
      return json(res, 500, { error: 'internal error (MODEL_VARIANT=errors)' });
    }
    const p = score(model, features as number[]);
    let label = p >= 0.5 ? 1 : 0;
    // Deterministic per request, so the degradation is steady.
    if (variant === 'worse-accuracy' && (n * 0.6180339887) % 1 < degradeShare) label = 1 - label;
    scores.observe(p);
    if (body.label === 0 || body.label === 1) {
      scored.inc();
      if (body.label === label) correct.inc();
    }
    json(res, 200, { label, score: Number(p.toFixed(6)), model_version: version });
  } catch (e) {
    errors.inc();
    json(res, 400, { error: `invalid request: ${(e as Error).message}` });
  } finally {
    end();
  }
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'POST' && path === '/predict') return void predict(req, res);
  if (req.method === 'GET' && path === '/health')
    return json(res, 200, { status: 'ok', model_version: version, track });
  if (req.method === 'GET' && path === '/version') {
    return json(res, 200, { api_version: 'v1', model_version: version, service: 'classifier' });
  }
  if (req.method === 'GET' && path === '/metrics') {
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      },
      (e: Error) => json(res, 500, { error: e.message }),
    );
    return;
  }
  json(res, 404, { error: `no route ${req.method} ${path}` });
});

server.listen(port, host, () =>
  console.log(`classifier ${version} (${track}, ${variant}) on http://${host}:${port}`),
);
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
