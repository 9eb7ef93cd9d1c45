"""Shared fixtures: a tiny randomly initialised model built locally (no downloads)."""
from __future__ import annotations

import pytest
import torch


@pytest.fixture(autouse=True, scope="session")
def _onnx_cache(tmp_path_factory):
    """Exported ONNX graphs go to a per-session cache, not the user's home."""
    mp = pytest.MonkeyPatch()
    mp.setenv("ANNOTATOR_CACHE", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()


def build_tiny_model(out_dir, with_source: bool = False, seed: int = 0, source_input: str = "type"):
    from transformers import AutoTokenizer, BertConfig, BertModel

    from annotator.classify import ClaimModel, base_encoder_dir, save_model_dir
    from annotator.labels import claim_labels, source_types

    torch.manual_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(base_encoder_dir())
    cfg = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                     num_attention_heads=2, intermediate_size=64, max_position_embeddings=512)
    heads = {"labels": len(claim_labels())}
    meta = {"name": "tiny-test", "version": "0", "labels": list(claim_labels()),
            "temperature": 1.0, "max_length": 128, "source_input": source_input}
    if with_source:
        heads["source"] = len(source_types())
        meta |= {"source_types": list(source_types()), "source_temperature": 1.5}
    model = ClaimModel(BertModel(cfg, add_pooling_layer=False), heads)
    return save_model_dir(model, tokenizer, meta | {"heads": heads}, out_dir)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory):
    return build_tiny_model(tmp_path_factory.mktemp("m") / "tiny")
