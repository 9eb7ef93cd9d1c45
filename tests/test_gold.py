import json
from collections import Counter

import pytest

from annotator.gold import GOLD_DIR, GoldError, append_drafts, load_gold, resolve_draft, sha256_text
from annotator.labels import claim_labels

GOLD = GOLD_DIR / "gold.jsonl"


@pytest.fixture(scope="module")
def gold():
    return load_gold(GOLD)


def test_gold_size_labels_and_document_splits(gold):
    primary = [d for d in gold if d.annotator == "A"]
    claims = [c for d in primary for c in d.claims]
    assert len(claims) >= 1000
    counts = Counter(c.label for c in claims)
    assert all(counts[lab] >= 100 for lab in claim_labels()), counts
    split_of = {}
    for d in primary:
        assert split_of.setdefault(d.id, d.split) == d.split
    assert set(split_of.values()) == {"train", "dev", "test"}
    doubled = {d.id for d in gold if d.annotator == "B"}
    assert len(doubled) >= 0.15 * len(split_of)


def test_gold_offsets_are_exact_and_stand_off(gold):
    for d in gold:
        for c in d.claims:
            assert d.text[c.start:c.end] == c.text and c.text == c.text.strip()
            if c.source.span:
                assert d.text[c.source.span.start:c.source.span.end] == c.source.span.text
    raw = GOLD.read_text()
    assert '"text"' not in raw  # no article text is redistributed


def test_hash_mismatch_fails_clearly(tmp_path, gold):
    doc = gold[0]
    root = tmp_path / "corpus"
    path = root / doc.id
    path.parent.mkdir(parents=True)
    path.write_text(doc.text.replace("a", "b", 1))
    rec = next(json.loads(x) for x in GOLD.read_text().splitlines() if json.loads(x)["doc"] == doc.id)
    g = tmp_path / "g.jsonl"
    g.write_text(json.dumps(rec) + "\n")
    with pytest.raises(GoldError, match="sha256 mismatch"):
        load_gold(g, root)
    path.unlink()
    with pytest.raises(GoldError, match="not found under corpus root"):
        load_gold(g, root)


def test_resolve_draft_uses_whole_words(tmp_path):
    text = "The mayor spoke. “The hall is finished,” he said."
    (tmp_path / "d.txt").write_text(text)
    draft = {"doc": "d.txt", "claims": [
        {"text": "“The hall is finished,” he said.", "label": "attributed_fact",
         "source_type": "person", "source": "he", "cue": "said"}]}
    rec = resolve_draft(draft, tmp_path, "train", "A")
    s = rec["claims"][0]["source"]
    assert text[s["start"]:s["end"]] == "he" and text[s["start"] - 1] == " "
    assert rec["sha256"] == sha256_text(text)
    draft["claims"][0]["text"] = "not in the text"
    with pytest.raises(GoldError, match="claim 0 not found"):
        resolve_draft(draft, tmp_path, "train", "A")


def test_append_drafts_adds_a_round_and_refuses_repeats(tmp_path):
    (tmp_path / "old.txt").write_text("The old hall closed.")
    (tmp_path / "new.txt").write_text("The pier reopened, the council said. It is lovely.")
    gold, splits = tmp_path / "gold.jsonl", tmp_path / "splits.json"
    old = resolve_draft({"doc": "old.txt", "claims": [
        {"text": "The old hall closed.", "label": "attributed_fact"}]}, tmp_path, "train", "A")
    gold.write_text(json.dumps(old) + "\n")
    splits.write_text(json.dumps({"old.txt": "train"}))
    drafts = tmp_path / "drafts"
    for p, label in (("A", "opinion"), ("B", "attributed_fact")):
        (drafts / p).mkdir(parents=True)
        (drafts / p / "new.json").write_text(json.dumps({"doc": "new.txt", "claims": [
            {"text": "The pier reopened, the council said.", "label": "official_statement",
             "source_type": "official", "source": "the council", "cue": "said"},
            {"text": "It is lovely.", "label": label}]}))
    assert append_drafts(drafts, "dev", gold, splits, tmp_path) == 2
    docs = load_gold(gold, tmp_path)
    assert [(d.id, d.split, d.annotator) for d in docs] == [
        ("old.txt", "train", "A"), ("new.txt", "dev", "A"), ("new.txt", "dev", "B")]
    assert docs[1].claims[0].source.span.text == "the council"
    assert json.loads(splits.read_text()) == {"new.txt": "dev", "old.txt": "train"}
    before = gold.read_text()
    with pytest.raises(GoldError, match="already in"):
        append_drafts(drafts, "dev", gold, splits, tmp_path)
    assert gold.read_text() == before


def test_training_reads_the_configured_gold_file(tmp_path):
    from annotator.train_data import TrainConfig, gold_examples, gold_path

    (tmp_path / "d.txt").write_text("The pier reopened, the council said. It is lovely.")
    rec = resolve_draft({"doc": "d.txt", "claims": [
        {"text": "The pier reopened, the council said.", "label": "official_statement",
         "source_type": "official", "source": "the council", "cue": "said"},
        {"text": "It is lovely.", "label": "opinion"}]}, tmp_path, "dev", "A")
    (tmp_path / "g.jsonl").write_text(json.dumps(rec) + "\n")
    assert gold_path(TrainConfig()) == GOLD
    cfg = TrainConfig(gold_file=str(tmp_path / "g.jsonl"))
    ex = gold_examples("dev", tmp_path, path=gold_path(cfg))
    assert [(e.b, claim_labels()[e.y]) for e in ex] == [
        ("The pier reopened, the council said.", "official_statement"), ("It is lovely.", "opinion")]
    assert gold_examples("train", tmp_path, path=gold_path(cfg)) == []
