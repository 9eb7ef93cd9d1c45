"""A local Label Studio server (start, stop, status) and the push/pull round trip over its API.

The server binds to 127.0.0.1 only and keeps everything under a state folder (``.studio/`` in the
current directory unless told otherwise): the Label Studio data dir, its log, and ``state.json``
with the URL, the pre-created reviewer's login and the API key. A user with their own Label
Studio passes a URL and key instead (arguments, or ANNOTATOR_STUDIO_URL / ANNOTATOR_STUDIO_API_KEY,
or the SDK's LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY).
"""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import labelstudio as lsx
from .records import ArticleResult

DEFAULT_DIR = ".studio"
DEFAULT_PORT = 8080
USERNAME = "reviewer@localhost"
HOST = "127.0.0.1"


class StudioError(RuntimeError):
    pass


@dataclass(frozen=True)
class Connection:
    url: str
    api_key: str

    def client(self):
        from label_studio_sdk import LabelStudio

        return LabelStudio(base_url=self.url, api_key=self.api_key, timeout=120)


def state_dir(path: str | os.PathLike | None = None) -> Path:
    return Path(path or os.environ.get("ANNOTATOR_STUDIO_DIR") or DEFAULT_DIR).resolve()


def read_state(folder: Path) -> dict[str, Any]:
    try:
        return json.loads((folder / "state.json").read_text())
    except (OSError, ValueError):
        return {}


def _write_state(folder: Path, state: dict) -> None:
    tmp = folder / "state.json.tmp"
    # the file holds the reviewer's password and API key
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(state, fh, indent=2)
    os.replace(tmp, folder / "state.json")


def server_env(data_dir: Path, state: dict, base: dict | None = None) -> dict[str, str]:
    """The environment a local Label Studio 1.23 starts with."""
    env = dict(os.environ if base is None else base)
    env.update({
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LABEL_STUDIO_USERNAME": state["username"],
        "LABEL_STUDIO_PASSWORD": state["password"],
        "LABEL_STUDIO_USER_TOKEN": state["api_key"],
        # a new organization refuses legacy tokens (every call 401) unless this is set on first boot
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        "LABEL_STUDIO_COLLECT_ANALYTICS": "false",
        "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",
        # the open-source settings ship a default Sentry DSN; an empty one turns reporting off
        "LABEL_STUDIO_SENTRY_DSN": "",
        "LABEL_STUDIO_FRONTEND_SENTRY_DSN": "",
        "LABEL_STUDIO_FEATURE_FLAGS_OFFLINE": "true",
        # `annotator serve` runs on loopback, which Label Studio refuses as an ML backend otherwise
        "LABEL_STUDIO_ML_BLOCK_LOCAL_IP": "false",
        "LABEL_STUDIO_SSRF_PROTECTION_ENABLED": "false",
        # a shell's HOST variable would otherwise become the hostname in every generated URL
        "LABEL_STUDIO_HOST": "",
    })
    return env


def _free_port(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # as the server itself binds: connections of a stopped server in TIME_WAIT do not count
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
            return True
        except OSError:
            return False


def _any_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _http_json(url: str, api_key: str | None = None, timeout: float = 5.0) -> tuple[int, Any]:
    req = urllib.request.Request(url, headers={"Authorization": f"Token {api_key}"} if api_key else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, None
    except (OSError, ValueError):
        return 0, None


def healthy(url: str) -> bool:
    code, body = _http_json(url.rstrip("/") + "/health", timeout=3)
    return code == 200 and isinstance(body, dict) and body.get("status") == "UP"


def _ours(pid: int | None) -> bool:
    """Whether pid is alive and still a Label Studio server (pids get reused after a reboot)."""
    if not pid:
        return False
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        try:
            os.kill(pid, 0)
            return True
        except OSError:
            return False
    return b"label-studio" in cmd or b"label_studio" in cmd


def _log_tail(path: Path, n: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


def up(folder: str | os.PathLike | None = None, port: int | None = None, timeout: float = 300,
       quiet: bool = True) -> dict[str, Any]:
    """Start (or find running) the local server; returns the state with ``running`` true.

    ``port`` 0 picks any free port; None reuses the last port, else 8080. A second ``up`` reuses
    the data dir and the reviewer created on the first.
    """
    folder = state_dir(folder)
    folder.mkdir(parents=True, exist_ok=True)
    state = read_state(folder)
    if _ours(state.get("pid")) and state.get("url") and _wait_healthy(state, folder, timeout):
        return {**state, "running": True}
    state.setdefault("username", USERNAME)
    state.setdefault("password", secrets.token_urlsafe(12))
    state.setdefault("api_key", secrets.token_hex(20))
    want = port if port is not None else state.get("port", DEFAULT_PORT)
    if want == 0:
        want = _any_port()
    elif not _free_port(want):
        # Label Studio would silently move to another port; refuse instead
        raise StudioError(f"port {want} on {HOST} is in use; pass --port N (or 0 for any)")
    data_dir, log = folder / "data", folder / "server.log"
    data_dir.mkdir(exist_ok=True)
    exe = Path(sys.executable).with_name("label-studio")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "label_studio.server"]
    cmd += ["start", "--no-browser", "--internal-host", HOST, "--port", str(want),
            "--log-level", "WARNING"]
    state.update(port=want, url=f"http://{HOST}:{want}", data_dir=str(data_dir), log=str(log))
    with open(log, "ab") as fh:
        proc = subprocess.Popen(cmd, cwd=folder, env=server_env(data_dir, state), stdin=subprocess.DEVNULL,
                                stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    state.update(pid=proc.pid, started_at=time.time())
    _write_state(folder, state)
    if not quiet:
        print(f"starting Label Studio at {state['url']} (first boot takes about a minute) ...",
              file=sys.stderr)
    if not _wait_healthy(state, folder, timeout, proc):
        _stop_pid(proc.pid)
        raise StudioError(f"Label Studio did not become healthy in {timeout:.0f}s; "
                          f"log {log}:\n{_log_tail(log)}")
    code, me = _http_json(state["url"] + "/api/current-user/whoami", state["api_key"])
    if code != 200 or not isinstance(me, dict) or me.get("email") != state["username"]:
        down(folder)
        raise StudioError(
            f"Label Studio at {state['url']} does not accept the API key (HTTP {code}). Its data dir "
            f"{data_dir} was probably first started without LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true "
            "or by another tool; start over with an empty --dir.")
    return {**state, "running": True}


def _wait_healthy(state: dict, folder: Path, timeout: float, proc=None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if healthy(state["url"]):
            return True
        if proc is not None and proc.poll() is not None:
            raise StudioError(f"Label Studio exited with code {proc.returncode}; log "
                              f"{folder / 'server.log'}:\n{_log_tail(folder / 'server.log')}")
        if proc is None and not _ours(state.get("pid")):
            return False
        time.sleep(0.5)
    return False


def _stop_pid(pid: int, grace: float = 20) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)  # the server was started as its own session leader
    except OSError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0]:
                return
        except ChildProcessError:
            if not _ours(pid):
                return
        time.sleep(0.2)
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def down(folder: str | os.PathLike | None = None) -> bool:
    """Stop the local server; the data and the reviewer's login stay for the next ``up``."""
    folder = state_dir(folder)
    state = read_state(folder)
    pid = state.get("pid")
    was = _ours(pid)
    if was:
        _stop_pid(pid)
    if state:
        state["pid"] = None
        _write_state(folder, state)
    return was


def resolve(url: str | None = None, api_key: str | None = None,
            folder: str | os.PathLike | None = None) -> tuple[Connection, bool]:
    """The server to talk to and whether it is the local one: the URL given, else one from the
    environment, else the local server's state. A key from the environment only goes with a URL
    from the environment or the command line, never to the local server."""
    env = os.environ
    state = read_state(state_dir(folder))
    url = url or env.get("ANNOTATOR_STUDIO_URL") or env.get("LABEL_STUDIO_URL")
    if url is None:
        if not state.get("api_key"):
            raise StudioError("no Label Studio server: run `annotator studio up`, "
                              "or pass --url and --api-key")
        return Connection(state["url"], api_key or state["api_key"]), True
    url = url.rstrip("/")
    local = url == state.get("url")
    api_key = (api_key or env.get("ANNOTATOR_STUDIO_API_KEY") or env.get("LABEL_STUDIO_API_KEY")
               or (state.get("api_key") if local else None))
    if not api_key:
        raise StudioError(f"no API key for {url}: pass --api-key or set ANNOTATOR_STUDIO_API_KEY")
    return Connection(url, api_key), local


def status(url: str | None = None, api_key: str | None = None,
           folder: str | os.PathLike | None = None) -> dict[str, Any]:
    try:
        conn, local = resolve(url, api_key, folder)
    except StudioError:
        return {"url": None, "api_key": None, "running": False}
    running = healthy(conn.url)
    if local:
        running = running and _ours(read_state(state_dir(folder)).get("pid"))
    return {"url": conn.url, "api_key": conn.api_key, "running": running}


# --- push / pull ----------------------------------------------------------------------------------

def find_project(client, title: str):
    for p in client.projects.list(page_size=100):
        if p.title == title:
            return p
    return None


def _newer(candidate: str, current: str | None) -> bool:
    """Whether a pushed model version should become the project's; a different model name always
    does, the same name only with a version that is not lower."""
    if not current:
        return True
    cn, _, cv = candidate.rpartition("-v")
    pn, _, pv = current.rpartition("-v")
    if cn != pn:
        return True
    from packaging.version import InvalidVersion, Version

    try:
        return Version(cv) >= Version(pv)
    except InvalidVersion:
        return cv >= pv


def push(conn: Connection, project: str, results: Iterable[ArticleResult],
         order: str = "uncertainty") -> dict[str, Any]:
    """Import scored articles as tasks with predictions; one task per article id.

    ``order="uncertainty"`` imports the least confident articles first (task score = the lowest
    claim score), so they get the lowest task ids and come first in the Data Manager and in the
    project's uncertainty-sampling stream; ``"input"`` keeps the input order.
    """
    client = conn.client()
    rep: dict[str, Any] = {"project": project, "project_id": None, "model_version": None,
                           "created": 0, "new_predictions": 0, "unchanged": 0, "conflicts": 0,
                           "problems": []}
    proj = find_project(client, project)  # before scoring: a wrong URL or key fails fast
    todo, seen = [], set()
    for res in results:
        if res.id in seen:
            rep["problems"].append(f"{res.id}: appears twice in the input; first kept")
        else:
            seen.add(res.id)
            todo.append((res, lsx.to_task(res, rep["problems"])))
    if not todo:
        return rep
    if proj is None:
        proj = client.projects.create(title=project, label_config=lsx.labeling_config(),
                                      sampling="Uncertainty sampling", show_collab_predictions=True,
                                      description="Claims and sources from the news claim annotator")
    elif proj.label_config.strip() != lsx.labeling_config().strip():
        from label_studio_sdk.core.api_error import ApiError

        try:
            client.projects.update(proj.id, label_config=lsx.labeling_config())
        except ApiError as e:  # annotations using a removed label block the update
            rep["problems"].append(f"labeling config not updated: {str(e)[:300]}")
    existing: dict[str, Any] = {}
    for t in client.tasks.list(project=proj.id, fields="all", page_size=500):
        aid = (t.data or {}).get("article_id")
        if aid is not None:
            existing[str(aid)] = t
    new, versions = [], []
    for res, task in todo:
        pred = task["predictions"][0]
        old = existing.get(res.id)
        if old is None:
            new.append(task)
            versions.append(pred["model_version"])
        elif (old.data or {}).get(lsx.TEXT) != res.text:
            rep["conflicts"] += 1
            rep["problems"].append(f"{res.id}: task {old.id} has a different text; not pushed "
                                   "(give the new article another id)")
        elif any(_get(p, "model_version") == pred["model_version"] for p in old.predictions or []):
            rep["unchanged"] += 1
            versions.append(pred["model_version"])
        else:
            # without project= the prediction is not counted as one of the project's versions
            client.predictions.create(task=old.id, project=proj.id, result=pred["result"],
                                      score=pred["score"], model_version=pred["model_version"])
            data = dict(old.data)
            data["cues"] = {**(data.get("cues") or {}), **task["data"]["cues"]}
            client.tasks.update(str(old.id), data=data)
            rep["new_predictions"] += 1
            versions.append(pred["model_version"])
    if order == "uncertainty":
        new.sort(key=lambda t: t["predictions"][0]["score"])
    for i in range(0, len(new), 500):
        client.projects.import_tasks(proj.id, request=new[i:i + 500])
        rep["created"] += len(new[i:i + 500])
    latest = versions[-1] if versions else None
    current = client.projects.get(proj.id).model_version
    if latest and latest != current and _newer(latest, current):
        client.projects.update(proj.id, model_version=latest)
        current = latest
    rep.update(project_id=proj.id, model_version=current)
    return rep


def _get(obj, key):
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)


def export_tasks(conn: Connection, project: str) -> tuple[list[dict], Any]:
    """The full JSON export (predictions expanded, annotators named, skipped annotations kept)."""
    client = conn.client()
    proj = find_project(client, project)
    if proj is None:
        raise StudioError(f"no project {project!r} on {conn.url}")
    snap = client.projects.exports.create(
        proj.id, title="annotator pull",
        serialization_options={"predictions": {"only_id": False},
                               "annotations__completed_by": {"only_id": False}},
        annotation_filter_options={"usual": True, "ground_truth": True, "skipped": True},
        task_filter_options={"only_with_annotations": False})
    deadline = time.monotonic() + 600
    while snap.status not in ("completed", "failed") and time.monotonic() < deadline:
        time.sleep(1)
        snap = client.projects.exports.get(proj.id, snap.id)
    if snap.status != "completed":
        raise StudioError(f"export of project {project!r} {snap.status or 'timed out'}")
    try:
        raw = b"".join(client.projects.exports.download(proj.id, snap.id, export_type="JSON"))
    finally:
        client.projects.exports.delete(proj.id, snap.id)
    return json.loads(raw), proj


def pull(conn: Connection, project: str, out: str | None, prefer: str = "ground_truth"
         ) -> tuple[dict[str, Any], list[lsx.Review]]:
    """Write reviewed articles as score-format JSONL; returns the summary and per-task reviews."""
    from .readers import AtomicJsonlWriter

    tasks, proj = export_tasks(conn, project)
    reviews, summary = lsx.convert_export(tasks, prefer, proj.model_version)
    with AtomicJsonlWriter(out) as w:
        for r in reviews:
            if r.record is not None:
                w.write(r.record)
    summary.update(project=project, project_id=proj.id, model_version=proj.model_version)
    return summary, reviews
