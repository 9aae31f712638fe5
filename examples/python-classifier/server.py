"""The example model server: POST /predict, GET /health, /version and Prometheus /metrics.

Standard library only; the metrics are written by hand in Prometheus' text format (0.0.4)
with the same names as the TypeScript example, so model-delivery's gate, the alert rules
in monitoring/ and the Grafana dashboards work on either.

Env (the local target sets PORT, TRACK and MODEL_VERSION for each track):
  PORT (8080), HOST (127.0.0.1; 0.0.0.0 in a container), TRACK (stable|baseline|canary),
  MODEL_VERSION (dev), MODEL_PATH (out/model.json).
"""

import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from model import FEATURES, score

PORT = int(os.environ.get("PORT", "8080"))
HOST = os.environ.get("HOST", "127.0.0.1")
TRACK = os.environ.get("TRACK", "stable")
VERSION = os.environ.get("MODEL_VERSION", "dev")
MODEL_PATH = os.environ.get("MODEL_PATH", "out/model.json")
MAX_BODY = 65536

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2.5)
SCORE_BUCKETS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1)


def escape(value):
    """A label value in the text format: backslash, double quote and newline escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def number(value):
    if value == float("inf"):
        return "+Inf"
    return repr(float(value)) if isinstance(value, float) else str(value)


class Metrics:
    """Counters and histograms, each series labelled with this server's version and track."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counters = {
            "predictions_total": ("Prediction requests.", 0),
            "prediction_errors_total": ("Prediction requests that failed.", 0),
            "model_scored_total": ("Predictions whose true label was known.", 0),
            "model_correct_total": ("Predictions that matched their known label.", 0),
        }
        self.histograms = {
            "prediction_latency_seconds": ("Time to answer a prediction request.", LATENCY_BUCKETS),
            "prediction_score": ("Predicted probability of class 1 (for drift).", SCORE_BUCKETS),
        }
        self.observed = {name: ([0] * len(b), 0.0, 0) for name, (_, b) in self.histograms.items()}

    def inc(self, name):
        with self.lock:
            help_text, value = self.counters[name]
            self.counters[name] = (help_text, value + 1)

    def observe(self, name, value):
        _, buckets = self.histograms[name]
        with self.lock:
            counts, total, count = self.observed[name]
            counts = [c + (1 if value <= le else 0) for c, le in zip(counts, buckets)]
            self.observed[name] = (counts, total + value, count + 1)

    def render(self):
        labels = f'version="{escape(VERSION)}",track="{escape(TRACK)}"'
        lines = []
        with self.lock:
            for name, (help_text, value) in self.counters.items():
                lines += [f"# HELP {name} {help_text}", f"# TYPE {name} counter", f"{name}{{{labels}}} {value}"]
            for name, (help_text, buckets) in self.histograms.items():
                counts, total, count = self.observed[name]
                lines += [f"# HELP {name} {help_text}", f"# TYPE {name} histogram"]
                for le, c in zip(buckets, counts):
                    lines.append(f'{name}_bucket{{le="{number(le)}",{labels}}} {c}')
                lines.append(f'{name}_bucket{{le="+Inf",{labels}}} {count}')
                lines.append(f"{name}_sum{{{labels}}} {number(total)}")
                lines.append(f"{name}_count{{{labels}}} {count}")
        lines += [
            "# HELP model_info The model being served (always 1).",
            "# TYPE model_info gauge",
            f"model_info{{{labels}}} 1",
        ]
        return "\n".join(lines) + "\n"


def load_model():
    if not os.path.exists(MODEL_PATH):
        print(f"no model at {MODEL_PATH}: run the training first (python3 train.py)", file=sys.stderr)
        sys.exit(1)
    with open(MODEL_PATH, encoding="utf-8") as f:
        return json.load(f)


MODEL = load_model()
METRICS = Metrics()


class Handler(BaseHTTPRequestHandler):
    server_version = "python-classifier"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # one line per request would drown the delivery's log

    def send_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/health":
            return self.send_json(200, {"status": "ok", "model_version": VERSION, "track": TRACK})
        if path == "/version":
            return self.send_json(200, {"api_version": "v1", "model_version": VERSION, "service": "python-classifier"})
        if path == "/metrics":
            data = METRICS.render().encode()
            self.send_response(200)
            self.send_header("content-type", "text/plain; version=0.0.4; charset=utf-8")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return None
        return self.send_json(404, {"error": f"no route GET {path}"})

    def do_POST(self):
        path = self.path.split("?")[0]
        if path != "/predict":
            return self.send_json(404, {"error": f"no route POST {path}"})
        started = time.perf_counter()
        METRICS.inc("predictions_total")
        try:
            status, body = self.predict()
        except (ValueError, TypeError) as e:
            status, body = 400, {"error": f"invalid request: {e}"}
        if status != 200:
            METRICS.inc("prediction_errors_total")
        self.send_json(status, body)
        METRICS.observe("prediction_latency_seconds", time.perf_counter() - started)
        return None

    def predict(self):
        length = int(self.headers.get("content-length") or 0)
        if length > MAX_BODY:
            return 413, {"error": "body too large"}
        body = json.loads(self.rfile.read(length) or b"null")
        features = body.get("features") if isinstance(body, dict) else None
        if (
            not isinstance(features, list)
            or len(features) != FEATURES
            or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in features)
        ):
            return 400, {"error": f"features must be an array of {FEATURES} numbers"}
        p = score(MODEL, features)
        label = 1 if p >= 0.5 else 0
        METRICS.observe("prediction_score", p)
        if body.get("label") in (0, 1) and not isinstance(body.get("label"), bool):
            METRICS.inc("model_scored_total")
            if body["label"] == label:
                METRICS.inc("model_correct_total")
        return 200, {"label": label, "score": round(p, 6), "model_version": VERSION}


def main():
    server = ThreadingHTTPServer((HOST, PORT), Handler)
    server.daemon_threads = True
    # SIGTERM (the local target's stop, Kubernetes) ends serve_forever; the process exits 0.
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"python-classifier {VERSION} ({TRACK}) on http://{HOST}:{PORT}", flush=True)
    server.serve_forever()
    server.server_close()


if __name__ == "__main__":
    main()
