"""A full Label Studio JSON export back to claims: per task, the annotation to trust, its claims
as a score-format record and the reviewer's corrections of the model's prediction; per project,
a summary with label agreement. Pure data like labelstudio.py, whose control names and span
checks it shares.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .labels import claim_labels, source_types
from .labelstudio import CLAIM, SOURCE, SOURCE_TYPE, TEXT, resolve_span
from .records import ArticleResult, Claim, Source, Span
from .score import profile
from .segment import strip_span

CORRECTION_KINDS = ("label", "boundary", "source", "deleted", "added")


@dataclass
class Review:
    """The outcome of converting one exported task."""
    task_id: int
    article_id: str
    status: str                      # reviewed, skipped, unreviewed, error
    record: dict | None = None
    annotation: dict = field(default_factory=dict)  # id, annotator, chosen_by, n_annotations
    corrections: dict[str, int] = field(default_factory=dict)
    pairs: list[tuple[str | None, str | None]] = field(default_factory=list)  # (model, reviewer)
    offsets: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _when(a: dict) -> tuple:
    return (a.get("updated_at") or a.get("created_at") or "", a.get("id") or 0)


def choose_annotation(annotations: list[dict], prefer: str = "ground_truth"
                      ) -> tuple[dict | None, str]:
    usable = [a for a in annotations if not a.get("was_cancelled")]
    if not usable:
        return None, "skipped" if annotations else "unreviewed"
    truth = [a for a in usable if a.get("ground_truth")]
    if prefer == "ground_truth" and truth:
        return max(truth, key=_when), "ground_truth"
    return max(usable, key=_when), "only" if len(usable) == 1 else "latest"


def _reference(task: dict, ann: dict, project_version: str | None) -> dict | None:
    """The prediction the reviewer corrected: the one seen while annotating, else its parent,
    else the project's current model version, else the newest."""
    seen = ann.get("prediction")
    if isinstance(seen, dict) and seen.get("result"):
        return seen
    preds = [p for p in task.get("predictions") or [] if isinstance(p, dict)]
    for p in preds:
        if ann.get("parent_prediction") and p.get("id") == ann["parent_prediction"]:
            return p
    current = [p for p in preds if project_version and p.get("model_version") == project_version]
    return max(current or preds, key=_when, default=None)


def parse_result(text: str, items: Iterable[dict], article_id: str, cues: dict | None = None,
                 review: Review | None = None) -> tuple[dict[str, Claim], int]:
    """Claims by region id from one annotation's or prediction's result; problems go to review."""
    note = review.problems.append if review else (lambda _m: None)
    labels, types = set(claim_labels()), set(source_types())
    spans: dict[str, tuple[str, int, int, str]] = {}
    choice: dict[str, str] = {}
    links: list[tuple[str, str]] = []
    for it in items:
        kind, rid, value = it.get("type"), it.get("id"), it.get("value") or {}
        if kind == "relation":
            links.append((it.get("from_id"), it.get("to_id")))
            continue
        if kind == "choices" and it.get("from_name") == SOURCE_TYPE:
            ch = value.get("choices") or []
            if ch and ch[0] in types:
                choice[rid] = ch[0]
            else:
                note(f"region {rid}: unknown source type {ch!r}; treated as author")
            continue
        if kind != "labels" or it.get("from_name") not in (CLAIM, SOURCE):
            note(f"region {rid}: {kind} result from control {it.get('from_name')!r} is not part of "
                 "the claim schema; ignored")
            continue
        lab = value.get("labels") or []
        ok = labels if it["from_name"] == CLAIM else types - {"author"}
        if len(lab) != 1 or lab[0] not in ok:
            note(f"region {rid}: {lab!r} is not one {it['from_name']!r} label of the schema "
                 "(unknown label); region left out")
            continue
        try:
            got = resolve_span(text, int(value["start"]), int(value["end"]), value.get("text"))
        except (KeyError, TypeError, ValueError):
            got = None
        if got is None:
            note(f"region {rid}: span {value.get('start')}:{value.get('end')} "
                 f"{value.get('text')!r} does not match the article; region left out")
            continue
        start, end = strip_span(text, got[0], got[1])
        how = "trimmed" if (start, end) != got[:2] and got[2] == "ok" else got[2]
        if how not in ("ok", "unchecked"):
            note(f"region {rid}: offsets {value.get('start')}:{value.get('end')} -> {start}:{end} "
                 f"({how})")
        if review is not None:
            review.offsets[how] = review.offsets.get(how, 0) + 1
        if start == end:
            note(f"region {rid}: only whitespace; left out")
        elif rid in spans and CLAIM not in (it["from_name"], spans[rid][0]):
            note(f"region {rid}: two source labels; kept the first")
        elif rid in spans:
            note(f"region {rid}: labeled both as a claim and as a source; kept the claim")
            if it["from_name"] == CLAIM:
                spans[rid] = (CLAIM, start, end, lab[0])
        else:
            spans[rid] = (it["from_name"], start, end, lab[0])
    linked: dict[str, list[str]] = {}
    for a, b in links:
        pair = (a, b) if spans.get(a, ("",))[0] == CLAIM else (b, a)
        if spans.get(pair[0], ("",))[0] == CLAIM and spans.get(pair[1], ("",))[0] == SOURCE:
            linked.setdefault(pair[0], []).append(pair[1])
        else:
            note(f"relation {a} -> {b} does not link a claim to a source span; ignored")
    used = {s for v in linked.values() for s in v}
    for rid, (ctl, s, e, lab) in spans.items():
        if ctl == SOURCE and rid not in used:
            note(f"source span {rid} {text[s:e]!r} ({lab}) is linked to no claim; left out")
    claims: dict[str, Claim] = {}
    n_cues_dropped = 0
    for rid, (ctl, s, e, lab) in spans.items():
        if ctl != CLAIM:
            continue
        srcs = sorted(linked.get(rid, []), key=lambda x: abs(spans[x][1] - s))
        if len(srcs) > 1:
            note(f"claim {rid} has {len(srcs)} linked sources; kept the nearest")
        if srcs:
            _, ss, se, stype = spans[srcs[0]]
            source = Source(stype, Span(ss, se, text[ss:se]))
        else:
            source = Source(choice.get(rid, "author"))
        cue = None
        if cues and rid in cues:
            if source.type == "author":
                n_cues_dropped += 1
            else:
                cs, ce = cues[rid]
                cue = Span(cs, ce, text[cs:ce])
        claims[rid] = Claim(start=s, end=e, text=text[s:e], label=lab, source=source, cue=cue)
    return claims, n_cues_dropped


def _overlap(a: Claim, b: Claim) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def diff(pred: dict[str, Claim], final: dict[str, Claim]) -> tuple[dict[str, int], list]:
    """Corrections by kind and (model label, reviewer label) pairs. Regions join on id; a region
    the reviewer re-drew gets a new id, so leftovers join on offsets, then on most overlap."""
    pairs: list[tuple[Claim, Claim]] = []
    left_p, left_f = dict(pred), dict(final)
    for rid in list(left_p):
        if rid in left_f:
            pairs.append((left_p.pop(rid), left_f.pop(rid)))
    for rid, p in list(left_p.items()):
        same = [k for k, f in left_f.items() if (f.start, f.end) == (p.start, p.end)]
        if same:
            pairs.append((left_p.pop(rid), left_f.pop(same[0])))
    cands = sorted(((_overlap(p, f), pk, fk) for pk, p in left_p.items() for fk, f in left_f.items()),
                   reverse=True)
    for ov, pk, fk in cands:
        if pk in left_p and fk in left_f:
            p, f = left_p[pk], left_f[fk]
            if ov * 2 > min(p.end - p.start, f.end - f.start):
                pairs.append((left_p.pop(pk), left_f.pop(fk)))
    counts = dict.fromkeys(CORRECTION_KINDS, 0)
    for p, f in pairs:
        counts["label"] += p.label != f.label
        counts["boundary"] += (p.start, p.end) != (f.start, f.end)
        counts["source"] += p.source != f.source
    counts["deleted"], counts["added"] = len(left_p), len(left_f)
    labels = ([(p.label, f.label) for p, f in pairs] + [(p.label, None) for p in left_p.values()]
              + [(None, f.label) for f in left_f.values()])
    return counts, labels


def review_task(task: dict, prefer: str = "ground_truth", project_version: str | None = None) -> Review:
    data = task.get("data") or {}
    text = data.get(TEXT)
    aid = str(data.get("article_id") or f"task-{task.get('id')}")
    rev = Review(task_id=task.get("id"), article_id=aid, status="unreviewed")
    anns = task.get("annotations") or []
    ann, how = choose_annotation(anns, prefer)
    if ann is None:
        rev.status = how
        return rev
    if not isinstance(text, str):
        rev.status = "error"
        rev.problems.append("task has no text field; cannot convert its annotation")
        return rev
    who = ann.get("completed_by")
    who = who.get("email") or who.get("id") if isinstance(who, dict) else who
    usable = [a for a in anns if not a.get("was_cancelled")]
    rev.status = "reviewed"
    rev.annotation = {"id": ann.get("id"), "annotator": who, "chosen_by": how,
                      "n_annotations": len(usable), "n_skipped": len(anns) - len(usable)}
    if len(usable) > 1:
        rev.problems.append(f"{len(usable)} annotations; used #{ann.get('id')} by {who} ({how})")
    cues = data.get("cues") or {}
    final, dropped = parse_result(text, ann.get("result") or [], aid, cues, rev)
    if dropped:
        rev.problems.append(f"{dropped} cue(s) dropped: the reviewer made the claim the writer's own")
    ref = _reference(task, ann, project_version)
    if ref is None:
        rev.problems.append("no prediction to compare with; every claim counts as added")
    pred, _ = parse_result(text, (ref or {}).get("result") or [], aid, cues)
    rev.corrections, rev.pairs = diff(pred, final)
    claims = tuple(sorted(final.values(), key=lambda c: (c.start, c.end)))
    meta = {k: v for k, v in (data.get("meta") or {}).items()}
    meta["review"] = {"task": rev.task_id, **rev.annotation,
                      "model_version": (ref or {}).get("model_version")}
    rec = ArticleResult(id=aid, claims=claims, profile=profile(claims), text=text, meta=meta,
                        model={"name": "label-studio-review", "version": str(ann.get("id"))})
    rev.record = rec.to_dict()
    return rev


def summarize(reviews: list[Review]) -> dict[str, Any]:
    done = [r for r in reviews if r.status == "reviewed"]
    corr, offsets, chosen = Counter(dict.fromkeys(CORRECTION_KINDS, 0)), Counter(), Counter()
    for r in done:
        corr.update(r.corrections)
        offsets.update(r.offsets)
        chosen[r.annotation["chosen_by"]] += 1
    pairs = [p for r in done for p in r.pairs]
    agreement = {}
    for lab in claim_labels():
        n_model, n_rev = sum(m == lab for m, _ in pairs), sum(v == lab for _, v in pairs)
        agreed = sum(m == v == lab for m, v in pairs)
        agreement[lab] = {"model": n_model, "reviewer": n_rev, "agreed": agreed,
                          "precision": round(agreed / n_model, 4) if n_model else None,
                          "recall": round(agreed / n_rev, 4) if n_rev else None}
    status = Counter(r.status for r in reviews)
    return {
        "tasks": len(reviews), "reviewed": len(done), "skipped": status["skipped"],
        "unreviewed": status["unreviewed"], "errors": status["error"],
        "claims": sum(len(r.record["claims"]) for r in done),
        "corrections": dict(corr), "agreement": agreement, "offsets": dict(offsets),
        "annotation_choice": dict(chosen),
        "multiple_annotations": sum(r.annotation["n_annotations"] > 1 for r in done),
        "problems": [f"task {r.task_id} ({r.article_id}): {p}" for r in reviews for p in r.problems],
    }


def convert_export(tasks: list[dict], prefer: str = "ground_truth",
                   project_version: str | None = None) -> tuple[list[Review], dict[str, Any]]:
    reviews = [review_task(t, prefer, project_version) for t in tasks]
    return reviews, summarize(reviews)
