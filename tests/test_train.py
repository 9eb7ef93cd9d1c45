"""A short real training run on the MiniLM base: saved directory, card, determinism."""
import json

import pytest
import torch

from annotator.classify import load_classifier
from annotator.train import TrainConfig, train

SMALL = dict(epochs=1, aux_sizes={"subj_checkthat": 60, "subj_mpqa": 20, "uncertain_wiki": 40,
                                  "uncertain_sfu": 20, "attributed_polnear": 40},
             weak_size=60, gold_repeat=1, batch_size=64)


@pytest.mark.slow
def test_train_writes_a_loadable_versioned_model(tmp_path):
    cfg = TrainConfig(name="t", version="0", **SMALL)
    out = train(cfg, tmp_path / "m1", log=None)
    for f in ("README.md", "annotator.json", "heads.pt", "training_config.json",
              "training_data.json", "training_log.json", "tokenizer.json", "model.safetensors"):
        assert (out / f).is_file(), f
    card = (out / "README.md").read_text()
    assert "CC BY-NC-SA 4.0" in card and "sha256" in card and "torch" in card
    data = json.loads((out / "training_data.json").read_text())
    assert all(len(d["sha256"]) == 64 for d in data if d["sha256"] != "see above")
    clf = load_classifier(out)
    (probs, src), = clf.predict([("official", "The ministry said the border was closed.")])
    assert abs(sum(probs.values()) - 1) < 1e-4 and src is not None
    with pytest.raises(FileExistsError):
        train(cfg, out, log=None)
    # same seed, same weights
    out2 = train(cfg, tmp_path / "m2", log=None)
    h1 = torch.load(out / "heads.pt")
    h2 = torch.load(out2 / "heads.pt")
    assert all(torch.equal(h1[k], h2[k]) for k in h1)
