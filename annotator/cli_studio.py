"""Command line for the Label Studio round trip: ``studio up|down|status|push|pull`` and ``serve``.

``add_commands(subparsers)`` registers them on the main parser; each command parses its
arguments and calls library functions in ``studio_local``, ``studio``, ``labelstudio`` and
``serve``.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .records import Article, ArticleResult


def _err(msg: str) -> None:
    print(f"annotator: {msg}", file=sys.stderr)


def _api_errors() -> tuple[type[BaseException], ...]:
    import httpx
    from label_studio_sdk.core.api_error import ApiError

    from .studio_local import StudioError

    return StudioError, ApiError, httpx.HTTPError, OSError


def _describe(e: BaseException) -> str:
    """An SDK error without the response headers it carries."""
    code = getattr(e, "status_code", None)
    if code is None:
        return str(e)
    body = getattr(e, "body", None)
    detail = body.get("detail") or body if isinstance(body, dict) else body
    hint = " (wrong API key?)" if code == 401 else ""
    return f"HTTP {code}{hint}: {str(detail)[:500]}"


def _jsonl(fh: IO[str], where: str, max_chars: int, problems: list[str], raw: list[Article]
           ) -> Iterator[ArticleResult]:
    """Score-output lines as results; plain article lines are queued in ``raw`` for scoring."""
    from .readers import InputError, check_text, jsonl_objects

    for item in jsonl_objects(fh, where):
        if isinstance(item, InputError):
            problems.append(str(item))
            continue
        loc, lineno, obj = item
        if not isinstance(obj.get("text"), str):
            hint = "; scored with --no-text? score again without it" if "claims" in obj else ""
            problems.append(f"{loc}: no string field 'text'{hint}")
            continue
        if obj.get("error"):
            problems.append(f"{loc}: scoring failed earlier ({obj['error']}); not pushed")
        elif isinstance(obj.get("claims"), list):
            yield ArticleResult.from_dict(obj)
        else:
            aid = str(obj.get("id", f"{Path(where).stem}-{lineno}"))
            err = check_text(obj["text"], f"{loc} (id {aid})", max_chars)
            if err:
                problems.append(str(err))
            else:
                meta = {k: v for k, v in obj.items() if k not in ("id", "text", "profile", "model")}
                raw.append(Article(aid, obj["text"], meta))


def push_inputs(inputs: list[str], model: str | None, max_chars: int, problems: list[str],
                threads: int | None = None) -> Iterator[ArticleResult]:
    """Results from ``annotator score`` output as is; raw articles (.txt, folders, JSONL lines
    without claims) scored first with the model."""
    from .readers import InputError, read_inputs

    raw: list[Article] = []
    for item in inputs or ["-"]:
        path = Path(item)
        if item == "-":
            yield from _jsonl(sys.stdin, "<stdin>", max_chars, problems, raw)
        elif path.is_file() and path.suffix.lower() in (".jsonl", ".ndjson"):
            with open(path, encoding="utf-8") as fh:
                yield from _jsonl(fh, item, max_chars, problems, raw)
        else:
            for a in read_inputs([item], max_chars=max_chars):
                if isinstance(a, InputError):
                    problems.append(str(a))
                else:
                    raw.append(a)
    if raw:
        from .classify import load_classifier
        from .score import score_articles

        yield from score_articles(raw, load_classifier(model, threads=threads))


def cmd_up(a) -> int:
    from .studio_local import up

    try:
        st = up(a.dir, port=a.port, timeout=a.timeout, quiet=False)
    except _api_errors() as e:
        _err(_describe(e))
        return 2
    print(f"Label Studio running at {st['url']}\n  login: {st['username']}  password: {st['password']}"
          f"\n  API key: `annotator studio status --json` (state in {Path(st['data_dir']).parent})")
    return 0


def cmd_down(a) -> int:
    from .studio_local import down

    print("Label Studio stopped" if down(a.dir) else "Label Studio was not running")
    return 0


def cmd_status(a) -> int:
    from .studio_local import status

    st = status(a.url, a.api_key, a.dir)
    if a.json:  # the answer is in the JSON; scripts read it rather than the exit code
        print(json.dumps(st))
        return 0
    print(f"{st['url'] or 'no server configured'}: {'running' if st['running'] else 'not running'}")
    return 0 if st["running"] else 1


def cmd_push(a) -> int:
    from .classify import ModelError
    from .studio import push
    from .studio_local import resolve

    problems: list[str] = []
    try:
        conn, _ = resolve(a.url, a.api_key, a.dir)
        rep = push(conn, a.project, push_inputs(a.inputs, a.model, a.max_chars, problems, a.threads),
                   order=a.order)
    except ModelError as e:
        _err(str(e))
        return 2
    except _api_errors() as e:
        _err(f"push failed: {_describe(e)}")
        return 2
    for p in problems + rep["problems"]:
        _err(p)
    print(f"project {rep['project']} (id {rep['project_id']}), model version {rep['model_version']}: "
          f"{rep['created']} task(s) created, {rep['new_predictions']} new prediction(s), "
          f"{rep['unchanged']} unchanged, {rep['conflicts']} conflict(s)")
    return 1 if rep["conflicts"] or (problems and not (rep["created"] or rep["new_predictions"])) else 0


def format_summary(s: dict) -> str:
    lines = [f"project {s['project']} (id {s['project_id']}), model version {s['model_version']}",
             (f"tasks {s['tasks']}: reviewed {s['reviewed']}, skipped {s['skipped']}, "
              f"unreviewed {s['unreviewed']}, errors {s['errors']}"),
             f"claims written {s['claims']}; annotation used: "
             + (", ".join(f"{k} {v}" for k, v in sorted(s["annotation_choice"].items())) or "none")
             + f"; tasks with several annotations {s['multiple_annotations']}",
             "corrections: " + ", ".join(f"{k} {v}" for k, v in s["corrections"].items()),
             "agreement per label (model vs reviewer):"]
    for lab, g in s["agreement"].items():
        pr = "-" if g["precision"] is None else f"{g['precision']:.2f}"
        rc = "-" if g["recall"] is None else f"{g['recall']:.2f}"
        lines.append(f"  {lab:<20} model {g['model']:>4}  reviewer {g['reviewer']:>4}  "
                     f"agreed {g['agreed']:>4}  precision {pr}  recall {rc}")
    lines.append("offsets: " + (", ".join(f"{k} {v}" for k, v in sorted(s["offsets"].items())) or "-"))
    if s["problems"]:
        lines.append(f"reported ({len(s['problems'])}):")
        lines += [f"  {p}" for p in s["problems"]]
    return "\n".join(lines)


def cmd_pull(a) -> int:
    from .studio import pull
    from .studio_local import resolve

    try:
        conn, _ = resolve(a.url, a.api_key, a.dir)
        summary, reviews = pull(conn, a.project, a.output, prefer=a.prefer.replace("-", "_"))
    except _api_errors() as e:
        _err(f"pull failed: {_describe(e)}")
        return 2
    if a.report:
        Path(a.report).write_text(json.dumps(
            {"summary": summary, "tasks": [{k: v for k, v in vars(r).items() if k != "record"}
                                           for r in reviews]}, indent=2, ensure_ascii=False) + "\n")
    text = json.dumps(summary, indent=2, ensure_ascii=False) if a.json else format_summary(summary)
    print(text, file=sys.stderr if a.output in (None, "-") else sys.stdout)
    return 0


def cmd_serve(a) -> int:
    import logging

    from .classify import ModelError
    from .serve import serve

    logging.basicConfig(level=logging.INFO if a.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(message)s")
    trainer = None
    if a.train:
        from functools import partial

        from .retrain import studio_trainer
        from .studio_local import StudioError, resolve

        try:
            trainer = partial(studio_trainer, resolve(a.url, a.api_key, a.dir)[0])
        except StudioError as e:
            _err(str(e))
            return 2
    try:
        serve(a.model, a.host, a.port, trainer=trainer, threads=a.threads)
    except ModelError as e:
        _err(str(e))
        return 2
    except OSError as e:
        _err(f"cannot listen on {a.host}:{a.port}: {e.strerror}")
        return 2
    return 0


def _conn_args(p: argparse.ArgumentParser, server: bool = True) -> None:
    p.add_argument("--dir", help="local server state folder (default .studio, or $ANNOTATOR_STUDIO_DIR)")
    if server:
        p.add_argument("--url", help="an external Label Studio (or $ANNOTATOR_STUDIO_URL)")
        p.add_argument("--api-key", help="its API key (or $ANNOTATOR_STUDIO_API_KEY)")


def add_commands(subparsers) -> None:
    st = subparsers.add_parser("studio", help="review claims in Label Studio")
    sub = st.add_subparsers(dest="studio_cmd", required=True)

    p = sub.add_parser("up", help="start the local Label Studio (127.0.0.1 only)")
    _conn_args(p, server=False)
    p.add_argument("--port", type=int, default=None, help="port (default: last used, else 8080; 0 any)")
    p.add_argument("--timeout", type=float, default=300, help="seconds to wait for /health")
    p.set_defaults(func=cmd_up)

    p = sub.add_parser("down", help="stop the local Label Studio (data is kept)")
    _conn_args(p, server=False)
    p.set_defaults(func=cmd_down)

    p = sub.add_parser("status", help="is Label Studio running; --json gives url and api_key")
    _conn_args(p)
    p.add_argument("--json", action="store_true", help='print {"url", "api_key", "running"}')
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("push", help="import scored (or raw, scored first) articles with predictions")
    p.add_argument("inputs", nargs="*", help="score output JSONL, .txt, folder of .txt, .jsonl, or -")
    p.add_argument("--project", required=True, help="project title (created if missing)")
    p.add_argument("--model", help="model for raw articles (default models/CURRENT)")
    p.add_argument("--order", choices=["uncertainty", "input"], default="uncertainty",
                   help="import the least confident articles first (default) or in input order")
    p.add_argument("--max-chars", type=int, default=1_000_000)
    p.add_argument("--threads", type=int, default=None)
    _conn_args(p)
    p.set_defaults(func=cmd_push)

    p = sub.add_parser("pull", help="export reviewed claims as score-format JSONL")
    p.add_argument("--project", required=True)
    p.add_argument("-o", "--output", help="output JSONL (default stdout)")
    p.add_argument("--prefer", choices=["ground-truth", "latest"], default="ground-truth",
                   help="which annotation counts when a task has several (default: ground truth, "
                        "else the latest)")
    p.add_argument("--report", help="also write per-task details as JSON here")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    _conn_args(p)
    p.set_defaults(func=cmd_pull)

    p = subparsers.add_parser("serve", help="Label Studio ML backend over the model")
    p.add_argument("--model", help="model directory (default models/CURRENT)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=9090)
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("-v", "--verbose", action="store_true", help="log every request")
    p.add_argument("--train", action="store_true",
                   help="on START_TRAINING: pull the project's corrections, train the next "
                        "version, promote it if it holds up on gold test, and serve it")
    _conn_args(p)
    p.set_defaults(func=cmd_serve)
