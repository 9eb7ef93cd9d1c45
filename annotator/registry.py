"""Versioned model registry in ``models/``: listing, the current pointer, the promotion guard.

Each version is its own directory (never overwritten); ``models/CURRENT`` names the current
one. A new version becomes current only when, on the frozen gold test split, its label macro-F1
does not drop by more than ``tolerance`` and no label's F1 drops by more than ``label_margin``.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .classify import MODELS_DIR

TOLERANCE = 0.01
LABEL_MARGIN = 0.05


def current_name(models_dir: Path = MODELS_DIR) -> str | None:
    f = models_dir / "CURRENT"
    return f.read_text().strip() if f.is_file() else None


def set_current(model_dir: Path, models_dir: Path = MODELS_DIR) -> None:
    tmp = models_dir / ".CURRENT.tmp"
    tmp.write_text(Path(model_dir).name + "\n")
    os.replace(tmp, models_dir / "CURRENT")


def key_metrics(report: dict) -> dict:
    g = report["gold"]
    out = {"label_macro_f1": g["labels_on_matched"]["label_macro_f1"],
           "segmentation_f1": g["segmentation"]["f1"],
           "source_type_accuracy": g["source_type_accuracy"],
           # cards measured on different gold test sizes are not comparable
           "test_claims": g.get("gold_claims")}
    out.update({f"f1_{k}": v["f1"] for k, v in g["labels_on_matched"]["per_label"].items()})
    for name, b in report.get("benchmarks", {}).items():
        out[name] = b.get("attribution_f1", b["macro_f1"])
    return out


def list_models(models_dir: Path = MODELS_DIR) -> list[dict]:
    cur = current_name(models_dir)
    out = []
    for d in sorted(p for p in models_dir.iterdir() if (p / "annotator.json").is_file()):
        metrics = json.loads((d / "metrics.json").read_text()) if (d / "metrics.json").is_file() else None
        data = json.loads((d / "training_data.json").read_text()) \
            if (d / "training_data.json").is_file() else []
        out.append({"version": d.name, "current": d.name == cur, "path": str(d),
                    "metrics": key_metrics(metrics) if metrics else {},
                    "data": [{"source": x["source"], "license": x["license"],
                              "sha256": x["sha256"], "examples": x["examples"]} for x in data]})
    return out


def next_version(name: str, models_dir: Path = MODELS_DIR) -> str:
    taken = [int(m.group(1)) for p in models_dir.glob(f"{name}-v*")
             if (m := re.fullmatch(re.escape(name) + r"-v(\d+)", p.name))]
    return str(max(taken, default=0) + 1)


@dataclass
class Decision:
    promote: bool
    reasons: list[str]
    previous: str | None = None


def decide(new: dict, old: dict | None, tolerance: float = TOLERANCE,
           label_margin: float = LABEL_MARGIN) -> Decision:
    """Compare key metrics (see ``key_metrics``) of a candidate and the current model."""
    if not old:
        return Decision(True, ["no current model to compare with"])
    reasons, ok = [], True
    d = new["label_macro_f1"] - old["label_macro_f1"]
    line = (f"label macro-F1 {old['label_macro_f1']:.4f} -> {new['label_macro_f1']:.4f} "
            f"({d:+.4f}, tolerance -{tolerance})")
    if d < -tolerance:
        ok = False
        line += ": dropped"
    reasons.append(line)
    for k in sorted(x for x in old if x.startswith("f1_")):
        dl = new.get(k, 0.0) - old[k]
        if dl < -label_margin:
            ok = False
            reasons.append(f"{k[3:]} F1 {old[k]:.4f} -> {new.get(k, 0.0):.4f} ({dl:+.4f}, "
                           f"margin -{label_margin}): dropped")
    return Decision(ok, reasons)


def evaluate_and_promote(model_dir: Path, tolerance: float = TOLERANCE,
                         label_margin: float = LABEL_MARGIN, models_dir: Path = MODELS_DIR
                         ) -> Decision:
    """Evaluate a new version on the frozen gold test split, write its card, and make it
    current only if it holds up against the current version (evaluated the same way)."""
    from .classify import load_classifier
    from .eval import full_report
    from .gold import gold_split
    from .modelcard import write_model_card

    model_dir = Path(model_dir)
    docs = gold_split("test")
    report = full_report(load_classifier(model_dir), docs, "test")
    write_model_card(model_dir, report)
    cur = current_name(models_dir)
    old = None
    if cur and (models_dir / cur).is_dir() and cur != model_dir.name:
        # re-evaluated, not read from its card: the card was measured with the code and the
        # test split of its own day (source rules and gold data change between versions)
        old = key_metrics(full_report(load_classifier(models_dir / cur), docs, "test", False))
    decision = decide(key_metrics(report), old, tolerance, label_margin)
    decision.previous = cur
    if decision.promote:
        set_current(model_dir, models_dir)
    return decision
