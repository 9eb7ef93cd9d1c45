import json

from annotator.registry import decide, list_models, next_version, set_current


def test_decide_tolerance_and_label_margin():
    old = {"label_macro_f1": 0.70, "f1_opinion": 0.7, "f1_speculation": 0.6}
    assert decide({"label_macro_f1": 0.695, "f1_opinion": 0.7, "f1_speculation": 0.6}, old).promote
    d = decide({"label_macro_f1": 0.68, "f1_opinion": 0.7, "f1_speculation": 0.6}, old)
    assert not d.promote and "dropped" in d.reasons[0]
    d = decide({"label_macro_f1": 0.75, "f1_opinion": 0.9, "f1_speculation": 0.5}, old)
    assert not d.promote and any("speculation" in r for r in d.reasons)
    assert decide({"label_macro_f1": 0.1}, None).promote


def test_listing_versions_and_current(tmp_path):
    for v in ("m-v1", "m-v2"):
        d = tmp_path / v
        d.mkdir()
        (d / "annotator.json").write_text("{}")
        (d / "training_data.json").write_text(json.dumps(
            [{"source": "gold", "license": "own", "sha256": "ab" * 32, "examples": 3}]))
    (tmp_path / "m-v2" / "metrics.json").write_text(json.dumps({"gold": {
        "labels_on_matched": {"label_macro_f1": 0.5, "per_label": {"opinion": {"f1": 0.4}}},
        "segmentation": {"f1": 0.9}, "source_type_accuracy": 0.8, "gold_claims": 12}}))
    set_current(tmp_path / "m-v2", tmp_path)
    models = list_models(tmp_path)
    assert [(m["version"], m["current"]) for m in models] == [("m-v1", False), ("m-v2", True)]
    assert models[1]["metrics"]["label_macro_f1"] == 0.5 and models[1]["metrics"]["f1_opinion"] == 0.4
    assert models[1]["metrics"]["test_claims"] == 12
    assert models[0]["data"][0]["examples"] == 3
    assert next_version("m", tmp_path) == "3"
