"""Label Studio interchange without a server: config, tasks, offsets, export conversion."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

from annotator import labelstudio as lsx
from annotator.labels import claim_labels, schema, source_types
from annotator.labelstudio_review import convert_export
from annotator.records import ArticleResult, Claim, Source, Span

TEXT = ("Café owners in Zürich 😀 reopened on Monday, the city council said. "
        "Prices could rise next year. “It’s a disaster,” said Renée Müller 🎉. "
        "Tourists love the old town, guides say.")


def span(text: str, sub: str, after: int = 0) -> Span:
    i = text.index(sub, after)
    return Span(i, i + len(sub), sub)


def claim(text, sub, label, stype="author", src=None, cue=None, score=0.9):
    s = span(text, sub)
    return Claim(s.start, s.end, s.text, label, score, {label: score},
                 Source(stype, span(text, src, s.start) if src else None),
                 span(text, cue, s.start) if cue else None)


def article() -> ArticleResult:
    claims = (
        claim(TEXT, "Café owners in Zürich 😀 reopened on Monday, the city council said.",
              "official_statement", "official", "the city council", "said", 0.8),
        claim(TEXT, "Prices could rise next year.", "speculation", score=0.55),
        claim(TEXT, "“It’s a disaster,” said Renée Müller 🎉.", "opinion", "person",
              "Renée Müller", "said", 0.7),
    )
    return ArticleResult("cafe", claims, {}, {"name": "m", "version": "3"}, TEXT)


def test_config_comes_from_the_schema():
    cfg = lsx.labeling_config()
    root = ET.fromstring(cfg)
    claims = root.find("Labels[@name='label']")
    assert [x.get("value") for x in claims] == list(claim_labels())
    assert [x.get("hotkey") for x in claims] == [x["hotkey"] for x in schema()["labels"]]
    spans = root.find("Labels[@name='source']")
    assert [x.get("value") for x in spans] == [t for t in source_types() if t != "author"]
    choices = root.find("Choices[@name='source_type']")
    assert choices.get("perRegion") == "true"
    assert [x.get("value") for x in choices.findall("Choice")] == list(source_types())
    assert root.find("Text").get("value") == "$text"

    from label_studio_sdk.label_interface import LabelInterface

    controls = {c.name: list(c.labels) for c in LabelInterface(cfg).controls}
    assert controls == {"label": list(claim_labels()),
                        "source": [t for t in source_types() if t != "author"],
                        "source_type": list(source_types())}


def test_task_has_code_point_spans_ids_scores_and_relations():
    problems = []
    task = lsx.to_task(article(), problems)
    assert problems == []
    pred = task["predictions"][0]
    assert pred["model_version"] == "m-v3"
    assert pred["score"] == 0.55  # the least confident claim ranks the article
    res = pred["result"]
    regions = [r for r in res if r.get("type") == "labels"]
    for r in regions:
        v = r["value"]
        assert TEXT[v["start"]:v["end"]] == v["text"]
    claims = [r for r in regions if r["from_name"] == "label"]
    assert [r["score"] for r in claims] == [0.8, 0.55, 0.7]
    assert len({r["id"] for r in regions}) == len(regions)
    rel = [r for r in res if r["type"] == "relation"]
    assert len(rel) == 2 and {r["from_id"] for r in rel} == {claims[0]["id"], claims[2]["id"]}
    choice = [r for r in res if r["type"] == "choices"]
    assert len(choice) == 1 and choice[0]["id"] == claims[1]["id"] \
        and choice[0]["value"]["choices"] == ["author"]
    assert set(task["data"]["cues"]) == {claims[0]["id"], claims[2]["id"]}
    # deterministic: pushing the same article again yields the same region ids
    assert lsx.to_task(article())["predictions"][0]["result"] == res


def test_resolve_span_repairs_utf16_and_reports_the_rest():
    sub = "Prices could rise next year."
    i = TEXT.index(sub)
    assert lsx.resolve_span(TEXT, i, i + len(sub), sub) == (i, i + len(sub), "ok")
    # one emoji before the span: UTF-16 offsets are one more than code points
    assert lsx.resolve_span(TEXT, i + 1, i + 1 + len(sub), sub) == (i, i + len(sub), "utf16")
    assert lsx.resolve_span(TEXT, 0, 5, sub)[2] == "relocated"
    assert lsx.resolve_span(TEXT, 0, 5, "not in the text") is None


def test_push_repairs_utf16_offsets_and_reports_bad_labels():
    art = article()
    c = art.claims[1]
    bad = Claim(c.start + 1, c.end + 1, c.text, c.label, c.score, c.scores, c.source, None)
    odd = Claim(c.start, c.end, c.text, "rumour", 0.5, {}, c.source, None)
    art = ArticleResult(art.id, (art.claims[0], bad, odd), {}, art.model, TEXT)
    problems = []
    res = lsx.to_task(art, problems)["predictions"][0]["result"]
    claims = [r["value"] for r in res if r.get("from_name") == "label"]
    assert [(v["start"], v["end"]) for v in claims][1] == (c.start, c.end)
    assert any("repaired (utf16)" in p for p in problems)
    assert any("'rumour'" in p and "not pushed" in p for p in problems)


def _export_task(task, annotations):
    pred = {"id": 7, "created_at": "2026-01-01T00:00:00Z", **task["predictions"][0]}
    return {"id": 1, "data": task["data"], "predictions": [pred], "annotations": annotations}


def _ann(result, id=1, when="2026-01-02T00:00:00Z", **kw):
    return {"id": id, "result": result, "updated_at": when, "completed_by": {"email": f"u{id}@x"},
            "was_cancelled": False, "ground_truth": False, **kw}


def test_export_back_to_claims_counts_every_correction():
    task = lsx.to_task(article())
    res = copy.deepcopy(task["predictions"][0]["result"])
    c1, c2, c3 = [r for r in res if r.get("from_name") == "label"]
    c1["value"]["labels"] = ["attributed_fact"]                       # label
    new_end = TEXT.index(" 🎉")
    c3["value"].update(end=new_end, text=TEXT[c3["value"]["start"]:new_end])  # boundary
    res = [r for r in res if r.get("id") != c2["id"]]                   # deleted (with its choice)
    added = span(TEXT, "Tourists love the old town, guides say.")
    src = span(TEXT, "guides", added.start)
    n16 = 2  # two emoji before the added claim: send it in UTF-16 like older releases
    res += [{"id": "new1", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": added.start + n16, "end": added.end + n16, "text": added.text,
                       "labels": ["opinion"]}},
            {"id": "new2", "from_name": "source", "to_name": "text", "type": "labels",
             "value": {"start": src.start, "end": src.end, "text": src.text, "labels": ["anonymous"]}},
            {"type": "relation", "from_id": "new2", "to_id": "new1", "direction": "left"},
            {"id": "bad", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": 0, "end": 4, "text": "Café", "labels": ["rumour"]}}]
    t = _export_task(task, [_ann(res)])
    reviews, summary = convert_export([t])
    rec = reviews[0].record
    got = [(c["text"], c["label"], c["source"]["type"], c["source"]["text"], c["cue"] and c["cue"]["text"])
           for c in rec["claims"]]
    assert got == [
        ("Café owners in Zürich 😀 reopened on Monday, the city council said.", "attributed_fact",
         "official", "the city council", "said"),
        ("“It’s a disaster,” said Renée Müller", "opinion", "person", "Renée Müller", "said"),
        ("Tourists love the old town, guides say.", "opinion", "anonymous", "guides", None),
    ]
    for c in rec["claims"]:
        assert TEXT[c["start"]:c["end"]] == c["text"]
    assert summary["corrections"] == {"label": 1, "boundary": 1, "source": 0, "deleted": 1, "added": 1}
    assert summary["offsets"]["utf16"] == 1
    assert any("'rumour'" in p for p in summary["problems"])
    ag = summary["agreement"]
    assert ag["official_statement"] == {"model": 1, "reviewer": 0, "agreed": 0,
                                        "precision": 0.0, "recall": None}
    assert ag["opinion"]["agreed"] == 1 and ag["opinion"]["reviewer"] == 2
    json.dumps(rec)  # the record is plain JSON, same shape as score output
    assert ArticleResult.from_dict(rec).claims[0].source.span.text == "the city council"


def test_skipped_unreviewed_and_several_annotators():
    task = lsx.to_task(article())
    res = task["predictions"][0]["result"]
    changed = copy.deepcopy(res)
    changed[0]["value"]["labels"] = ["opinion"]
    skipped = _export_task(task, [_ann([], id=1, was_cancelled=True)])
    unreviewed = _export_task(task, [])
    truth_old = _ann(res, id=2, when="2026-01-01T00:00:00Z", ground_truth=True)
    latest = _ann(changed, id=3, when="2026-02-01T00:00:00Z")
    several = _export_task(task, [truth_old, latest, _ann([], id=4, was_cancelled=True)])
    reviews, s = convert_export([skipped, unreviewed, several])
    assert [r.status for r in reviews] == ["skipped", "unreviewed", "reviewed"]
    assert reviews[2].annotation["chosen_by"] == "ground_truth" and reviews[2].annotation["id"] == 2
    assert s["corrections"]["label"] == 0 and s["multiple_annotations"] == 1
    assert any("2 annotations; used #2 by u2@x (ground_truth)" in p for p in s["problems"])
    reviews, s = convert_export([several], prefer="latest")
    assert reviews[0].annotation["id"] == 3 and s["corrections"]["label"] == 1


def test_core_modules_import_nothing_from_label_studio():
    code = ("import sys, annotator.segment, annotator.attribute, annotator.classify, annotator.score, "
            "annotator.labelstudio, annotator.labelstudio_review, annotator.serve; "
            "print([m for m in sys.modules if m.startswith('label_studio')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
