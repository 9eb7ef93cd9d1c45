"""Recipe: check annotators' drafts and assemble the stand-off gold file.

    python scripts/gold_draft.py check DRAFT.json [...]
    python scripts/gold_draft.py build DRAFT_ROOT -o labels/gold/gold.jsonl
    python scripts/gold_draft.py add DRAFT_ROOT --split dev -o labels/gold/gold.jsonl

A draft quotes each claim's exact text; DRAFT_ROOT holds one folder per annotation pass
(``A`` primary, ``B`` independent second pass) of ``<document stem>.json`` drafts. Drafts hold
article text and are never committed; only the offsets in the built file are. ``build`` rebuilds
the whole file from drafts of every document; ``add`` appends the documents of a new annotation
round to an existing file and records their split, refusing any document it already holds.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from annotator.gold import (GOLD_DIR, GoldError, append_drafts, corpus_root, iter_drafts,  # noqa: E402
                           resolve_draft)

SPLITS_FILE = GOLD_DIR / "splits.json"


def check(paths: list[str]) -> int:
    bad = 0
    for p in paths:
        try:
            rec = resolve_draft(json.loads(Path(p).read_text()), corpus_root(), "?", "?")
        except (GoldError, KeyError, json.JSONDecodeError) as e:
            print(f"ERROR {p}: {e}")
            bad += 1
            continue
        counts = collections.Counter(c["label"] for c in rec["claims"])
        print(f"OK {p}: {len(rec['claims'])} claims {dict(counts)}")
    return 1 if bad else 0


def build(root: str, out: str) -> int:
    splits = json.loads(SPLITS_FILE.read_text())
    lines = [json.dumps(resolve_draft(draft, corpus_root(), splits[draft["doc"]], annotator),
                        sort_keys=True)
             for annotator, _, draft in iter_drafts(Path(root))]
    Path(out).write_text("\n".join(lines) + "\n")
    print(f"wrote {len(lines)} annotated documents to {out}")
    return 0


def add(root: str, split: str, out: str) -> int:
    try:
        n = append_drafts(Path(root), split, Path(out), SPLITS_FILE, corpus_root())
    except (GoldError, KeyError, json.JSONDecodeError) as e:
        print(f"ERROR: {e}")
        return 1
    print(f"added {n} annotated documents to {out} (split {split})")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    c.add_argument("paths", nargs="+")
    b = sub.add_parser("build")
    b.add_argument("root")
    b.add_argument("-o", "--out", required=True)
    n = sub.add_parser("add")
    n.add_argument("root")
    n.add_argument("--split", required=True, choices=("train", "dev", "test"))
    n.add_argument("-o", "--out", required=True)
    a = ap.parse_args()
    if a.cmd == "check":
        return check(a.paths)
    return build(a.root, a.out) if a.cmd == "build" else add(a.root, a.split, a.out)


if __name__ == "__main__":
    sys.exit(main())
