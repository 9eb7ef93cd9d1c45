"""Distributed scoring on Ray Data: a pool of model actors, same output as the local engine.

Optional: needs ``pip install -e '.[ray]'``. JSONL input is read as text lines so that a bad line
becomes a reported error instead of failing the read; Parquet input needs a ``text`` column
(``id`` and other columns optional). Order is preserved, so the output matches the local engine
article for article.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from .readers import AtomicJsonlWriter, MAX_CHARS, check_text
from .records import Article


class _Scorer:
    """One model per actor; scores a batch of raw input rows."""

    def __init__(self, model_dir: str | None, threads: int, max_chars: int, raw_lines: bool,
                 runtime: str = "onnx", quantize: bool = False):
        from .classify import load_classifier

        self.clf = load_classifier(model_dir, threads=threads, quantize=quantize, runtime=runtime)
        self.max_chars = max_chars
        self.raw_lines = raw_lines

    def _article(self, row: dict) -> Article | str:
        if self.raw_lines:  # a JSONL line read by read_text; no line numbers on a cluster
            where = f"{row.get('path', '<jsonl>')} line {row['text'][:40]!r}"
            try:
                obj = json.loads(row["text"])
            except json.JSONDecodeError as e:
                return f"{where}: invalid JSON ({e.msg})"
            if not isinstance(obj, dict):
                return f"{where}: expected a JSON object, got {type(obj).__name__}"
        else:
            obj, where = row, f"{row.get('path', '<parquet>')} id {row.get('id')!r}"
        if not isinstance(obj.get("text"), str):
            return f"{where}: object has no string field 'text'"
        if obj.get("id") is None:
            return f"{where}: article has no id (needed to match results on a cluster)"
        id_ = str(obj["id"])
        err = check_text(obj["text"], f"{where} (id {id_})", self.max_chars)
        if err:
            return str(err)
        meta = {k: v for k, v in obj.items()
                if k not in ("id", "text", "claims", "profile", "model", "path") and v is not None}
        return Article(id_, obj["text"], meta)

    def __call__(self, batch: dict) -> dict:
        from .score import score_articles

        keys = list(batch)
        rows = [{k: batch[k][i] for k in keys} for i in range(len(batch[keys[0]]))]
        parsed = [self._article(r) for r in rows]
        results = iter(score_articles([a for a in parsed if isinstance(a, Article)], self.clf))
        records, errors = [], []
        for a in parsed:
            if isinstance(a, Article):
                records.append(json.dumps(next(results).to_dict(), ensure_ascii=False))
                errors.append("")
            else:
                records.append("")
                errors.append(a)
        return {"record": records, "error": errors}


def score_with_ray(inputs: list[str], output: str | None, model_dir: str | None = None,
                   address: str | None = None, actors: int = 2, batch_size: int = 32,
                   threads_per_actor: int = 1, max_chars: int = MAX_CHARS,
                   on_error: Callable[[str], None] = print, runtime: str = "onnx",
                   quantize: bool = False) -> tuple[int, int]:
    """Score JSONL or Parquet inputs on Ray; write JSONL (or Parquet if ``output`` ends .parquet).

    Returns (articles scored, inputs skipped).
    """
    import ray

    if not ray.is_initialized():
        # a local Ray gets one logical CPU beyond the actor pool, or the read tasks starve
        local = {} if address else {"num_cpus": actors * threads_per_actor + 1}
        ray.init(address=address, include_dashboard=False, log_to_driver=False, **local)
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    parquet = [p for p in inputs if p.endswith(".parquet") or Path(p).is_dir()]
    jsonl = [p for p in inputs if p not in parquet]
    if parquet and jsonl:
        raise ValueError("give either JSONL or Parquet inputs, not both")
    if parquet:
        ds = ray.data.read_parquet(parquet, include_paths=True)
    else:
        ds = ray.data.read_text(jsonl, include_paths=True, drop_empty_lines=True)
    scored = ds.map_batches(_Scorer, fn_constructor_args=(model_dir, threads_per_actor, max_chars,
                                                          not parquet, runtime, quantize),
                            batch_size=batch_size, concurrency=actors, num_cpus=threads_per_actor,
                            batch_format="numpy")
    n_ok = n_err = 0
    if output and output.endswith(".parquet"):
        good = scored.filter(lambda r: r["error"] == "")
        good.select_columns(["record"]).write_parquet(output)
        n_ok = good.count()
        n_err = scored.count() - n_ok
        return n_ok, n_err
    with AtomicJsonlWriter(output) as out:
        for row in scored.iter_rows():
            if row["error"]:
                n_err += 1
                on_error(row["error"])
            else:
                n_ok += 1
                out.write(json.loads(row["record"]))
    return n_ok, n_err
