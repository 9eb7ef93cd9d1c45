"""Short real training runs on the MiniLM base: saved directory, card, determinism, resume."""
import dataclasses
import json

import pytest
import torch

import annotator.train as train_mod
from annotator.classify import load_classifier
from annotator.train import TrainConfig, train

SMALL = dict(epochs=2, aux_sizes={"subj_checkthat": 60, "subj_mpqa": 20, "uncertain_wiki": 40,
                                  "uncertain_sfu": 20, "attributed_polnear": 40},
             weak_size=60, gold_repeat=1, batch_size=64)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    cfg = TrainConfig(name="t", version="0", **SMALL)
    return cfg, train(cfg, tmp_path_factory.mktemp("t") / "m1", log=None)


def heads(path):
    return torch.load(path / "heads.pt")


@pytest.mark.slow
def test_train_writes_a_loadable_versioned_model(trained):
    cfg, out = trained
    for f in ("README.md", "annotator.json", "heads.pt", "training_config.json",
              "training_data.json", "training_log.json", "tokenizer.json", "model.safetensors"):
        assert (out / f).is_file(), f
    assert not out.with_name(out.name + ".partial").exists()
    card = (out / "README.md").read_text()
    assert "CC BY-NC-SA 4.0" in card and "sha256" in card and "torch" in card
    data = json.loads((out / "training_data.json").read_text())
    assert all(len(d["sha256"]) == 64 for d in data if d["sha256"] != "see above")
    clf = load_classifier(out)
    (probs, src), = clf.predict([("official", "The ministry said the border was closed.")])
    assert abs(sum(probs.values()) - 1) < 1e-4 and abs(sum(src.values()) - 1) < 1e-4
    with pytest.raises(FileExistsError):
        train(cfg, out, log=None)


@pytest.mark.slow
def test_interrupted_training_resumes_to_the_same_model(trained, tmp_path, monkeypatch):
    cfg, reference = trained
    calls = {"n": 0}
    real = train_mod.make_batches

    def interrupt_in_second_epoch(*a, **k):
        calls["n"] += 1  # call 1 counts steps, call 2 is epoch 1, call 3 is epoch 2
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*a, **k)

    monkeypatch.setattr(train_mod, "make_batches", interrupt_in_second_epoch)
    out = tmp_path / "m"
    with pytest.raises(KeyboardInterrupt):
        train(cfg, out, log=None)
    assert (tmp_path / "m.partial" / "state.pt").is_file() and not out.exists()
    monkeypatch.setattr(train_mod, "make_batches", real)
    # the same config over other examples (say, after a change of the source rules, whose types
    # are part of the input) must not resume this checkpoint
    real_build = train_mod.build_examples

    def other_source_type(*a, **k):
        groups, cards = real_build(*a, **k)
        first = groups["train"][0]
        groups["train"][0] = dataclasses.replace(first, a="official" if first.a != "official"
                                                 else "person")
        return groups, cards

    monkeypatch.setattr(train_mod, "build_examples", other_source_type)
    with pytest.raises(ValueError, match="other training examples"):
        train(cfg, out, log=None)
    monkeypatch.setattr(train_mod, "build_examples", real_build)
    train(cfg, out, log=None)
    a, b = heads(reference), heads(out)
    # equal up to float reduction order (OpenMP under load), far from a fresh or random start
    assert all(torch.allclose(a[k], b[k], atol=1e-3) for k in a)
    log_a = json.loads((reference / "training_log.json").read_text())["history"]
    log_b = json.loads((out / "training_log.json").read_text())["history"]
    assert [h["epoch"] for h in log_b] == [1, 2]
    assert log_b[0] == pytest.approx(log_a[0], abs=1e-3)
