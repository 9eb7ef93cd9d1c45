"""Benchmark: the annotator's end-to-end scoring against a naive transformers pipeline.

    .venv/bin/python scripts/bench.py [--articles N] [--model DIR] [--runtime onnx|torch] [--quantize]

Both sides score the same claims in one run, each in its own subprocess (so peak RSS is
per side): the project end to end (text -> segment -> attribute -> classify -> JSONL), and a
plain ``pipeline("text-classification")`` over the same claim texts with the same encoder and
default settings. Also measures the machine's fp32 GEMM rate in the same run and the fraction of
it that the model's forward pass reaches (FLOPs per claim from the config and token counts).
Articles are gold documents from the shared corpus, repeated to the requested count.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def articles(n: int) -> list[dict]:
    from annotator.gold import GOLD_FILE, load_gold

    docs = load_gold(GOLD_FILE, annotator="A")
    return [{"id": f"{i}", "text": docs[i % len(docs)].text} for i in range(n)]


def run_project(n: int, model: str | None, quantize: bool, runtime: str, q: mp.Queue) -> None:
    from annotator.classify import load_classifier
    from annotator.readers import AtomicJsonlWriter
    from annotator.records import Article
    from annotator.score import score_articles

    arts = [Article(a["id"], a["text"]) for a in articles(n)]
    clf = load_classifier(model, quantize=quantize, runtime=runtime)
    out = Path(tempfile.mkdtemp()) / "out.jsonl"
    t = time.perf_counter()
    n_claims = 0
    with AtomicJsonlWriter(str(out)) as w:
        for r in score_articles(arts, clf):
            n_claims += len(r.claims)
            w.write(r.to_dict())
    q.put({"claims": n_claims, "seconds": time.perf_counter() - t, "peak_rss_mb": peak_rss_mb()})


def run_naive(n: int, q: mp.Queue) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

    from annotator.classify import base_encoder_dir

    texts = [text for _, text in pairs_of(articles(n))]
    base = base_encoder_dir()
    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=4)
    pipe = pipeline("text-classification", model=model, tokenizer=AutoTokenizer.from_pretrained(base),
                    device=-1)
    t = time.perf_counter()
    with torch.inference_mode():
        for _ in pipe(texts):
            pass
    q.put({"claims": len(texts), "seconds": time.perf_counter() - t, "peak_rss_mb": peak_rss_mb()})


def pairs_of(arts: list[dict]) -> list[tuple[str, str]]:
    from annotator.score import extract_claims

    return [(c.source.type, c.text) for a in arts for c in extract_claims(a["text"])]


def _rate(matmul, m: int, k: int, n: int, reps: int) -> float:
    for _ in range(3):
        matmul()
    t = time.perf_counter()
    for _ in range(reps):
        matmul()
    return 2 * m * k * n * reps / (time.perf_counter() - t) / 1e9


def gemm_gflops(m: int, k: int, n: int, reps: int = 20) -> dict:
    """fp32 GEMM rate of torch's BLAS and of ONNX Runtime's MLAS; the machine's rate is the
    faster one (the forward pass runs on either, and a fraction over 1 would mean the
    reference GEMM was not the machine's best)."""
    import numpy as np
    import onnx
    import onnxruntime as ort
    import torch
    from onnx import TensorProto, helper

    a, b = torch.randn(m, k), torch.randn(k, n)
    rates = {"torch": _rate(lambda: a @ b, m, k, n, reps)}
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["a", "b"], ["c"])], "gemm",
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, [m, k])],
        [helper.make_tensor_value_info("c", TensorProto.FLOAT, [m, n])],
        [onnx.numpy_helper.from_array(b.numpy(), "b")])
    so = ort.SessionOptions()
    so.intra_op_num_threads = torch.get_num_threads()
    sess = ort.InferenceSession(helper.make_model(graph).SerializeToString(), so,
                                providers=["CPUExecutionProvider"])
    feed = {"a": np.ascontiguousarray(a.numpy())}
    rates["onnxruntime"] = _rate(lambda: sess.run(None, feed), m, k, n, reps)
    return {**{k_: round(v, 1) for k_, v in rates.items()}, "best": round(max(rates.values()), 1)}


def forward_efficiency(model: str | None, n: int, runtime: str) -> dict:
    """Forward-pass GFLOP/s on the model's own batches, against the GEMM rate."""

    from annotator.classify import load_classifier

    clf = load_classifier(model, runtime=runtime)
    clf.predict(pairs_of(articles(4)))  # warm-up: first calls allocate
    cfg = clf.model.encoder.config
    pairs = pairs_of(articles(n))
    enc = clf.tokenizer([a for a, _ in pairs], [b for _, b in pairs], truncation="only_second",
                        max_length=clf.max_length)
    lens = sorted(len(x) for x in enc["input_ids"])
    h, inter, layers = cfg.hidden_size, cfg.intermediate_size, cfg.num_hidden_layers
    flops = sum(layers * (2 * L * (4 * h * h + 2 * h * inter) + 4 * L * L * h) for L in lens)
    t = time.perf_counter()
    clf.predict(pairs)
    secs = time.perf_counter() - t
    tokens = sum(lens)
    return {"claims": len(pairs), "mean_tokens": tokens / len(pairs), "layers": layers,
            "gflop_per_claim": flops / len(pairs) / 1e9, "forward_gflops": flops / secs / 1e9,
            "forward_claims_per_s": len(pairs) / secs,
            "gemm_large": gemm_gflops(2048, 2048, 2048),
            "gemm_minilm": gemm_gflops(32 * 48, h, inter)}


def in_subprocess(fn, *args) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=fn, args=(*args, q))
    p.start()
    res = q.get()
    p.join()
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=60)
    ap.add_argument("--model")
    ap.add_argument("--quantize", action="store_true")
    ap.add_argument("--runtime", choices=["onnx", "torch"], default="onnx")
    a = ap.parse_args()
    ours = in_subprocess(run_project, a.articles, a.model, a.quantize, a.runtime)
    naive = in_subprocess(run_naive, a.articles)
    eff = forward_efficiency(a.model, min(a.articles, 40), a.runtime)
    cps_ours = ours["claims"] / ours["seconds"]
    cps_naive = naive["claims"] / naive["seconds"]
    report = {
        "articles": a.articles, "claims": ours["claims"],
        "project_claims_per_s": round(cps_ours, 1), "naive_claims_per_s": round(cps_naive, 1),
        "speedup": round(cps_ours / cps_naive, 2),
        "project_peak_rss_mb": round(ours["peak_rss_mb"]), "naive_peak_rss_mb": round(naive["peak_rss_mb"]),
        "forward": {k: (round(v, 3) if isinstance(v, float) else v) for k, v in eff.items()},
        "forward_fraction_of_gemm_large": round(eff["forward_gflops"] / eff["gemm_large"]["best"], 3),
        "forward_fraction_of_gemm_minilm": round(eff["forward_gflops"] / eff["gemm_minilm"]["best"], 3),
        "threads": os.cpu_count(), "quantized": a.quantize, "runtime": a.runtime,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
