"""The Label Studio server a command talks to: the local one (start, stop, status), or one
given by URL and API key.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
