"""The retraining loop: corrections in, a new model version out, promoted only if it holds up.

Used by ``annotator train --corrections ... --promote`` through the CLI and by the ML backend's
START_TRAINING hook, which first pulls the project's reviewed articles from Label Studio.
"""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any, Callable

from .classify import MODELS_DIR, load_classifier
from .registry import LABEL_MARGIN, TOLERANCE, evaluate_and_promote, next_version
from .train import train
from .train_data import TrainConfig

log = logging.getLogger("annotator.retrain")


def retrain(corrections: list[str], config: TrainConfig | None = None,
            models_dir: Path = MODELS_DIR, promote: bool = True, tolerance: float = TOLERANCE,
            label_margin: float = LABEL_MARGIN) -> dict[str, Any]:
    """Train the next version of ``config.name`` on gold + corrections; optionally promote it."""
    cfg = config or TrainConfig()
    cfg.corrections = list(corrections)
    cfg.version = next_version(cfg.name, models_dir)
    out = train(cfg, Path(models_dir) / f"{cfg.name}-v{cfg.version}", log=None)
    result: dict[str, Any] = {"version": out.name, "path": str(out), "promoted": False}
    if promote:
        d = evaluate_and_promote(out, tolerance, label_margin, models_dir)
        result.update(promoted=d.promote, reasons=d.reasons, previous=d.previous)
    return result


def studio_trainer(conn, backend, config: TrainConfig | None = None,
                   models_dir: Path = MODELS_DIR) -> Callable[[dict], dict]:
    """A START_TRAINING hook: pull the project's corrections, retrain, promote, reload the
    backend's model when the new version became current."""
    from .studio import pull

    def on_train(event: dict) -> dict:
        title = (event.get("project") or {}).get("title")
        if not title:
            raise ValueError("START_TRAINING event without a project title")
        out = Path(tempfile.mkdtemp(prefix="corrections-")) / f"{title}.jsonl"
        summary, _ = pull(conn, title, str(out))
        log.warning("retraining on %s reviewed articles of project %r", summary.get("tasks"), title)
        result = retrain([str(out)], config, models_dir)
        if result["promoted"]:
            backend.reload(load_classifier(result["path"]))
        log.warning("retraining done: %s (promoted: %s)", result["version"], result["promoted"])
        return result

    return on_train
