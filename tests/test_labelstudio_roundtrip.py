"""Push scored articles to a real Label Studio, review them through its API, pull them back."""
from __future__ import annotations

import copy
import json
import time

import pytest
from test_labelstudio import TEXT, article, claim, span

from annotator import studio
from annotator.records import ArticleResult

pytest_plugins = ["studio_server"]
pytestmark = pytest.mark.slow

QUIET = "Señor Peña 🙂 waited. Nobody came."
DUO = "The ministry 🏛️ said taxes will rise. Critics called it théâtre."


def results(version: str = "3") -> list[ArticleResult]:
    model = {"name": "m", "version": version}
    quiet = ArticleResult("quiet", (claim(QUIET, "Señor Peña 🙂 waited.", "attributed_fact"),
                                    claim(QUIET, "Nobody came.", "attributed_fact", score=0.6)),
                          {}, model, QUIET)
    duo = ArticleResult("duo", (claim(DUO, "The ministry 🏛️ said taxes will rise.", "official_statement",
                                      "official", "The ministry", "said"),
                                claim(DUO, "Critics called it théâtre.", "opinion", "anonymous",
                                      "Critics", "called")), {}, model, DUO)
    cafe = article()
    return [ArticleResult(cafe.id, cafe.claims, {}, model, cafe.text), quiet, duo]


def write(path, items):
    path.write_text("".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in items))
    return str(path)


def lines(path):
    return [json.loads(x) for x in open(path, encoding="utf-8") if x.strip()]


def _tasks(client, title):
    proj = studio.find_project(client, title)
    return proj, {t.data["article_id"]: t for t in client.tasks.list(project=proj.id)}


def test_status_json(studio_server, capsys, monkeypatch, studio_cli):
    for var in ("ANNOTATOR_STUDIO_URL", "LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    assert studio_cli(["studio", "status", "--json", "--dir", studio_server["dir"]]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "url": studio_server["url"], "api_key": studio_server["api_key"], "running": True}
    assert studio_server["url"].startswith("http://127.0.0.1:")


def test_review_round_trip(studio_server, studio_conn, tmp_path, capsys, studio_cli):
    assert studio_cli(["studio", "push", write(tmp_path / "s.jsonl", results()), "--project", "round trip",
                *studio_server["conn_args"]]) == 0
    assert "3 task(s) created" in capsys.readouterr().out
    client = studio_conn.client()
    proj, tasks = _tasks(client, "round trip")
    assert proj.model_version == "m-v3" and len(tasks) == 3
    assert tasks["quiet"].predictions[0].score == 0.6

    # reviewer on "cafe": relabel, move a boundary, delete, add (with a source span), in code points
    res = copy.deepcopy(tasks["cafe"].predictions[0].result)
    c1, c2, c3 = [r for r in res if r.get("from_name") == "label"]
    c1["value"]["labels"] = ["attributed_fact"]
    end = TEXT.index(" 🎉")
    c3["value"].update(end=end, text=TEXT[c3["value"]["start"]:end])
    res = [r for r in res if r.get("id") != c2["id"]]
    added, src = span(TEXT, "Tourists love the old town, guides say."), span(TEXT, "guides")
    res += [{"id": "rev1", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": added.start, "end": added.end, "text": added.text, "labels": ["opinion"]}},
            {"id": "rev2", "from_name": "source", "to_name": "text", "type": "labels",
             "value": {"start": src.start, "end": src.end, "text": src.text, "labels": ["anonymous"]}},
            {"type": "relation", "from_id": "rev1", "to_id": "rev2", "direction": "right"}]
    client.annotations.create(id=tasks["cafe"].id, result=res, lead_time=12.0)
    client.annotations.create(id=tasks["quiet"].id, result=[], was_cancelled=True)
    # two annotators on "duo": an older ground truth (with a label not in the schema) and a newer one
    truth = copy.deepcopy(tasks["duo"].predictions[0].result)
    truth.append({"id": "odd", "from_name": "label", "to_name": "text", "type": "labels",
                  "value": {"start": 0, "end": 3, "text": "The", "labels": ["rumour"]}})
    client.annotations.create(id=tasks["duo"].id, result=truth, ground_truth=True)
    second = client.users.create(username="second", email="second@localhost", password="second-pw-1")
    later = copy.deepcopy(tasks["duo"].predictions[0].result)
    later[0]["value"]["labels"] = ["speculation"]
    time.sleep(0.01)
    client.annotations.create(id=tasks["duo"].id, result=later, completed_by=second.id)

    out = tmp_path / "reviewed.jsonl"
    assert studio_cli(["studio", "pull", "--project", "round trip", "-o", str(out), "--json",
                *studio_server["conn_args"]]) == 0
    summary = json.loads(capsys.readouterr().out)
    recs = {r["id"]: r for r in lines(out)}
    assert set(recs) == {"cafe", "duo"}  # "quiet" was skipped, and reported
    cafe = recs["cafe"]
    assert cafe["text"] == TEXT
    got = [{k: c[k] for k in ("start", "end", "text", "label", "source", "cue")} for c in cafe["claims"]]
    city, cue1 = span(TEXT, "the city council"), span(TEXT, "said")
    renee, said = span(TEXT, "Renée Müller"), span(TEXT, "said", TEXT.index("disaster"))
    s1 = span(TEXT, "Café owners in Zürich 😀 reopened on Monday, the city council said.")
    s3 = span(TEXT, "“It’s a disaster,” said Renée Müller")
    assert got == [
        {**s1.to_dict(), "label": "attributed_fact", "source": {"type": "official", **city.to_dict()},
         "cue": span(TEXT, "said", s1.start).to_dict()},
        {**s3.to_dict(), "label": "opinion", "source": {"type": "person", **renee.to_dict()},
         "cue": said.to_dict()},
        {**added.to_dict(), "label": "opinion", "source": {"type": "anonymous", **src.to_dict()},
         "cue": None},
    ]
    assert cue1.start < s1.end
    assert cafe["meta"]["review"]["annotator"] == studio_server["username"]
    assert [c["label"] for c in recs["duo"]["claims"]] == ["official_statement", "opinion"]
    assert recs["duo"]["meta"]["review"]["chosen_by"] == "ground_truth"
    assert summary["tasks"] == 3 and summary["reviewed"] == 2 and summary["skipped"] == 1
    assert summary["corrections"] == {"label": 1, "boundary": 1, "source": 0, "deleted": 1, "added": 1}
    assert summary["multiple_annotations"] == 1
    assert summary["annotation_choice"] == {"ground_truth": 1, "only": 1}
    assert summary["offsets"] == {"ok": 10}
    probs = "\n".join(summary["problems"])
    assert "'rumour'" in probs and "used #" in probs and "(ground_truth)" in probs
    assert summary["agreement"]["official_statement"]["precision"] == 0.5

    # the same pull preferring the latest annotation takes the second annotator's relabel
    assert studio_cli(["studio", "pull", "--project", "round trip", "-o", str(out), "--prefer", "latest",
                *studio_server["conn_args"]]) == 0
    text = capsys.readouterr().out
    assert "corrections: label 2, boundary 1, source 0, deleted 1, added 1" in text
    assert [c["label"] for c in {r["id"]: r for r in lines(out)}["duo"]["claims"]] == \
        ["speculation", "opinion"]


def test_push_dedups_and_a_newer_model_adds_a_prediction(studio_conn, tmp_path):
    rep = studio.push(studio_conn, "versions", results("3"))
    assert (rep["created"], rep["unchanged"], rep["model_version"]) == (3, 0, "m-v3")
    rep = studio.push(studio_conn, "versions", results("3"))
    assert (rep["created"], rep["unchanged"], rep["new_predictions"]) == (0, 3, 0)
    rep = studio.push(studio_conn, "versions", results("10"))
    assert (rep["created"], rep["new_predictions"], rep["model_version"]) == (0, 3, "m-v10")
    rep = studio.push(studio_conn, "versions", results("9"))  # an older model does not take over
    assert (rep["new_predictions"], rep["model_version"]) == (3, "m-v10")
    proj, tasks = _tasks(studio_conn.client(), "versions")
    assert proj.model_version == "m-v10" and len(tasks) == 3
    assert sorted(p.model_version for p in tasks["duo"].predictions) == ["m-v10", "m-v3", "m-v9"]
    changed = results("11")[:1]
    changed[0] = ArticleResult("cafe", changed[0].claims, {}, changed[0].model, TEXT + " Updated.")
    rep = studio.push(studio_conn, "versions", changed)
    assert rep["conflicts"] == 1 and "different text" in rep["problems"][0]


def test_push_raw_articles_scores_them_first(studio_server, studio_conn, tiny_model_dir, tmp_path,
                                            capsys, studio_cli):
    raw = tmp_path / "raw.jsonl"
    raw.write_text(json.dumps({"id": "r1", "text": DUO}, ensure_ascii=False) + "\n"
                   + json.dumps({"id": "r2", "text": QUIET, "publisher": "Gazette"}) + "\n")
    (tmp_path / "r3.txt").write_text("Fans cheered 🎉 all night. “We won,” the coach said.")
    assert studio_cli(["studio", "push", str(raw), str(tmp_path / "r3.txt"), "--project", "raw",
                "--model", str(tiny_model_dir), *studio_server["conn_args"]]) == 0
    assert "3 task(s) created" in capsys.readouterr().out
    proj, tasks = _tasks(studio_conn.client(), "raw")
    assert set(tasks) == {"r1", "r2", "r3"} and proj.model_version == "tiny-test-v0"
    for t in tasks.values():
        (pred,) = t.predictions
        assert pred.model_version == "tiny-test-v0" and pred.result
        for r in pred.result:
            if r.get("type") == "labels":
                v = r["value"]
                assert t.data["text"][v["start"]:v["end"]] == v["text"]


def test_down_and_up_again_reuse_the_data(studio_server, studio_conn, capsys, studio_cli):
    d = studio_server["dir"]
    assert studio_cli(["studio", "down", "--dir", d]) == 0
    assert "stopped" in capsys.readouterr().out
    assert not studio.healthy(studio_server["url"])
    t0 = time.monotonic()
    assert studio_cli(["studio", "up", "--dir", d]) == 0
    print(f"restart took {time.monotonic() - t0:.1f}s")
    assert studio_server["url"] in capsys.readouterr().out
    assert studio.find_project(studio_conn.client(), "round trip") is not None
    assert studio_cli(["studio", "up", "--dir", d]) == 0  # already running: a no-op


def test_bad_inputs_are_reported(studio_server, tmp_path, capsys, studio_cli):
    d = results()[0].to_dict()
    del d["text"]  # scored with --no-text: nothing to show a reviewer
    (tmp_path / "notext.jsonl").write_text(json.dumps(d) + "\n{broken\n")
    assert studio_cli(["studio", "push", str(tmp_path / "notext.jsonl"), "--project", "bad",
                       *studio_server["conn_args"]]) == 1
    err = capsys.readouterr().err
    assert "--no-text" in err and "invalid JSON" in err
    assert studio_cli(["studio", "pull", "--project", "no such project", "-o", str(tmp_path / "o"),
                       *studio_server["conn_args"]]) == 2
    assert "no project 'no such project'" in capsys.readouterr().err
    assert studio_cli(["studio", "push", str(tmp_path / "notext.jsonl"), "--project", "bad",
                       "--url", studio_server["url"], "--api-key", "wrong"]) == 2
    assert "push failed" in capsys.readouterr().err
