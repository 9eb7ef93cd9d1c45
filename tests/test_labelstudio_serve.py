"""The ML backend: its protocol directly, then connected to a real Label Studio."""
from __future__ import annotations

import json
import threading
import urllib.request

import pytest
from test_labelstudio_roundtrip import DUO, QUIET

from annotator import labelstudio as lsx
from annotator.classify import load_classifier
from annotator.serve import Backend, make_server

pytest_plugins = ["studio_server"]


@pytest.fixture(scope="module")
def backend(tiny_model_dir):
    events, trained = [], threading.Event()

    def on_train(event):
        events.append(event)
        trained.set()
        return {"trained": True}

    b = Backend(load_classifier(tiny_model_dir), on_train)
    srv = make_server(b, "127.0.0.1", 0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield b, f"http://127.0.0.1:{srv.server_address[1]}", trained, events
    srv.shutdown()
    srv.server_close()


def call(url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_protocol(backend):
    _, url, _, _ = backend
    assert call(url + "/health") == (200, {"status": "UP", "model_class": "ClaimAnnotator",
                                           "model_version": "tiny-test-v0"})
    assert call(url + "/setup", {"project": "1.1", "schema": lsx.labeling_config()}) == \
        (200, {"model_version": "tiny-test-v0"})
    code, body = call(url + "/predict", {"tasks": [{"id": 5, "data": {"text": DUO}},
                                                   {"id": 6, "data": {"text": "  "}}]})
    assert code == 200 and len(body["results"]) == 2
    first, empty = body["results"]
    assert first["model_version"] == "tiny-test-v0" and empty["result"] == []
    for r in first["result"]:
        if r.get("type") == "labels":
            assert DUO[r["value"]["start"]:r["value"]["end"]] == r["value"]["text"]
    assert call(url + "/webhook", {"action": "ANNOTATION_CREATED"})[1]["status"] == "ignored"
    assert call(url + "/nope", {})[0] == 404


@pytest.mark.slow
def test_label_studio_uses_the_backend(backend, studio_conn):
    b, url, trained, events = backend
    client = studio_conn.client()
    proj = client.projects.create(title="backend", label_config=lsx.labeling_config())
    client.projects.import_tasks(proj.id, request=[{"data": {"text": DUO, "article_id": "b1"}},
                                                   {"data": {"text": QUIET, "article_id": "b2"}}])
    ml = client.ml.create(project=proj.id, url=url, title="annotator", is_interactive=False)
    ml = client.ml.get(ml.id)
    assert ml.state == "CO", ml.error_message  # connected: /health and /setup answered
    # the Data Manager's "Retrieve Predictions" action makes Label Studio call /predict
    client.actions.create(id="retrieve_tasks_predictions", project=proj.id,
                          selected_items={"all": True, "excluded": []})
    tasks = list(client.tasks.list(project=proj.id))
    assert len(tasks) == 2
    for t in tasks:
        (pred,) = t.predictions
        assert pred.model_version == "tiny-test-v0" and pred.result
        for r in pred.result:
            if r.get("type") == "labels":
                assert t.data["text"][r["value"]["start"]:r["value"]["end"]] == r["value"]["text"]
    # "Start Training" reaches the hook through the webhook
    client.ml.train(ml.id)
    assert trained.wait(30)
    assert events[0]["action"] == "START_TRAINING" and events[0]["project"]["id"] == proj.id
    calls = set(b.calls)
    assert {"GET /health", "POST /setup", "POST /predict", "POST /webhook"} <= calls, calls


def test_serve_command(tiny_model_dir, tmp_path):
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = ("import argparse, sys; from annotator import cli_studio; ap = argparse.ArgumentParser(); "
            "cli_studio.add_commands(ap.add_subparsers()); a = ap.parse_args(sys.argv[1:]); "
            "sys.exit(a.func(a))")
    bad = subprocess.run([sys.executable, "-c", code, "serve", "--model", str(tmp_path / "none")],
                         capture_output=True, text=True, timeout=120, check=False)
    assert bad.returncode == 2 and "does not exist" in bad.stderr
    proc = subprocess.Popen([sys.executable, "-c", code, "serve", "--model", str(tiny_model_dir),
                             "--port", str(port)], stderr=subprocess.PIPE, text=True)
    try:
        deadline, health = time.monotonic() + 120, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                health = call(f"http://127.0.0.1:{port}/health")
                break
            except OSError:
                time.sleep(0.3)
        assert health == (200, {"status": "UP", "model_class": "ClaimAnnotator",
                                "model_version": "tiny-test-v0"}), proc.stderr
    finally:
        proc.terminate()
        proc.wait(30)
