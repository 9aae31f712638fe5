// Trains the example classifier and writes out/model.json and out/metrics.json.
// Usage: tsx src/train.ts [--max_steps N] [--out DIR]
// MODEL_VARIANT=worse-accuracy hides the two most informative features, so accuracy drops clearly.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FEATURES, generateDataset, split, type Example } from './dataset.js';
import { evaluate, fit } from './model.js';

const { values } = parseArgs({
  options: {
    max_steps: { type: 'string' },
    out: { type: 'string' },
    learning_rate: { type: 'string' },
  },
  allowPositionals: false,
});
const smoke = process.env.MODEL_DELIVERY_SMOKE === '1';
const steps = Number(values.max_steps ?? (smoke ? 50 : 500));
const learningRate = Number(values.learning_rate ?? 0.5);
const outDir = values.out ?? 'out';
const variant = process.env.MODEL_VARIANT ?? 'good';

if (!Number.isInteger(steps) || steps <= 0) {
  console.error(`--max_steps must be a positive integer, got ${values.max_steps}`);
  process.exit(2);
}

const { train, test } = split(generateDataset(2000));
const data = variant === 'worse-accuracy' ? withoutFeatures(train, [0, 1]) : train;
console.log(
  `training logistic regression: ${train.length} examples, ${steps} steps, variant ${variant}${smoke ? ' (smoke)' : ''}`,
);
const model = fit(data, { steps, learningRate, features: FEATURES });
const metrics = evaluate(
  model,
  variant === 'worse-accuracy' ? withoutFeatures(test, [0, 1]) : test,
);
console.log(`test metrics: ${JSON.stringify(metrics)}`);

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'model.json'), `${JSON.stringify(model, null, 2)}\n`);
writeFileSync(join(outDir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);

/** Zeroes the given features: the degraded model never sees them. */
function withoutFeatures(data: Example[], hidden: number[]): Example[] {
  return data.map((e) => ({
    ...e,
    features: e.features.map((x, i) => (hidden.includes(i) ? 0 : x)),
  }));
}
