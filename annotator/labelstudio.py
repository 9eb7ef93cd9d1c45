"""Label Studio interchange, pure data (no server, no SDK): the labeling config generated from the
label schema and score results as tasks with predictions. labelstudio_review.py reads a full JSON
export back to claims.

One task per article. A claim is a span labeled by the ``label`` control; a located source is a
span labeled with its source type by the ``source`` control, linked claim -> source by a relation;
a claim whose source has no span carries the type in the per-region ``source_type`` choice (absent
= author). Region ids are deterministic, so a reviewer's annotation joins back to the prediction.
Offsets are code points; every span is checked against the article text on the way in and out.
"""
from __future__ import annotations

import hashlib
from typing import Any
from xml.sax.saxutils import quoteattr

from .labels import claim_labels, schema, source_types
from .records import ArticleResult

CLAIM, SOURCE, SOURCE_TYPE, TEXT = "label", "source", "source_type", "text"


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
