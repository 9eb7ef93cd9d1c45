"""Distillation into a smaller student: unlabeled data selection, the soft loss, a real run."""
import json
import random

import pytest
import torch

from annotator.classify import load_classifier
from annotator.distill import attach_teacher_targets, distill_examples, unlabeled_documents
from annotator.gold import GOLD_DIR
from annotator.train import TrainConfig, soft_loss, train
from annotator.train_data import Example
from conftest import build_tiny_model
from test_train import SMALL


def gold_docs():
    return {json.loads(line)["doc"] for line in open(GOLD_DIR / "gold.jsonl") if line.strip()}


def test_unlabeled_documents_never_include_gold_documents():
    gold = gold_docs()
    docs = unlabeled_documents(TrainConfig(distill_docs=10_000), gold, random.Random(0))
    assert docs and not set(docs) & gold
    assert all(d.startswith("polnear/train/text/") for d in docs)


def test_distill_examples_are_the_pipelines_own_claims():
    cfg = TrainConfig(distill_docs=2, teacher="t")
    rows, card = distill_examples(cfg, gold_docs(), random.Random(0))
    assert rows and all(e.head == "distill" and e.y == -1 for e in rows)
    assert {e.a for e in rows} <= {"official", "person", "organization", "media", "anonymous",
                                   "author"}
    assert len(card["sha256"]) == 64 and card["examples"] == len(rows)
    # with the source's words in the input, claims with a named source carry them
    spans, _ = distill_examples(TrainConfig(distill_docs=2, teacher="t", source_input="type+span"),
                                gold_docs(), random.Random(0))
    assert [e.b for e in spans] == [e.b for e in rows]
    assert any(e.a.startswith(("official: ", "person: ")) for e in spans)
    assert all(s.a == r.a or s.a.startswith(r.a + ": ") for s, r in zip(spans, rows))


def test_a_teacher_must_read_the_students_input_form(tmp_path):
    teacher = build_tiny_model(tmp_path / "teacher", with_source=True)
    cfg = TrainConfig(teacher=str(teacher), source_input="type+span")
    with pytest.raises(ValueError, match="source input"):
        attach_teacher_targets(cfg, [], [])


def test_soft_loss_is_lowest_when_the_student_matches_the_teacher():
    target = ((0.7, 0.1, 0.1, 0.1), (0.5, 0.1, 0.1, 0.1, 0.1, 0.1))
    ex = [Example("distill", "author", "x", -1, soft=target)]
    match = [torch.log(torch.tensor([t])) for t in target]
    other = [torch.log(torch.tensor([t[::-1]])) for t in target]
    assert soft_loss(match, ex, [0]) < soft_loss(other, ex, [0])


@pytest.mark.slow
def test_student_keeps_fewer_layers_and_learns_from_the_teacher(tmp_path):
    teacher = build_tiny_model(tmp_path / "teacher", with_source=True, source_input="type+span")
    cfg = TrainConfig(name="s", version="0", num_layers=2, freeze_layers=0,
                      teacher=str(teacher), distill_docs=3, gold_train_docs=4,
                      source_input="type+span", **{**SMALL, "epochs": 1})
    out = train(cfg, tmp_path / "student", log=None)
    assert json.loads((out / "config.json").read_text())["num_hidden_layers"] == 2
    data = json.loads((out / "training_data.json").read_text())
    assert any("teacher soft targets" in d["source"] for d in data)
    assert "first 2 of 6 transformer layers" in (out / "README.md").read_text()
    clf = load_classifier(out, runtime="onnx")
    assert clf.model.encoder.config.num_hidden_layers == 2 and clf.source_input == "type+span"
    (probs, src), = clf.predict([("official", "The ministry said the border was closed.")])
    assert abs(sum(probs.values()) - 1) < 1e-4 and abs(sum(src.values()) - 1) < 1e-4
