"""Knowledge distillation: a smaller student learns the product heads of a trained teacher.

Why: the forward pass is the cost of scoring, and it scales with the number of layers. A student
that keeps MiniLM's bottom layers only does less work per claim; the teacher's calibrated
probabilities (on the gold claims and on claims the pipeline extracts from PolNeAR train
articles outside the gold data) carry more of what the teacher learnt than the hard labels alone.
The student is trained by ``annotator.train`` with ``TrainConfig.teacher`` set.
"""
from __future__ import annotations

import hashlib
import random

from .gold import corpus_root, read_document
from .train_data import Example, TrainConfig

POLNEAR_TRAIN = "polnear/train/text"


def unlabeled_documents(cfg: TrainConfig, exclude_docs: set[str], rng: random.Random) -> list[str]:
    """``cfg.distill_docs`` PolNeAR train articles that are not gold documents of any split."""
    root = corpus_root(cfg.corpus_root)
    names = sorted(p.name for p in (root / POLNEAR_TRAIN).glob("*.txt"))
    docs = [f"{POLNEAR_TRAIN}/{n}" for n in names if f"{POLNEAR_TRAIN}/{n}" not in exclude_docs]
    return rng.sample(docs, min(cfg.distill_docs, len(docs)))


def distill_examples(cfg: TrainConfig, exclude_docs: set[str], rng: random.Random
                     ) -> tuple[list[Example], dict]:
    """Unlabeled product examples: the pipeline's own claims (rule source type, claim text)."""
    from .score import claim_input, extract_claims

    root = corpus_root(cfg.corpus_root)
    docs = unlabeled_documents(cfg, exclude_docs, rng)
    out, h = [], hashlib.sha256()
    for doc in docs:
        text = read_document(doc, root)
        h.update(text.encode("utf-8"))
        out += [Example("distill", *claim_input(c.text, c.source, cfg.source_input), -1)
                for c in extract_claims(text)]
    card = {"source": "polnear (unlabeled, teacher soft targets)",
            "license": "research use (PolNeAR v1.0.0, Newell et al. 2018)",
            "sha256": h.hexdigest(), "examples": len(out),
            "used_as": f"{len(docs)} train articles outside the gold data; claims extracted by "
                       f"the pipeline, targets = teacher {cfg.teacher} probabilities"}
    return out, card


def attach_teacher_targets(cfg: TrainConfig, examples: list[Example], train_idx: list[int]) -> None:
    """Set ``soft`` (label probabilities, source-type probabilities) of the product examples
    among ``train_idx`` (dev examples select the epoch and never need targets)."""
    from .classify import load_classifier
    from .labels import claim_labels, source_types

    teacher = load_classifier(cfg.teacher, threads=cfg.threads, runtime="onnx")
    if teacher.labels != claim_labels() or teacher.source_types != source_types():
        raise ValueError(f"teacher {cfg.teacher} has another label map than labels/schema.json")
    if teacher.source_input != cfg.source_input:
        raise ValueError(f"teacher {cfg.teacher} reads source input {teacher.source_input!r}, "
                         f"the student {cfg.source_input!r}")
    idx = [i for i in train_idx if examples[i].head in ("claim", "distill")]
    probs = teacher.predict([(examples[i].a, examples[i].b) for i in idx])
    for i, (p, q) in zip(idx, probs):
        if q is None:
            raise ValueError(f"teacher {cfg.teacher} has no source head; distillation needs one")
        examples[i].soft = (tuple(p.values()), tuple(q.values()))
