import type { Example } from './dataset.js';

export interface Model {
  kind: 'logistic-regression';
  weights: number[];
  bias: number;
  trainedSteps: number;
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function score(model: Model, features: number[]): number {
  let z = model.bias;
  for (let i = 0; i < model.weights.length; i++) z += (model.weights[i] ?? 0) * (features[i] ?? 0);
  return sigmoid(z);
}

/** Full-batch gradient descent on log-loss. */
export function fit(
  data: Example[],
  options: { steps: number; learningRate: number; features: number },
): Model {
  const model: Model = {
    kind: 'logistic-regression',
    weights: new Array(options.features).fill(0),
    bias: 0,
    trainedSteps: 0,
  };
  for (let step = 0; step < options.steps; step++) {
    const grad = new Array(options.features).fill(0);
    let gradBias = 0;
    for (const { features, label } of data) {
      const err = score(model, features) - label;
      for (let i = 0; i < options.features; i++) grad[i] += err * (features[i] ?? 0);
      gradBias += err;
    }
    for (let i = 0; i < options.features; i++)
      model.weights[i] = (model.weights[i] ?? 0) - (options.learningRate * grad[i]) / data.length;
    model.bias -= (options.learningRate * gradBias) / data.length;
    model.trainedSteps++;
  }
  return model;
}

export interface Evaluation {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  loss: number;
}

export function evaluate(model: Model, data: Example[]): Evaluation {
  let tp = 0,
    fp = 0,
    tn = 0,
    fn = 0,
    loss = 0;
  for (const { features, label } of data) {
    const p = score(model, features);
    const predicted = p >= 0.5 ? 1 : 0;
    if (predicted === 1 && label === 1) tp++;
    else if (predicted === 1) fp++;
    else if (label === 0) tn++;
    else fn++;
    loss -= label ? Math.log(Math.max(p, 1e-12)) : Math.log(Math.max(1 - p, 1e-12));
  }
  const precision = tp / Math.max(tp + fp, 1);
  const recall = tp / Math.max(tp + fn, 1);
  const round = (x: number) => Number(x.toFixed(4));
  return {
    accuracy: round((tp + tn) / data.length),
    precision: round(precision),
    recall: round(recall),
    f1: round(precision + recall ? (2 * precision * recall) / (precision + recall) : 0),
    loss: round(loss / data.length),
  };
}
