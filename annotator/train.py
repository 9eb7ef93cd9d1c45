"""Training the claim classifier: multi-task fine-tuning of MiniLM's top layers on CPU.

Why this shape: full fine-tuning runs ~20 examples/s on 2 cores. The bottom ``freeze_layers``
layers stay frozen, so their outputs are computed once and cached (fp16); each epoch then runs
only the top layers, in length-bucketed batches. The product head (4 labels, input = extracted
source type + claim) learns from the project's gold claims; auxiliary heads learn the public
corpora's own label spaces (writer subjectivity, uncertainty, attribution) through the shared
encoder. The dev split selects the epoch and fits the calibration temperature.
"""
from __future__ import annotations

import hashlib
import json
import math
import random
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .classify import ClaimModel, base_encoder_dir, mean_pool, save_model_dir
from .labels import claim_labels, source_types
from .modelcard import git_commit, write_model_card
from .train_data import Example, TrainConfig, build_examples

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


def top_forward(model: ClaimModel, h: torch.Tensor, mask: torch.Tensor, heads: tuple[str, ...],
                freeze_layers: int) -> list[torch.Tensor]:
    """Logits of each of ``heads`` from one pass through the trained top layers."""
    bert = model.encoder
    ext = bert.get_extended_attention_mask(mask, mask.shape)
    for layer in bert.encoder.layer[freeze_layers:]:
        h = layer(h, attention_mask=ext)[0]
    pooled = model.dropout(mean_pool(h, mask))
    return [model.heads[head](pooled) for head in heads]


def truncate_layers(encoder, n: int) -> None:
    """Keep the bottom ``n`` transformer layers; the saved config says ``n`` so loading agrees."""
    if not 0 < n <= len(encoder.encoder.layer):
        raise ValueError(f"num_layers must be 1..{len(encoder.encoder.layer)}, got {n}")
    encoder.encoder.layer = encoder.encoder.layer[:n]
    encoder.config.num_hidden_layers = n


HEADS = {"claim": ("labels", "source"), "weak": ("labels",), "distill": ("labels", "source")}


def soft_loss(logits: list[torch.Tensor], examples: list[Example], idx: list[int]) -> torch.Tensor:
    """Cross-entropy against the teacher's probabilities, both product heads."""
    loss = torch.zeros(())
    for k, out in enumerate(logits):
        target = torch.tensor([examples[i].soft[k] for i in idx])
        loss = loss - (target * nn.functional.log_softmax(out, -1)).sum(-1).mean()
    return loss


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
def predict_logits(model: ClaimModel, feats: CachedFeatures, idx: list[int],
                   cfg: TrainConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """Label and source-type logits of product examples."""
    model.eval()
    labels, sources = [], []
    for k in range(0, len(idx), 64):
        h, mask = feats.batch(idx[k:k + 64])
        lab, src = top_forward(model, h, mask, HEADS["claim"], cfg.freeze_layers)
        labels.append(lab)
        sources.append(src)
    model.train()
    if not labels:
        return torch.zeros(0, len(claim_labels())), torch.zeros(0, len(source_types()))
    return torch.cat(labels), torch.cat(sources)


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


def _index(groups: dict[str, list[Example]], cfg: TrainConfig):
    """Flatten example groups; return examples and the train / dev index lists."""
    examples, spans = [], {}
    for name, rows in groups.items():
        spans[name] = list(range(len(examples), len(examples) + len(rows)))
        examples += rows
    train_idx = spans["train"] * cfg.gold_repeat + spans["corrections"] * cfg.corrections_repeat \
        + spans["aux"] + spans.get("weak", []) + spans.get("distill", [])
    return examples, train_idx, spans["dev"]


def examples_hash(examples: list[Example]) -> str:
    """A fingerprint of the training examples: inputs, targets and teacher targets."""
    h = hashlib.sha256()
    for e in examples:
        h.update(repr((e.head, e.a, e.b, e.y, e.ys, e.soft)).encode())
    return h.hexdigest()


def _checkpoint_path(out_dir: Path) -> Path:
    return out_dir.with_name(out_dir.name + ".partial")


def train(cfg: TrainConfig, out_dir: str | Path, log=print) -> Path:
    """Train a model into ``out_dir`` (which must not exist: versions are never overwritten).

    After each epoch the state is checkpointed beside it (``<out_dir>.partial/``); running the
    same command again after an interruption resumes from the last finished epoch.
    """
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
    if cfg.num_layers:
        truncate_layers(encoder, cfg.num_layers)
    heads = {"labels": len(claim_labels()), "source": len(source_types()), "subj": 2,
             "uncertain": 2, "attributed": 2}
    model = ClaimModel(encoder, heads, cfg.dropout)

    groups, data_cards = build_examples(cfg, rng)
    examples, train_idx, dev_idx = _index(groups, cfg)
    _log("examples: " + ", ".join(f"{k} {len(v)}" for k, v in groups.items()), log)
    if cfg.teacher:
        from .distill import attach_teacher_targets

        attach_teacher_targets(cfg, examples, sorted(set(train_idx)))
        _log(f"teacher targets from {cfg.teacher} in {time.time() - t0:.0f}s", log)

    for p in encoder.embeddings.parameters():
        p.requires_grad = False
    for layer in encoder.encoder.layer[:cfg.freeze_layers]:
        for p in layer.parameters():
            p.requires_grad = False
    feats = CachedFeatures(model, tokenizer, examples, cfg)
    _log(f"cached frozen-layer features in {time.time() - t0:.0f}s", log)

    lengths = [len(x) for x in feats.ids]
    counts = Counter(e.y for e in groups["train"])
    label_weights = torch.tensor([1.0 / math.sqrt(max(counts[c], 1)) for c in range(heads["labels"])])
    label_weights = label_weights / label_weights.mean()

    top = [p for p in model.encoder.parameters() if p.requires_grad]
    opt = torch.optim.AdamW([{"params": top, "lr": cfg.lr},
                             {"params": model.heads.parameters(), "lr": cfg.head_lr}],
                            weight_decay=cfg.weight_decay)
    steps_per_epoch = len(make_batches(examples, train_idx, lengths, cfg.batch_size,
                                       random.Random(0)))
    total = steps_per_epoch * cfg.epochs
    warm = max(1, int(total * cfg.warmup_fraction))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))

    best, best_state, history, first_epoch = -1.0, None, [], 0
    data_hash = examples_hash(examples)
    ckpt = _checkpoint_path(out_dir)
    if (ckpt / "state.pt").is_file():
        state = torch.load(ckpt / "state.pt", weights_only=False)
        if state["config"] != asdict(cfg):
            raise ValueError(f"{ckpt} was made with another config; delete it to start over")
        if state.get("examples") != data_hash:
            # the same config gives other examples when the gold data or the source rules
            # (whose types are part of the input) have changed since the checkpoint
            raise ValueError(f"{ckpt} was made from other training examples; delete it to start "
                             "over")
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        rng.setstate(state["rng"])
        torch.set_rng_state(state["torch_rng"])
        best, best_state, history, first_epoch = (state["best"], state["best_state"],
                                                  state["history"], state["epoch"])
        _log(f"resuming from {ckpt} after epoch {first_epoch}", log)
    y_dev = torch.tensor([examples[i].y for i in dev_idx])
    y_dev_src = torch.tensor([examples[i].ys for i in dev_idx])
    model.train()
    bar = tqdm(total=total, initial=first_epoch * steps_per_epoch, desc="training", unit="step",
               disable=log is None)
    for epoch in range(first_epoch, cfg.epochs):
        batches = make_batches(examples, train_idx, lengths, cfg.batch_size, rng)
        running = 0.0
        for idx in batches:
            head = examples[idx[0]].head
            h, mask = feats.batch(idx)
            y = torch.tensor([examples[i].y for i in idx])
            logits = top_forward(model, h, mask, HEADS.get(head, (head,)), cfg.freeze_layers)
            if head == "claim":
                ys = torch.tensor([examples[i].ys for i in idx])
                loss = nn.functional.cross_entropy(logits[0], y, weight=label_weights) \
                    + nn.functional.cross_entropy(logits[1], ys)
                if examples[idx[0]].soft is not None:
                    loss = loss + cfg.distill_weight * soft_loss(logits, examples, idx)
            elif head == "distill":
                loss = cfg.distill_weight * soft_loss(logits, examples, idx)
            elif head == "weak":
                loss = cfg.weak_weight * nn.functional.cross_entropy(logits[0], y,
                                                                     weight=label_weights)
            else:
                loss = cfg.aux_weight * nn.functional.cross_entropy(logits[0], y)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            running += loss.item()
            bar.update(1)
        dev_logits, src_logits = predict_logits(model, feats, dev_idx, cfg)
        f1 = macro_f1(y_dev.tolist(), dev_logits.argmax(-1).tolist(), heads["labels"])
        src_acc = (src_logits.argmax(-1) == y_dev_src).float().mean().item()
        history.append({"epoch": epoch + 1, "train_loss": running / max(1, len(batches)),
                        "dev_label_macro_f1": round(f1, 4), "dev_source_type_acc": round(src_acc, 4)})
        _log(f"epoch {epoch + 1}: loss {running / max(1, len(batches)):.4f} dev macro-F1 {f1:.4f} "
             f"dev source-type acc {src_acc:.4f}", log)
        if f1 > best:
            best = f1
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        ckpt.mkdir(parents=True, exist_ok=True)
        torch.save({"config": asdict(cfg), "model": model.state_dict(), "opt": opt.state_dict(),
                    "sched": sched.state_dict(), "rng": rng.getstate(),
                    "torch_rng": torch.get_rng_state(), "best": best, "best_state": best_state,
                    "history": history, "epoch": epoch + 1, "examples": data_hash},
                   ckpt / "state.tmp")
        (ckpt / "state.tmp").replace(ckpt / "state.pt")
    bar.close()
    model.load_state_dict(best_state)
    dev_logits, src_logits = predict_logits(model, feats, dev_idx, cfg)
    temperature = fit_temperature(dev_logits, y_dev)
    source_temperature = fit_temperature(src_logits, y_dev_src)

    meta = {"name": cfg.name, "version": cfg.version, "labels": list(claim_labels()),
            "label2id": {k: i for i, k in enumerate(claim_labels())}, "heads": heads,
            "temperature": temperature, "source_types": list(source_types()),
            "source_temperature": source_temperature, "max_length": cfg.max_length,
            "pooling": "mean", "source_input": cfg.source_input,
            "input": "text pair: (extracted source, claim text); source_input says what the "
                     "first holds"}
    save_model_dir(model, tokenizer, meta, out_dir)
    (out_dir / "training_config.json").write_text(json.dumps(asdict(cfg), indent=2))
    (out_dir / "training_data.json").write_text(json.dumps(data_cards, indent=2))
    (out_dir / "training_log.json").write_text(json.dumps(
        {"history": history, "best_dev_label_macro_f1": best, "temperature": temperature,
         "seconds": round(time.time() - t0, 1), "commit": git_commit()}, indent=2))
    write_model_card(out_dir)
    for f in ckpt.iterdir():
        f.unlink()
    ckpt.rmdir()
    _log(f"saved {out_dir} (best dev macro-F1 {best:.4f}, T={temperature:.2f}, "
         f"{time.time() - t0:.0f}s)", log)
    return out_dir
