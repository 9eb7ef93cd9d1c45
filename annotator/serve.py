"""The Label Studio ML backend protocol over the claim model, on the standard library's HTTP server.

Label Studio calls GET /health, POST /setup (returns the model version), POST /predict (one
prediction per task, in order) and POST /webhook (project events; START_TRAINING starts the
training hook). The predictions are the same as ``annotator studio push`` sends, so a task
pre-annotated by the backend and one pushed from ``annotator score`` look alike to reviewers.
"""
from __future__ import annotations

import json
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from . import labelstudio as lsx
from .records import Article

log = logging.getLogger("annotator.serve")
TrainCallback = Callable[[dict], Any]


def no_training(event: dict) -> dict:
    """The default START_TRAINING hook: nothing to run yet, say so in the log and the reply."""
    log.warning("START_TRAINING for project %s: no trainer is plugged in",
                (event.get("project") or {}).get("id"))
    return {"status": "no trainer configured"}


class Backend:
    """The model behind the protocol. ``on_train`` receives the START_TRAINING event (with the
    project as Label Studio serialises it) on a background thread."""

    def __init__(self, classifier, on_train: TrainCallback | None = None):
        self.classifier = classifier
        self.on_train = on_train or no_training
        self._lock = threading.Lock()  # one forward pass at a time; torch already uses all cores
        self.jobs: dict[str, dict] = {}
        self.calls: deque[str] = deque(maxlen=1000)  # "POST /predict", for status pages and tests

    def reload(self, classifier) -> None:
        """Swap in a newly promoted model between predictions."""
        with self._lock:
            self.classifier = classifier

    @property
    def model_version(self) -> str:
        return lsx.model_version({"name": self.classifier.name, "version": self.classifier.version})

    def health(self) -> dict:
        return {"status": "UP", "model_class": "ClaimAnnotator", "model_version": self.model_version}

    def setup(self, body: dict) -> dict:
        return {"model_version": self.model_version}

    def predict(self, body: dict) -> dict:
        from .score import score_articles

        tasks = body.get("tasks") or []
        articles, ids = [], []
        for i, t in enumerate(tasks):
            data = t.get("data") or {}
            ids.append(str(data.get("article_id") or f"task-{t.get('id', i)}"))
            text = data.get(lsx.TEXT)
            if isinstance(text, str) and text.strip():
                articles.append(Article(str(i), text))
        with self._lock:
            scored = {r.id: r for r in score_articles(articles, self.classifier)}
        results = []
        for i, t in enumerate(tasks):
            if str(i) not in scored:
                log.warning("task %s has no text to annotate", t.get("id"))
                results.append({"result": [], "score": 0.0, "model_version": self.model_version})
                continue
            # region ids derive from the article id, as in a push, so both predictions line up
            pred, _ = lsx.to_prediction(replace(scored[str(i)], id=ids[i]), [])
            results.append(pred)
        return {"results": results, "model_version": self.model_version}

    def webhook(self, body: dict) -> tuple[int, dict]:
        action = body.get("action")
        if action != "START_TRAINING":
            # Label Studio sends every project event to the backend's webhook; only training counts
            return 200, {"status": "ignored", "action": action}
        job = f"train-{len(self.jobs) + 1}"
        self.jobs[job] = {"status": "running"}

        def run():
            try:
                self.jobs[job] = {"status": "done", "result": self.on_train(body)}
            except Exception as e:  # the server must outlive a failed training run
                log.exception("training hook failed")
                self.jobs[job] = {"status": "failed", "error": str(e)}

        threading.Thread(target=run, name=job, daemon=True).start()
        return 201, {"job": job, "status": "started"}


def _handler(backend: Backend):
    class Handler(BaseHTTPRequestHandler):
        server_version = "annotator-ml/1"

        def _send(self, code: int, body: Any) -> None:
            raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self):
            path = self.path.split("?")[0].rstrip("/")
            backend.calls.append(f"GET {path}")
            if path in ("", "/health"):
                self._send(200, backend.health())
            elif path == "/versions":
                self._send(200, {"versions": [backend.model_version]})
            else:
                self._send(404, {"error": f"no route {self.path}"})

        def do_POST(self):
            path = self.path.split("?")[0].rstrip("/")
            backend.calls.append(f"POST {path}")
            try:
                n = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(n) or b"{}") if n else {}
            except ValueError as e:
                self._send(400, {"error": f"invalid JSON: {e}"})
                return
            try:
                if path == "/setup":
                    self._send(200, backend.setup(body))
                elif path == "/predict":
                    self._send(200, backend.predict(body))
                elif path == "/webhook":
                    self._send(*backend.webhook(body))
                elif path == "/train":  # releases before the START_TRAINING webhook
                    self._send(*backend.webhook({**body, "action": "START_TRAINING"}))
                elif path == "/job_status":
                    self._send(200, backend.jobs.get(body.get("job"), {"status": "unknown"}))
                else:
                    self._send(404, {"error": f"no route {self.path}"})
            except Exception as e:
                log.exception("%s failed", path)
                self._send(500, {"error": str(e)})

        def log_message(self, fmt, *args):
            log.info("%s %s", self.address_string(), fmt % args)

    return Handler


def make_server(backend: Backend, host: str = "127.0.0.1", port: int = 9090) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), _handler(backend))
    server.daemon_threads = True
    return server


def serve(model_dir=None, host: str = "127.0.0.1", port: int = 9090,
          trainer: Callable[[Backend], TrainCallback] | None = None,
          threads: int | None = None) -> None:
    """Load the model and answer Label Studio until interrupted. ``trainer`` builds the
    START_TRAINING hook from the backend (so the hook can reload the model it serves)."""
    from .classify import load_classifier

    backend = Backend(load_classifier(model_dir, threads=threads))
    if trainer is not None:
        backend.on_train = trainer(backend)
    server = make_server(backend, host, port)
    log.warning("ML backend for %s listening on http://%s:%d", backend.model_version, host,
                server.server_address[1])
    try:
        server.serve_forever()
    finally:
        server.server_close()
