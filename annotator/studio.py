"""The push/pull round trip over the Label Studio API: scored articles in as tasks with
predictions, reviewed annotations out as score-format JSONL.

Which server to talk to, and the local one's start/stop/status, live in studio_local.py; they are
re-exported here so ``annotator.studio`` stays the one import for callers of the whole round trip.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any

from . import labelstudio as lsx
from .labelstudio_review import Review, convert_export
from .records import ArticleResult
from .studio_local import (DEFAULT_DIR, DEFAULT_PORT, HOST, USERNAME, Connection,  # noqa: F401
                           StudioError, down, healthy, read_state, resolve, server_env, state_dir,
                           status, up)


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
         ) -> tuple[dict[str, Any], list[Review]]:
    """Write reviewed articles as score-format JSONL; returns the summary and per-task reviews."""
    from .readers import AtomicJsonlWriter

    tasks, proj = export_tasks(conn, project)
    reviews, summary = convert_export(tasks, prefer, proj.model_version)
    with AtomicJsonlWriter(out) as w:
        for r in reviews:
            if r.record is not None:
                w.write(r.record)
    summary.update(project=project, project_id=proj.id, model_version=proj.model_version)
    return summary, reviews
