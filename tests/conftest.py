"""Shared fixtures: a tiny randomly initialised model built locally (no downloads)."""
from __future__ import annotations

import pytest
import torch


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory):
    from transformers import AutoTokenizer, BertConfig, BertModel

    from annotator.classify import ClaimModel, base_encoder_dir, save_model_dir
    from annotator.labels import claim_labels

    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(base_encoder_dir())
    cfg = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                     num_attention_heads=2, intermediate_size=64, max_position_embeddings=512)
    heads = {"labels": len(claim_labels())}
    model = ClaimModel(BertModel(cfg, add_pooling_layer=False), heads)
    meta = {"name": "tiny-test", "version": "0", "labels": list(claim_labels()), "heads": heads,
            "temperature": 1.0, "max_length": 128}
    return save_model_dir(model, tokenizer, meta, tmp_path_factory.mktemp("m") / "tiny")
