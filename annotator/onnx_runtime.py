"""ONNX Runtime inference for a model directory: the same computation, faster on CPU.

The model's encoder and product heads are exported once per model version to a cache
(``$ANNOTATOR_CACHE`` or ``~/.cache/annotator``), keyed by the hash of the weights, so a model
directory in the repository is never written to. fp32 gives the same predictions as torch; int8
(dynamic, per-channel) is faster but changes some predictions, so it is opt-in and its accuracy
is measured by ``annotator eval --runtime onnx --quantize``.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np
import torch
from torch import nn

INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class _ProductHeads(nn.Module):
    """Encoder + label head (+ source head): the graph that inference needs."""

    def __init__(self, model, with_source: bool):
        super().__init__()
        self.model, self.with_source = model, with_source

    def forward(self, input_ids, attention_mask, token_type_ids):
        pooled = self.model.pooled(input_ids, attention_mask, token_type_ids)
        labels = self.model.heads["labels"](pooled)
        return (labels, self.model.heads["source"](pooled)) if self.with_source else labels


def cache_dir() -> Path:
    return Path(os.environ.get("ANNOTATOR_CACHE") or Path.home() / ".cache" / "annotator") / "onnx"


def weights_key(model_dir: Path) -> str:
    h = hashlib.sha256()
    for name in ("model.safetensors", "pytorch_model.bin", "heads.pt", "annotator.json"):
        if (model_dir / name).is_file():
            h.update((model_dir / name).read_bytes())
    return h.hexdigest()[:16]


def export(model, tokenizer, with_source: bool, out: Path) -> Path:
    """Export to ``out`` atomically (parallel workers may export the same model at once)."""
    import warnings

    enc = tokenizer(["person", "author"], ["A claim, she said.", "x"], padding=True,
                    return_tensors="pt")
    outputs = ["labels", "source"] if with_source else ["labels"]
    axes = {k: {0: "batch", 1: "tokens"} for k in INPUTS} | {k: {0: "batch"} for k in outputs}
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".onnx", dir=out.parent)
    os.close(fd)
    with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
        # the TorchScript exporter handles BERT's dynamic shapes without extra dependencies
        warnings.simplefilter("ignore")
        torch.onnx.export(_ProductHeads(model, with_source).eval(),
                          tuple(enc[k] for k in INPUTS), tmp, input_names=list(INPUTS),
                          output_names=outputs, dynamic_axes=axes, opset_version=17,
                          dynamo=False)
    os.chmod(tmp, 0o644)
    os.replace(tmp, out)
    return out


def quantize(src: Path, out: Path) -> Path:
    """int8 dynamic quantization of the MatMul weights (per channel; 7-bit range, since AVX2
    without VNNI can saturate full-range u8*s8 products)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fd, tmp = tempfile.mkstemp(suffix=".onnx", dir=out.parent)
    os.close(fd)
    quantize_dynamic(str(src), tmp, weight_type=QuantType.QInt8, per_channel=True,
                     reduce_range=True,
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    os.chmod(tmp, 0o644)
    os.replace(tmp, out)
    return out


class OnnxForward:
    """Callable on a padded batch (numpy int arrays) → label logits[, source logits] as tensors."""

    def __init__(self, path: Path, threads: int):
        import onnxruntime as ort

        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.log_severity_level = 3
        self.session = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
        self.path = path

    def __call__(self, batch: dict) -> list[torch.Tensor]:
        feed = {k: np.asarray(batch[k], dtype=np.int64) for k in INPUTS}
        return [torch.from_numpy(x) for x in self.session.run(None, feed)]


def onnx_forward(model_dir: Path, model, tokenizer, with_source: bool, threads: int,
                 int8: bool = False) -> OnnxForward:
    """The cached ONNX graph of this model version (exported on first use)."""
    base = cache_dir() / f"{model_dir.name}-{weights_key(model_dir)}"
    fp32 = base.with_suffix(".onnx")
    if not fp32.is_file():
        export(model, tokenizer, with_source, fp32)
    path = fp32
    if int8:
        path = base.parent / f"{base.name}-int8.onnx"
        if not path.is_file():
            quantize(fp32, path)
    return OnnxForward(path, threads)
