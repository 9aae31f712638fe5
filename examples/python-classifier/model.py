"""The example model: logistic regression on a deterministic two-class dataset.

Standard library only, so the project needs nothing but a Python 3.9+ interpreter.
"""

import math
import random

FEATURES = 4
# Class 1 is shifted along every feature: a linear model separates the classes well
# (about 93 % accuracy) but not perfectly.
SHIFT = (2.2, -1.6, 1.2, 0.8)


def generate_dataset(size, seed=42):
    rng = random.Random(seed)
    data = []
    for _ in range(size):
        label = 0 if rng.random() < 0.5 else 1
        features = [round(rng.gauss(0, 1) + (s if label else 0), 4) for s in SHIFT]
        data.append((features, label))
    return data


def split(data, test_share=0.25):
    cut = int(len(data) * (1 - test_share))
    return data[:cut], data[cut:]


def sigmoid(z):
    if z < -60:
        return 0.0
    return 1 / (1 + math.exp(-z))


def score(model, features):
    z = model["bias"] + sum(w * x for w, x in zip(model["weights"], features))
    return sigmoid(z)


def fit(data, steps, learning_rate):
    """Full-batch gradient descent on log-loss."""
    model = {"kind": "logistic-regression", "weights": [0.0] * FEATURES, "bias": 0.0, "trained_steps": 0}
    n = len(data)
    for _ in range(steps):
        grad = [0.0] * FEATURES
        grad_bias = 0.0
        for features, label in data:
            err = score(model, features) - label
            for i in range(FEATURES):
                grad[i] += err * features[i]
            grad_bias += err
        model["weights"] = [w - learning_rate * g / n for w, g in zip(model["weights"], grad)]
        model["bias"] -= learning_rate * grad_bias / n
        model["trained_steps"] += 1
    return model


def evaluate(model, data):
    tp = fp = tn = fn = 0
    loss = 0.0
    for features, label in data:
        p = score(model, features)
        predicted = 1 if p >= 0.5 else 0
        if predicted == 1 and label == 1:
            tp += 1
        elif predicted == 1:
            fp += 1
        elif label == 0:
            tn += 1
        else:
            fn += 1
        loss -= math.log(max(p, 1e-12)) if label else math.log(max(1 - p, 1e-12))
    precision = tp / max(tp + fp, 1)
    recall = tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "accuracy": round((tp + tn) / len(data), 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "loss": round(loss / len(data), 4),
    }
