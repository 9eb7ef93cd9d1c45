"""Command line: parses arguments and calls library functions."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _err(msg: str) -> None:
    print(f"annotator: {msg}", file=sys.stderr)


def cmd_score_ray(a) -> int:
    try:
        from .ray_engine import score_with_ray
    except ImportError:
        _err("--engine ray needs Ray: pip install -e '.[ray]'")
        return 2
    missing = [p for p in a.inputs if not Path(p).exists()]
    if not a.inputs or missing or "-" in a.inputs:
        _err(f"--engine ray reads JSONL or Parquet files; missing: {missing or a.inputs or '-'}")
        return 2
    n_ok, n_err = score_with_ray(a.inputs, a.output, a.model, a.address, a.actors,
                                 max_chars=a.max_chars, on_error=lambda m: _err(f"skipped {m}"),
                                 runtime=a.runtime, quantize=a.quantize)
    if n_err:
        _err(f"{n_ok} article(s) scored, {n_err} input(s) skipped")
    return 0 if n_ok or not n_err else 1


def _runtime_args(p) -> None:
    p.add_argument("--runtime", choices=["onnx", "torch"], default="onnx",
                   help="onnx: ONNX Runtime on the same weights, same predictions, faster "
                        "(default); torch: the PyTorch model")
    p.add_argument("--quantize", action="store_true",
                   help="int8 dynamic quantization of the encoder: faster, changes some "
                        "predictions (see README)")


def cmd_score(a) -> int:
    from tqdm.auto import tqdm

    from .classify import ModelError, load_classifier
    from .readers import AtomicJsonlWriter, InputError, read_inputs
    from .score import score_articles

    try:
        if a.engine == "ray":
            from .classify import check_model_dir, default_model_dir

            check_model_dir(a.model or default_model_dir())
            return cmd_score_ray(a)
        clf = load_classifier(a.model, threads=a.threads, quantize=a.quantize, runtime=a.runtime)
    except ModelError as e:
        _err(str(e))
        return 2
    n_err = 0

    def good_articles():
        nonlocal n_err
        for item in read_inputs(a.inputs or ["-"], max_chars=a.max_chars):
            if isinstance(item, InputError):
                n_err += 1
                _err(f"skipped {item}")
                continue
            yield item

    n_ok = 0
    show = sys.stderr.isatty() and not a.quiet
    with AtomicJsonlWriter(a.output) as out:
        bar = tqdm(desc="scoring", unit="article", disable=not show)

        def written():
            nonlocal n_ok
            for res in score_articles(good_articles(), clf):
                d = res.to_dict()
                if a.no_text:
                    d.pop("text", None)
                out.write(d)
                n_ok += 1
                bar.update(1)
                yield res

        if a.report:
            from .report import write_report

            index = write_report(written(), a.report, group_by=a.group_by)
            print(f"report: {index}", file=sys.stderr)
        else:
            for _ in written():
                pass
        bar.close()
    if n_err:
        _err(f"{n_ok} article(s) scored, {n_err} input(s) skipped")
    return 0 if n_ok or not n_err else 1


def cmd_eval(a) -> int:
    from .classify import ModelError, load_classifier
    from .eval import full_report
    from .gold import GOLD_FILE, GoldError, load_gold

    if a.update_card and (a.split != "test" or a.no_benchmarks or a.quantize):
        _err("--update-card needs the full report on the test split")
        return 2
    try:
        clf = load_classifier(a.model, threads=a.threads, quantize=a.quantize, runtime=a.runtime)
        docs = load_gold(a.gold or GOLD_FILE, a.corpus_root, splits=[a.split],
                         annotator="A")
    except (ModelError, GoldError, OSError) as e:
        _err(str(e))
        return 2
    report = full_report(clf, docs, a.split, not a.no_benchmarks, a.corpus_root)
    text = json.dumps(report, indent=2)
    print(text)
    if a.output:
        Path(a.output).write_text(text + "\n")
    if a.update_card:
        from .classify import default_model_dir
        from .modelcard import write_model_card

        print(f"updated {write_model_card(a.model or default_model_dir(), report)}", file=sys.stderr)
    return 0


def cmd_agreement(a) -> int:
    from .eval import agreement
    from .gold import GOLD_FILE, GoldError, load_gold

    try:
        docs = load_gold(a.gold or GOLD_FILE, a.corpus_root)
    except (GoldError, OSError) as e:
        _err(str(e))
        return 2
    print(json.dumps(agreement(docs), indent=2))
    return 0


def cmd_train(a) -> int:
    from .registry import next_version
    from .train import TrainConfig, train

    cfg = TrainConfig()
    if a.config:
        cfg = TrainConfig(**json.loads(Path(a.config).read_text()))
    for key in ("name", "version", "epochs", "seed"):
        if getattr(a, key) is not None:
            setattr(cfg, key, getattr(a, key))
    if a.corrections:
        cfg.corrections = list(a.corrections)
    if a.version is None and not a.config:
        cfg.version = next_version(cfg.name)
    out = Path(a.output or f"models/{cfg.name}-v{cfg.version}")
    try:
        train(cfg, out)
    except (FileExistsError, ValueError) as e:
        _err(str(e))
        return 2
    if a.promote:
        return promote(out, a.tolerance, a.label_margin)
    return 0


def promote(model_dir: Path, tolerance: float, label_margin: float) -> int:
    from .registry import evaluate_and_promote

    decision = evaluate_and_promote(model_dir, tolerance, label_margin)
    for r in decision.reasons:
        print(f"  {r}", file=sys.stderr)
    if decision.promote:
        print(f"promoted {model_dir.name} (was {decision.previous})", file=sys.stderr)
    else:
        print(f"kept {decision.previous}: {model_dir.name} is not promoted", file=sys.stderr)
    return 0


def cmd_models(a) -> int:
    from .registry import list_models

    models = list_models()
    if a.json:
        print(json.dumps(models, indent=2))
        return 0
    for m in models:
        mm = m["metrics"]
        star = "*" if m["current"] else " "
        print(f"{star} {m['version']:<24} label macro-F1 {mm.get('label_macro_f1', float('nan')):.4f}"
              f"  seg F1 {mm.get('segmentation_f1', float('nan')):.4f}"
              f"  source-type acc {mm.get('source_type_accuracy', float('nan')):.4f}"
              f"  ({mm.get('test_claims') or '?'} gold test claims when measured)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="annotator", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("score", help="score articles: claims, labels, sources, profile")
    s.add_argument("inputs", nargs="*", help=".txt file, folder of .txt, .jsonl file, or - (stdin)")
    s.add_argument("-o", "--output", help="output JSONL (default stdout)")
    s.add_argument("--model", help="model directory (default models/CURRENT)")
    s.add_argument("--max-chars", type=int, default=1_000_000, help="longest article accepted")
    s.add_argument("--threads", type=int, default=None, help="torch threads (default: all cores)")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.add_argument("--no-text", action="store_true", help="leave article text out of the output")
    _runtime_args(s)
    s.add_argument("--engine", choices=["local", "ray"], default="local",
                   help="ray: score JSONL/Parquet on a Ray cluster (pip install -e '.[ray]')")
    s.add_argument("--address", help="Ray cluster address (default: start a local Ray)")
    s.add_argument("--report", metavar="DIR", help="also write the HTML report into DIR")
    s.add_argument("--group-by", metavar="FIELD", help="report: profile per metadata field")
    s.add_argument("--actors", type=int, default=2, help="model actors for --engine ray")
    s.set_defaults(func=cmd_score)

    e = sub.add_parser("eval", help="evaluate a model on a gold split and public benchmarks")
    e.add_argument("--model", help="model directory (default models/CURRENT)")
    e.add_argument("--split", default="test", choices=["train", "dev", "test"])
    e.add_argument("--gold", help="gold JSONL (default labels/gold/gold.jsonl)")
    e.add_argument("--corpus-root", help="corpus root (default ../shared/data)")
    e.add_argument("-o", "--output", help="also write the JSON report here")
    e.add_argument("--no-benchmarks", action="store_true", help="gold split only")
    e.add_argument("--update-card", action="store_true",
                   help="write the metrics into the model directory's card (test split only)")
    e.add_argument("--threads", type=int, default=None)
    _runtime_args(e)
    e.set_defaults(func=cmd_eval)

    from . import cli_report, cli_studio

    cli_report.add_commands(sub)
    cli_studio.add_commands(sub)

    g = sub.add_parser("agreement", help="inter-annotator agreement on doubly annotated gold")
    g.add_argument("--gold", help="gold JSONL (default labels/gold/gold.jsonl)")
    g.add_argument("--corpus-root", help="corpus root (default ../shared/data)")
    g.set_defaults(func=cmd_agreement)

    t = sub.add_parser("train", help="train a new model version")
    t.add_argument("--config", help="JSON file of TrainConfig fields")
    t.add_argument("--name")
    t.add_argument("--version")
    t.add_argument("--epochs", type=int)
    t.add_argument("--seed", type=int)
    t.add_argument("-o", "--output", help="model directory (default models/NAME-vVERSION)")
    t.add_argument("--corrections", nargs="+", metavar="PULLED.jsonl",
                   help="reviewer corrections from `annotator studio pull`")
    t.add_argument("--promote", action="store_true",
                   help="make the new version current if it does not do worse on gold test")
    t.add_argument("--tolerance", type=float, default=0.01,
                   help="allowed drop of label macro-F1 for --promote (default 0.01)")
    t.add_argument("--label-margin", type=float, default=0.05,
                   help="allowed drop of any label's F1 for --promote (default 0.05)")
    t.set_defaults(func=cmd_train)

    m = sub.add_parser("models", help="list model versions and their key metrics")
    m.add_argument("--json", action="store_true")
    m.set_defaults(func=cmd_models)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
