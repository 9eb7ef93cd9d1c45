"""Training the claim classifier: multi-task fine-tuning of MiniLM's top layers on CPU.

Why this shape: full fine-tuning runs ~20 examples/s on 2 cores. The bottom ``freeze_layers``
layers stay frozen, so their outputs are computed once and cached (fp16); each epoch then runs
only the top layers, in length-bucketed batches. The product head (4 labels, input = extracted
source type + claim) learns from the project's gold claims; auxiliary heads learn the public
corpora's own label spaces (writer subjectivity, uncertainty, attribution) through the shared
encoder. The dev split selects the epoch and fits the calibration temperature.
"""
from __future__ import annotations

import json
import math
import random
import re
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn

from . import corpora
from .classify import ClaimModel, base_encoder_dir, claim_input, mean_pool, save_model_dir
from .gold import GOLD_DIR, gold_split, sha256_text
from .attribute import attribute
from .labels import claim_labels, source_types
from .modelcard import git_commit, write_model_card
from .records import Span

AUX_TEXT = "sentence"  # first segment for auxiliary examples, which have no extracted source


@dataclass
class TrainConfig:
    name: str = "claims-minilm"
    version: str = "1"
    seed: int = 13
    freeze_layers: int = 3
    max_length: int = 96
    epochs: int = 6
    batch_size: int = 32
    lr: float = 8e-5
    head_lr: float = 2e-3
    weight_decay: float = 0.01
    warmup_fraction: float = 0.06
    dropout: float = 0.1
    gold_repeat: int = 3
    aux_weight: float = 0.5
    # distant supervision of the label head from writer-subjectivity corpora (see weak_examples)
    weak_labels: bool = True
    weak_weight: float = 0.5
    weak_size: int = 3000
    aux_sizes: dict = field(default_factory=lambda: {
        "subj_checkthat": 100000, "subj_mpqa": 1500, "uncertain_wiki": 2500,
        "uncertain_sfu": 1000, "attributed_polnear": 2000})
    threads: int = 2
    corpus_root: str | None = None
    gold_file: str = str(GOLD_DIR / "gold.jsonl")


@dataclass
class Example:
    head: str
    a: str
    b: str
    y: int


def _sample(rows: list, n: int, rng: random.Random) -> list:
    return rows if len(rows) <= n else rng.sample(rows, n)


def gold_examples(split: str, root=None, head: str = "labels") -> list[Example]:
    """Gold claims as examples of one head. The input carries the source type that the rules
    extract for the gold span (not the gold type), so training sees what inference sees."""
    target = ({name: i for i, name in enumerate(claim_labels())} if head == "labels"
              else {name: i for i, name in enumerate(source_types())})
    out = []
    for doc in gold_split(split, root):
        for c, (src, _) in zip(doc.claims, attribute(doc.text, doc.claims)):
            y = target[c.label] if head == "labels" else target[c.source.type]
            out.append(Example(head, *claim_input(c.text, src.type), y))
    return out


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
        out.append(Example("weak", *claim_input(text, "author"), lab[target]))
    return _sample(out, cfg.weak_size, rng)


class CachedFeatures:
    """Token-level outputs of the frozen bottom layers, computed once per example."""

    def __init__(self, model: ClaimModel, tokenizer, examples: list[Example], cfg: TrainConfig):
        enc = tokenizer([e.a for e in examples], [e.b for e in examples],
                        truncation="only_second", max_length=cfg.max_length)
        self.ids = enc["input_ids"]
        self.types = enc["token_type_ids"]
        self.hidden: list[torch.Tensor] = [None] * len(examples)  # type: ignore[list-item]
        bert = model.encoder
        order = sorted(range(len(examples)), key=lambda i: len(self.ids[i]))
        with torch.inference_mode():
            for k in range(0, len(order), 64):
                idx = order[k:k + 64]
                ids, mask, types = self.pad(idx)
                h = bert.embeddings(input_ids=ids, token_type_ids=types)
                ext = bert.get_extended_attention_mask(mask, ids.shape)
                for layer in bert.encoder.layer[:cfg.freeze_layers]:
                    h = layer(h, attention_mask=ext)[0]
                for j, i in enumerate(idx):
                    self.hidden[i] = h[j, :len(self.ids[i])].to(torch.float16).clone()

    def pad(self, idx: list[int]):
        n = max(len(self.ids[i]) for i in idx)
        ids = torch.zeros(len(idx), n, dtype=torch.long)
        types = torch.zeros(len(idx), n, dtype=torch.long)
        mask = torch.zeros(len(idx), n, dtype=torch.long)
        for j, i in enumerate(idx):
            L = len(self.ids[i])
            ids[j, :L] = torch.tensor(self.ids[i])
            types[j, :L] = torch.tensor(self.types[i])
            mask[j, :L] = 1
        return ids, mask, types

    def batch(self, idx: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        n = max(len(self.ids[i]) for i in idx)
        h = torch.zeros(len(idx), n, self.hidden[idx[0]].shape[-1])
        mask = torch.zeros(len(idx), n, dtype=torch.long)
        for j, i in enumerate(idx):
            L = len(self.ids[i])
            h[j, :L] = self.hidden[i].float()
            mask[j, :L] = 1
        return h, mask


def top_forward(model: ClaimModel, h: torch.Tensor, mask: torch.Tensor, head: str,
                freeze_layers: int) -> torch.Tensor:
    bert = model.encoder
    ext = bert.get_extended_attention_mask(mask, mask.shape)
    for layer in bert.encoder.layer[freeze_layers:]:
        h = layer(h, attention_mask=ext)[0]
    return model.heads["labels" if head == "weak" else head](model.dropout(mean_pool(h, mask)))


def make_batches(examples: list[Example], idx: list[int], lengths: list[int], size: int,
                 rng: random.Random) -> list[list[int]]:
    """Length-bucketed batches, one head per batch, in shuffled order."""
    batches = []
    by_head: dict[str, list[int]] = {}
    for i in idx:
        by_head.setdefault(examples[i].head, []).append(i)
    for ids in by_head.values():
        rng.shuffle(ids)
        # sort within windows of 50 batches: similar lengths, still random across epochs
        win = size * 50
        for w in range(0, len(ids), win):
            chunk = sorted(ids[w:w + win], key=lambda i: lengths[i])
            batches += [chunk[k:k + size] for k in range(0, len(chunk), size)]
    rng.shuffle(batches)
    return batches


@torch.no_grad()
def predict_logits(model: ClaimModel, feats: CachedFeatures, idx: list[int], head: str,
                   cfg: TrainConfig) -> torch.Tensor:
    model.eval()
    out = []
    for k in range(0, len(idx), 64):
        h, mask = feats.batch(idx[k:k + 64])
        out.append(top_forward(model, h, mask, head, cfg.freeze_layers))
    model.train()
    return torch.cat(out) if out else torch.zeros(0, len(claim_labels()))


def macro_f1(y_true: list[int], y_pred: list[int], n: int) -> float:
    f1s = []
    for c in range(n):
        tp = sum(t == c and p == c for t, p in zip(y_true, y_pred))
        fp = sum(t != c and p == c for t, p in zip(y_true, y_pred))
        fn = sum(t == c and p != c for t, p in zip(y_true, y_pred))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(f1s))


def fit_temperature(logits: torch.Tensor, y: torch.Tensor) -> float:
    """Temperature minimising dev NLL (Guo et al. 2017), searched on a log grid."""
    grid = np.exp(np.linspace(math.log(0.3), math.log(5.0), 60))
    nll = [nn.functional.cross_entropy(logits / t, y).item() for t in grid]
    return float(grid[int(np.argmin(nll))])


def _log(msg: str, log) -> None:
    if log:
        log(msg)


def train(cfg: TrainConfig, out_dir: str | Path, log=print) -> Path:
    """Train a model into ``out_dir`` (which must not exist: versions are never overwritten)."""
    from tqdm.auto import tqdm
    from transformers import AutoModel, AutoTokenizer

    out_dir = Path(out_dir)
    if out_dir.exists():
        raise FileExistsError(f"{out_dir} exists; model versions are never overwritten")
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(cfg.threads)
    rng = random.Random(cfg.seed)
    t0 = time.time()

    base = base_encoder_dir()
    tokenizer = AutoTokenizer.from_pretrained(base)
    encoder = AutoModel.from_pretrained(base, add_pooling_layer=False)
    heads = {"labels": len(claim_labels()), "source": len(source_types()), "subj": 2,
             "uncertain": 2, "attributed": 2}
    model = ClaimModel(encoder, heads, cfg.dropout)

    gold_train = gold_examples("train", cfg.corpus_root)
    gold_train_src = gold_examples("train", cfg.corpus_root, head="source")
    gold_dev = gold_examples("dev", cfg.corpus_root)
    gold_dev_src = gold_examples("dev", cfg.corpus_root, head="source")
    gold_docs = {json.loads(line)["doc"] for line in open(cfg.gold_file) if line.strip()}
    aux, data_cards = aux_examples(cfg, gold_docs, rng)
    if cfg.weak_labels:
        weak = weak_examples(cfg, rng)
        aux += weak
        data_cards.append({"source": "checkthat+newssd+mpqa (weak 4-label mapping)",
                           "license": "as the sources above", "sha256": "see above",
                           "examples": len(weak), "used_as": "label head, weight "
                           f"{cfg.weak_weight}: SUBJ->opinion/speculation, OBJ->attributed_fact"})
    examples = gold_train + gold_dev + gold_dev_src + gold_train_src + aux
    _log(f"examples: gold train {len(gold_train)}, gold dev {len(gold_dev)}, aux {len(aux)}", log)

    for p in encoder.embeddings.parameters():
        p.requires_grad = False
    for layer in encoder.encoder.layer[:cfg.freeze_layers]:
        for p in layer.parameters():
            p.requires_grad = False
    feats = CachedFeatures(model, tokenizer, examples, cfg)
    _log(f"cached frozen-layer features in {time.time() - t0:.0f}s", log)

    n_tr, n_dev = len(gold_train), len(gold_dev)
    src_start = n_tr + 2 * n_dev
    train_idx = (list(range(n_tr)) + list(range(src_start, src_start + n_tr))) * cfg.gold_repeat \
        + list(range(src_start + n_tr, len(examples)))
    dev_idx = list(range(n_tr, n_tr + n_dev))
    dev_src_idx = list(range(n_tr + n_dev, src_start))
    lengths = [len(x) for x in feats.ids]
    counts = Counter(e.y for e in gold_train)
    label_weights = torch.tensor([1.0 / math.sqrt(max(counts[c], 1)) for c in range(heads["labels"])])
    label_weights = label_weights / label_weights.mean()

    top = [p for p in model.encoder.parameters() if p.requires_grad]
    opt = torch.optim.AdamW([{"params": top, "lr": cfg.lr},
                             {"params": model.heads.parameters(), "lr": cfg.head_lr}],
                            weight_decay=cfg.weight_decay)
    steps_per_epoch = math.ceil(len(train_idx) / cfg.batch_size) + len(heads)
    total = steps_per_epoch * cfg.epochs
    warm = max(1, int(total * cfg.warmup_fraction))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))

    best, best_state, history = -1.0, None, []
    y_dev = torch.tensor([examples[i].y for i in dev_idx])
    y_dev_src = torch.tensor([examples[i].y for i in dev_src_idx])
    model.train()
    bar = tqdm(total=total, desc="training", unit="step", disable=log is None)
    for epoch in range(cfg.epochs):
        batches = make_batches(examples, train_idx, lengths, cfg.batch_size, rng)
        running = 0.0
        for bi, idx in enumerate(batches):
            head = examples[idx[0]].head
            h, mask = feats.batch(idx)
            y = torch.tensor([examples[i].y for i in idx])
            logits = top_forward(model, h, mask, head, cfg.freeze_layers)
            if head == "labels":
                loss = nn.functional.cross_entropy(logits, y, weight=label_weights)
            elif head == "source":
                loss = nn.functional.cross_entropy(logits, y)
            elif head == "weak":
                loss = cfg.weak_weight * nn.functional.cross_entropy(logits, y, weight=label_weights)
            else:
                loss = cfg.aux_weight * nn.functional.cross_entropy(logits, y)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            running += loss.item()
            bar.update(1)
        dev_logits = predict_logits(model, feats, dev_idx, "labels", cfg)
        f1 = macro_f1(y_dev.tolist(), dev_logits.argmax(-1).tolist(), heads["labels"])
        src_logits = predict_logits(model, feats, dev_src_idx, "source", cfg)
        src_acc = (src_logits.argmax(-1) == y_dev_src).float().mean().item()
        history.append({"epoch": epoch + 1, "train_loss": running / max(1, len(batches)),
                        "dev_label_macro_f1": round(f1, 4), "dev_source_type_acc": round(src_acc, 4)})
        _log(f"epoch {epoch + 1}: loss {running / max(1, len(batches)):.4f} dev macro-F1 {f1:.4f} "
             f"dev source-type acc {src_acc:.4f}", log)
        if f1 > best:
            best = f1
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    bar.close()
    model.load_state_dict(best_state)
    dev_logits = predict_logits(model, feats, dev_idx, "labels", cfg)
    temperature = fit_temperature(dev_logits, y_dev)
    source_temperature = fit_temperature(predict_logits(model, feats, dev_src_idx, "source", cfg),
                                         y_dev_src)

    gold_path = Path(cfg.gold_file)
    meta = {"name": cfg.name, "version": cfg.version, "labels": list(claim_labels()),
            "label2id": {k: i for i, k in enumerate(claim_labels())}, "heads": heads,
            "temperature": temperature, "source_types": list(source_types()),
            "source_temperature": source_temperature, "max_length": cfg.max_length,
            "pooling": "mean",
            "input": "text pair: (extracted source type, claim text)"}
    save_model_dir(model, tokenizer, meta, out_dir)
    (out_dir / "training_config.json").write_text(json.dumps(asdict(cfg), indent=2))
    gold_card = {"source": "project gold (labels/gold/gold.jsonl, pass A)",
                 "license": "project's own annotations over PolNeAR documents (research use)",
                 "sha256": sha256_text(gold_path.read_text()),
                 "examples": len(gold_train) + len(gold_dev),
                 "counts": {claim_labels()[k]: v for k, v in sorted(counts.items())}}
    (out_dir / "training_data.json").write_text(json.dumps([gold_card] + data_cards, indent=2))
    (out_dir / "training_log.json").write_text(json.dumps(
        {"history": history, "best_dev_label_macro_f1": best, "temperature": temperature,
         "seconds": round(time.time() - t0, 1), "commit": git_commit()}, indent=2))
    write_model_card(out_dir)
    _log(f"saved {out_dir} (best dev macro-F1 {best:.4f}, T={temperature:.2f}, "
         f"{time.time() - t0:.0f}s)", log)
    return out_dir
