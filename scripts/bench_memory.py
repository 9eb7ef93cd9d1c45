"""Benchmark: peak RSS of `annotator score` as the input grows (streaming check).

    .venv/bin/python scripts/bench_memory.py [--sizes 100 10000] [--sentences 3] [--quantize] [--model DIR]

Builds JSONL inputs of N short articles (sentences from PolNeAR train, in order), scores each
with the CLI in a child process and prints its peak RSS and throughput; flat RSS across sizes
means the job streams.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_input(path: Path, n: int, per_article: int) -> None:
    from annotator import corpora

    sents = [r["sentence"] for r in corpora.polnear_sentences("train")]
    with open(path, "w") as out:
        for i in range(n):
            k = (i * per_article) % (len(sents) - per_article)
            out.write(json.dumps({"id": f"a{i}", "text": " ".join(sents[k:k + per_article])}) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 10000])
    ap.add_argument("--sentences", type=int, default=3)
    ap.add_argument("--quantize", action="store_true")
    ap.add_argument("--model", help="model directory (default models/CURRENT)")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    rows = []
    for n in a.sizes:
        src, out = tmp / f"in{n}.jsonl", tmp / f"out{n}.jsonl"
        make_input(src, n, a.sentences)
        cmd = [str(ROOT / ".venv/bin/annotator"), "score", str(src), "-o", str(out), "--quiet"]
        cmd += ["--quantize"] if a.quantize else []
        cmd += ["--model", a.model] if a.model else []
        t = time.perf_counter()
        # each size in its own child; the shell wrapper reports that child's own peak RSS
        p = subprocess.run(["/usr/bin/env", "python3", "-c",
                            "import resource,subprocess,sys;subprocess.run(sys.argv[1:],check=True);"
                            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)", *cmd],
                           capture_output=True, text=True, check=True)
        secs = time.perf_counter() - t
        claims = sum(len(json.loads(x)["claims"]) for x in out.read_text().splitlines())
        rows.append({"articles": n, "claims": claims, "seconds": round(secs, 1),
                     "claims_per_s": round(claims / secs, 1),
                     "peak_rss_mb": round(int(p.stdout.split()[-1]) / 1024)})
    print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
