"""Label Studio interchange, pure data (no server, no SDK): the labeling config generated from the
label schema, score results as tasks with predictions, and a full JSON export back to claims.

One task per article. A claim is a span labeled by the ``label`` control; a located source is a
span labeled with its source type by the ``source`` control, linked claim -> source by a relation;
a claim whose source has no span carries the type in the per-region ``source_type`` choice (absent
= author). Region ids are deterministic, so a reviewer's annotation joins back to the prediction.
Offsets are code points; every span is checked against the article text on the way in and out.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import quoteattr

from .labels import claim_labels, schema, source_types
from .records import ArticleResult, Claim, Source, Span
from .segment import strip_span
from .score import profile

CLAIM, SOURCE, SOURCE_TYPE, TEXT = "label", "source", "source_type", "text"
CORRECTION_KINDS = ("label", "boundary", "source", "deleted", "added")


def labeling_config() -> str:
    s = schema()

    def labels(items):
        return "\n".join(
            f"    <Label value={quoteattr(i['name'])} background={quoteattr(i['color'])} "
            f"hotkey={quoteattr(i['hotkey'])}"
            + (f" hint={quoteattr(i['description'])}" if i.get("description") else "") + "/>"
            for i in items)

    spans = [t for t in s["source_types"] if t["name"] != "author"]  # the writer has no span
    choices = "\n".join(f"    <Choice value={quoteattr(t['name'])}/>" for t in s["source_types"])
    return f"""<View>
  <Header value="Claims: pick a label, then select the claim's text"/>
  <Labels name="{CLAIM}" toName="{TEXT}" showInline="true">
{labels(s['labels'])}
  </Labels>
  <Header value="Sources: label the span naming who makes a claim, then relate claim to source"/>
  <Labels name="{SOURCE}" toName="{TEXT}" showInline="true">
{labels(spans)}
  </Labels>
  <Text name="{TEXT}" value="$text"/>
  <Choices name="{SOURCE_TYPE}" toName="{TEXT}" perRegion="true" choice="single-radio" showInline="true"
      visibleWhen="region-selected" whenLabelValue={quoteattr(','.join(claim_labels()))}>
    <Header value="Source type when no source span is linked (none = author)"/>
{choices}
  </Choices>
</View>
"""


# --- offsets: Label Studio 1.23 uses code points, older releases UTF-16 code units ---------------

def _utf16_to_cp(text: str, offset: int) -> int | None:
    n16 = 0
    for i, ch in enumerate(text):
        if n16 >= offset:
            return i if n16 == offset else None
        n16 += 2 if ord(ch) > 0xFFFF else 1
    return len(text) if n16 == offset else None


def resolve_span(text: str, start: int, end: int, expected: str | None) -> tuple[int, int, str] | None:
    """Offsets that give back ``expected``, and how they were found: ok, utf16, relocated,
    unchecked (no text to check against); None when the span cannot be placed."""
    if expected is None:
        return (start, end, "unchecked") if 0 <= start < end <= len(text) else None
    if 0 <= start < end <= len(text) and text[start:end] == expected:
        return start, end, "ok"
    if any(ord(c) > 0xFFFF for c in text):
        s, e = _utf16_to_cp(text, start), _utf16_to_cp(text, end)
        if s is not None and e is not None and text[s:e] == expected:
            return s, e, "utf16"
    hits, pos = [], text.find(expected) if expected else -1
    while pos >= 0:
        hits.append(pos)
        pos = text.find(expected, pos + 1)
    if hits:
        best = min(hits, key=lambda p: abs(p - start))
        return best, best + len(expected), "relocated"
    return None


def region_id(article_id: str, kind: str, start: int, end: int, extra: str = "") -> str:
    key = f"{article_id}\x1f{kind}\x1f{start}\x1f{end}\x1f{extra}"
    return kind + hashlib.sha1(key.encode("utf-8")).hexdigest()[:9]


# --- score output -> task with prediction ---------------------------------------------------------

def model_version(model: dict[str, str]) -> str:
    return f"{model.get('name', 'model')}-v{model.get('version', '0')}"


def to_prediction(res: ArticleResult, problems: list[str] | None = None
                  ) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The prediction for one scored article and the cue of each claim region (by region id).

    The task score is the lowest claim score, so sorting by it puts the article with the least
    certain claim first; an article where the model found no claim gets 0 so it is looked at.
    """
    problems = problems if problems is not None else []
    text, aid = res.text or "", res.id
    labels, types = set(claim_labels()), set(source_types())
    result: list[dict] = []
    cues: dict[str, list[int]] = {}
    seen: set[str] = set()
    scores = []

    def span_value(span_start, span_end, span_text, what):
        got = resolve_span(text, span_start, span_end, span_text)
        if got is None:
            problems.append(f"{aid}: {what} {span_start}:{span_end} {span_text!r} not in the text; "
                            "not pushed")
        elif got[2] in ("utf16", "relocated"):
            problems.append(f"{aid}: {what} {span_start}:{span_end} repaired ({got[2]}) to "
                            f"{got[0]}:{got[1]}")
        return None if got is None else {"start": got[0], "end": got[1], "text": text[got[0]:got[1]]}

    for c in res.claims:
        if c.label not in labels:
            problems.append(f"{aid}: claim {c.start}:{c.end} has label {c.label!r} not in the schema; "
                            "not pushed")
            continue
        value = span_value(c.start, c.end, c.text, "claim")
        if value is None:
            continue
        cid = region_id(aid, "c", value["start"], value["end"])
        while cid in seen:
            cid = region_id(aid, "c", value["start"], value["end"], cid)
        seen.add(cid)
        score = c.score if c.score is not None else max(c.scores.values(), default=None)
        item = {"id": cid, "from_name": CLAIM, "to_name": TEXT, "type": "labels",
                "value": {**value, "labels": [c.label]}}
        if score is not None:
            item["score"] = float(score)
            scores.append(float(score))
        result.append(item)
        stype = c.source.type if c.source.type in types else None
        if stype is None:
            problems.append(f"{aid}: claim {c.start}:{c.end} source type {c.source.type!r} not in "
                            "the schema; pushed as author")
            stype = "author"
        sspan = c.source.span if stype != "author" else None
        svalue = span_value(sspan.start, sspan.end, sspan.text, "source") if sspan else None
        if svalue is not None:
            sid = region_id(aid, "s", svalue["start"], svalue["end"], stype)
            if sid not in seen:
                seen.add(sid)
                result.append({"id": sid, "from_name": SOURCE, "to_name": TEXT, "type": "labels",
                               "value": {**svalue, "labels": [stype]}})
            result.append({"type": "relation", "from_id": cid, "to_id": sid, "direction": "right"})
        else:
            result.append({"id": cid, "from_name": SOURCE_TYPE, "to_name": TEXT, "type": "choices",
                           "value": {**value, "choices": [stype]}})
        if c.cue is not None and stype != "author":
            cue = resolve_span(text, c.cue.start, c.cue.end, c.cue.text)
            if cue is not None:
                cues[cid] = [cue[0], cue[1]]
    pred = {"model_version": model_version(res.model), "score": min(scores) if scores else 0.0,
            "result": result}
    return pred, cues


def to_task(res: ArticleResult, problems: list[str] | None = None) -> dict[str, Any]:
    pred, cues = to_prediction(res, problems)
    data = {TEXT: res.text, "article_id": res.id, "cues": cues}
    if res.meta:
        data["meta"] = res.meta
    return {"data": data, "predictions": [pred]}


# --- full JSON export -> claims -------------------------------------------------------------------

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
