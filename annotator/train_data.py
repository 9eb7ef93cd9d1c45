"""Training data: the project's gold claims, reviewers' corrections and the public corpora.

Every example is (head, text pair, target). A product example (head ``claim``) carries both
the claim label and the source type, so one forward pass trains both product heads; they learn
from gold and corrections; auxiliary heads learn the public corpora's own label spaces; the
``weak`` examples map writer subjectivity onto the label head with a lower weight.
Corrections are de-duplicated with the ``datasets`` library and never touch documents of the
frozen gold dev/test splits.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import corpora
from .attribute import attribute
from .score import claim_input
from .gold import GOLD_FILE, load_gold, sha256_text
from .labels import claim_labels, source_types
from .records import Source, Span

AUX_TEXT = "sentence"  # first segment for auxiliary examples, which have no extracted source


@dataclass
class TrainConfig:
    name: str = "claims-minilm"
    version: str = "1"
    seed: int = 13
    # keep only the encoder's first N layers (None = all 6): fewer layers, less work per claim
    num_layers: int | None = None
    freeze_layers: int = 3
    max_length: int = 96
    # 3 epochs: gold dev macro-F1 0.6885 after epoch 3 vs 0.6892 after 4 (v1), and a retrain
    # with 1,000 corrections must fit in 10 minutes on 2 cores
    epochs: int = 3
    batch_size: int = 32
    lr: float = 8e-5
    head_lr: float = 2e-3
    weight_decay: float = 0.01
    warmup_fraction: float = 0.06
    dropout: float = 0.1
    gold_repeat: int = 2
    aux_weight: float = 0.5
    # distant supervision of the label head from writer-subjectivity corpora (see weak_examples)
    weak_labels: bool = True
    weak_weight: float = 0.5
    weak_size: int = 2000
    aux_sizes: dict = field(default_factory=lambda: {
        "subj_checkthat": 100000, "subj_mpqa": 1000, "uncertain_wiki": 1500,
        "uncertain_sfu": 500, "attributed_polnear": 1500})
    threads: int = 2
    corpus_root: str | None = None
    # None = the shipped labels/gold/gold.jsonl (a relative default keeps configs portable)
    gold_file: str | None = None
    # reviewers' corrections pulled from Label Studio (score-output JSONL with "text")
    corrections: list = field(default_factory=list)
    corrections_repeat: int = 2
    # use only the first N gold train documents (simulations of the review loop); None = all
    gold_train_docs: int | None = None
    # distillation (annotator.distill): a teacher model directory whose calibrated probabilities
    # the student also learns, on gold claims and on claims of distill_docs unlabeled articles
    teacher: str | None = None
    distill_docs: int = 300
    distill_weight: float = 1.0
    # the model's first input segment: "type" or "type+span" (score.SOURCE_INPUTS); "type+span"
    # measured no better on gold dev (6 layers: macro-F1 0.755 vs 0.757, source type 0.851 vs 0.854)
    source_input: str = "type"


@dataclass
class Example:
    head: str
    a: str
    b: str
    y: int
    ys: int = -1  # source-type target of a ``claim`` example
    soft: tuple | None = None  # teacher's (label probs, source-type probs), when distilling


def _sample(rows: list, n: int, rng: random.Random) -> list:
    return rows if len(rows) <= n else rng.sample(rows, n)


def claim_examples(text: str, claims, mode: str = "type") -> list[Example]:
    """Product examples of one document. The input carries the source type that the rules
    extract for the annotated span (not the annotated type), so training sees what inference
    sees; the annotated type is the source head's target."""
    lab = {name: i for i, name in enumerate(claim_labels())}
    src_type = {name: i for i, name in enumerate(source_types())}
    return [Example("claim", *claim_input(c.text, src, mode), lab[c.label], src_type[c.source.type])
            for c, (src, _) in zip(claims, attribute(text, claims))]


def gold_path(cfg: "TrainConfig") -> Path:
    return Path(cfg.gold_file) if cfg.gold_file else GOLD_FILE


def gold_examples(split: str, root=None, docs: int | None = None,
                  path: Path = GOLD_FILE, mode: str = "type") -> list[Example]:
    """Product examples of the primary pass of one split of a gold file (default: shipped)."""
    gold = load_gold(path, root, splits=[split], annotator="A")
    return [e for doc in gold[:docs] for e in claim_examples(doc.text, doc.claims, mode)]


def load_corrections(paths: list[str], frozen_hashes: set[str]) -> tuple[list, dict]:
    """Corrected articles as (text, claims) pairs, de-duplicated with ``datasets``.

    The latest line for an article (same text hash) wins; articles that are gold dev/test
    documents are dropped so that the evaluation splits stay frozen. Returns the documents and
    a data card.
    """
    from datasets import Dataset
    from datasets.utils.logging import disable_progress_bar

    disable_progress_bar()  # our own bar reports training progress

    from .records import ArticleResult

    rows = []
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    d = json.loads(line)
                    rows.append({"order": len(rows), "sha256": sha256_text(d["text"]),
                                 "record": line, "source": p})
    if not rows:
        return [], {}
    ds = Dataset.from_list(rows)
    latest = {}
    for r in ds.sort("order"):
        latest[r["sha256"]] = r["order"]
    ds = ds.filter(lambda r: latest[r["sha256"]] == r["order"] and r["sha256"] not in frozen_hashes)
    docs = []
    for r in ds:
        res = ArticleResult.from_dict(json.loads(r["record"]))
        claims = [c for c in res.claims if c.label in claim_labels()]
        docs.append((res.text, claims))
    h = hashlib.sha256("".join(r["record"] for r in rows).encode())
    card = {"source": "reviewer corrections (" + ", ".join(sorted(set(paths))) + ")",
            "license": "project's own annotations", "sha256": h.hexdigest(),
            "examples": sum(len(c) for _, c in docs), "documents": len(docs),
            "dropped_frozen_or_duplicate": len(rows) - len(docs)}
    return docs, card


def build_examples(cfg: "TrainConfig", rng: random.Random) -> tuple[dict[str, list[Example]], list[dict]]:
    """All example groups and the data cards for the model card."""
    path = gold_path(cfg)
    lines = [line for line in path.read_text().splitlines(keepends=True) if line.strip()]
    records = [json.loads(line) for line in lines]
    gold_docs = {r["doc"]: r for r in records}
    groups = {
        "train": gold_examples("train", cfg.corpus_root, docs=cfg.gold_train_docs, path=path,
                               mode=cfg.source_input),
        "dev": gold_examples("dev", cfg.corpus_root, path=path, mode=cfg.source_input),
    }
    counts = {lab: 0 for lab in claim_labels()}
    for e in groups["train"] + groups["dev"]:
        counts[claim_labels()[e.y]] += 1
    used = "".join(line for line, r in zip(lines, records)
                   if r["pass"] == "A" and r["split"] in ("train", "dev"))
    cards = [{"source": "project gold (labels/gold/gold.jsonl, pass A, train+dev splits)",
              "license": "project's own annotations over PolNeAR documents (research use)",
              "sha256": sha256_text(used),
              "examples": len(groups["train"]) + len(groups["dev"]), "counts": counts}]
    frozen = {r["sha256"] for r in gold_docs.values() if r["split"] in ("dev", "test")}
    docs, card = load_corrections(list(cfg.corrections), frozen)
    groups["corrections"] = [e for text, cl in docs for e in claim_examples(text, cl, cfg.source_input)]
    if card:
        cards.append(card)
    groups["aux"], aux_cards = aux_examples(cfg, set(gold_docs), rng)
    cards += aux_cards
    if cfg.weak_labels:
        groups["weak"] = weak_examples(cfg, rng)
        cards.append({"source": "checkthat+newssd+mpqa (weak 4-label mapping)",
                      "license": "as the sources above", "sha256": "see above",
                      "examples": len(groups["weak"]), "used_as": "label head, weight "
                      f"{cfg.weak_weight}: SUBJ->opinion/speculation, OBJ->attributed_fact"})
    if cfg.teacher:  # after the weak examples: the same rng draws as when v5 was trained
        from .distill import distill_examples

        groups["distill"], card = distill_examples(cfg, set(gold_docs), rng)
        cards.append(card)
    return groups, cards


def aux_examples(cfg: TrainConfig, exclude_docs: set[str], rng: random.Random
                 ) -> tuple[list[Example], list[dict]]:
    """Auxiliary examples and the data-source records for the model card."""
    root, sizes = cfg.corpus_root, cfg.aux_sizes
    out: list[Example] = []
    cards: list[dict] = []
    # CheckThat! dev is a benchmark: drop any newssd/CheckThat-train sentence that is also in dev.
    dev_keys = {corpora.normalise(t) for t, _ in corpora.checkthat("dev", root)}
    seen: set[str] = set()
    subj = []
    for t, y in corpora.checkthat("train", root) + corpora.newssd("train", root):
        k = corpora.normalise(t)
        if k in seen or k in dev_keys:
            continue
        seen.add(k)
        subj.append(Example("subj", AUX_TEXT, t, int(y == "SUBJ")))
    subj = _sample(subj, sizes["subj_checkthat"], rng)
    mp = [Example("subj", AUX_TEXT, r["sentence"], int(r["writer_subjective"] == "1"))
          for r in corpora.mpqa(root)]
    mp = _sample(mp, sizes["subj_mpqa"], rng)
    wiki = [Example("uncertain", AUX_TEXT, t, y) for t, y in corpora.wikiweasel("train", root)]
    wiki = _sample(wiki, sizes["uncertain_wiki"], rng)
    sfu = [Example("uncertain", AUX_TEXT, t, y) for t, y in corpora.sfu(root)]
    sfu = _sample(sfu, sizes["uncertain_sfu"], rng)
    pol = [Example("attributed", AUX_TEXT, r["sentence"], int(r["attributed"]))
           for r in corpora.polnear_sentences("train", root)
           if f"polnear/train/text/{r['article']}.txt" not in exclude_docs]
    pol = _sample(pol, sizes["attributed_polnear"], rng)
    for name, rows, what in (("checkthat", subj, "train_en.tsv + newssd train (deduplicated)"),
                             ("mpqa", mp, "writer_subjective"),
                             ("wikiweasel", wiki, "train part (80% hash split)"),
                             ("sfu", sfu, "speculation"),
                             ("polnear", pol, "train sentences, gold documents excluded")):
        out += rows
        cards.append({"source": name, "license": corpora.SOURCES[name][1],
                      "sha256": corpora.source_hash(name, root), "examples": len(rows),
                      "used_as": what})
    return out, cards


_SPECULATIVE = re.compile(r"\b(?:would|could|may|might|will|can|likely|probably|possibly|perhaps|"
                          r"expects?|expected|predicts?|forecasts?|projected|if|unless)\b", re.I)


def weak_examples(cfg: TrainConfig, rng: random.Random) -> list[Example]:
    """Label-head examples mapped from sentence subjectivity (TAXONOMY.md section 5, inverted).

    A SUBJ sentence is the writer's opinion or speculation (speculation when it carries a
    speculative cue), an OBJ one without attribution is a writer-stated fact. Only sentences the
    rules see as the writer's own (source type author) are used. The mapping is noisy, so these
    examples get ``weak_weight`` in the loss and never enter model selection.
    """
    lab = {name: i for i, name in enumerate(claim_labels())}
    dev_keys = {corpora.normalise(t) for t, _ in corpora.checkthat("dev", cfg.corpus_root)}
    rows = corpora.checkthat("train", cfg.corpus_root) + corpora.newssd("train", cfg.corpus_root)
    rows += [(r["sentence"], "SUBJ" if r["writer_subjective"] == "1" else "OBJ")
             for r in corpora.mpqa(cfg.corpus_root) if r["suggested_label"] != "ATTRIBUTED"]
    seen, out = set(), []
    for text, y in rows:
        key = corpora.normalise(text)
        if key in seen or key in dev_keys or not text.strip():
            continue
        seen.add(key)
        if attribute(text, [Span(0, len(text), text)])[0][0].type != "author":
            continue
        if y == "SUBJ":
            target = "speculation" if _SPECULATIVE.search(text) else "opinion"
        else:
            target = "attributed_fact"
        out.append(Example("weak", *claim_input(text, Source("author")), lab[target]))
    return _sample(out, cfg.weak_size, rng)


