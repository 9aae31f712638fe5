"""Trains the example classifier; writes out/model.json and out/metrics.json.

Usage: python3 train.py [--max_steps N] [--out DIR]
model-delivery's train stage sets MODEL_DELIVERY_SMOKE=1 and adds --max_steps (train.smoke).
"""

import argparse
import json
import os
import sys

from model import evaluate, fit, generate_dataset, split


def main():
    smoke = os.environ.get("MODEL_DELIVERY_SMOKE") == "1"
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max_steps", type=int, default=50 if smoke else 500)
    parser.add_argument("--learning_rate", type=float, default=0.5)
    parser.add_argument("--out", default="out")
    args = parser.parse_args()
    if args.max_steps <= 0:
        print(f"--max_steps must be a positive integer, got {args.max_steps}", file=sys.stderr)
        return 2

    train, test = split(generate_dataset(2000))
    print(
        f"training logistic regression: {len(train)} examples, {args.max_steps} steps"
        + (" (smoke)" if smoke else "")
    )
    model = fit(train, args.max_steps, args.learning_rate)
    metrics = evaluate(model, test)
    print(f"test metrics: {json.dumps(metrics)}")

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "model.json"), "w", encoding="utf-8") as f:
        json.dump(model, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
