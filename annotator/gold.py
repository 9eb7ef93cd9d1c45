"""Stand-off gold data: claim offsets and labels over documents of the shared corpora.

Gold files (``labels/gold/*.jsonl``) hold no article text. Each line is one annotated document:
``{"doc": path under the corpus root, "sha256": ..., "split": ..., "pass": annotator pass,
"claims": [{"start", "end", "label", "source": {"type", "start", "end"}, "cue": {"start", "end"}}]}``.
The loader reads the text from the corpus root, verifies the hash and fills in span texts.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from .labels import claim_labels, source_types
from .records import Claim, Source, Span

DEFAULT_CORPUS_ROOT = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
GOLD_DIR = Path(__file__).resolve().parent.parent / "labels" / "gold"
GOLD_FILE = GOLD_DIR / "gold.jsonl"
SPLITS = ("train", "dev", "test")


class GoldError(ValueError):
    pass


@dataclass(frozen=True)
class GoldDoc:
    id: str
    text: str
    split: str
    annotator: str
    claims: tuple[Claim, ...]


def corpus_root(root: str | os.PathLike | None = None) -> Path:
    """The corpus root: the argument, else $ANNOTATOR_CORPUS_ROOT, else ``../shared/data``."""
    return Path(root or os.environ.get("ANNOTATOR_CORPUS_ROOT") or DEFAULT_CORPUS_ROOT)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_document(doc: str, root: Path) -> str:
    path = root / doc
    if not path.is_file():
        raise GoldError(f"{doc}: gold document not found under corpus root {root}")
    # newline="" keeps \r\n so offsets match the file byte-for-byte decoded text
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def _span(text: str, d: dict[str, Any] | None, what: str, doc: str) -> Span | None:
    if d is None or d.get("start") is None:
        return None
    start, end = int(d["start"]), int(d["end"])
    if not 0 <= start < end <= len(text):
        raise GoldError(f"{doc}: {what} offsets {start}:{end} outside the document")
    return Span(start, end, text[start:end])


def parse_record(rec: dict[str, Any], text: str) -> tuple[Claim, ...]:
    doc = rec["doc"]
    labels, types = set(claim_labels()), set(source_types())
    claims = []
    for c in rec["claims"]:
        span = _span(text, c, "claim", doc)
        if c["label"] not in labels:
            raise GoldError(f"{doc}: unknown label {c['label']!r}")
        src = c.get("source") or {"type": "author"}
        if src["type"] not in types:
            raise GoldError(f"{doc}: unknown source type {src['type']!r}")
        claims.append(Claim(start=span.start, end=span.end, text=span.text, label=c["label"],
                            source=Source(src["type"], _span(text, src, "source", doc)),
                            cue=_span(text, c.get("cue"), "cue", doc)))
    return tuple(sorted(claims, key=lambda c: (c.start, c.end)))


def load_gold(path: str | os.PathLike, root: str | os.PathLike | None = None,
              splits: Iterable[str] | None = None, annotator: str | None = None) -> list[GoldDoc]:
    """Load stand-off gold documents, verifying each document's sha256 against the corpus."""
    root = corpus_root(root)
    wanted = set(splits) if splits else None
    docs = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            if wanted and rec["split"] not in wanted:
                continue
            if annotator and rec["pass"] != annotator:
                continue
            text = read_document(rec["doc"], root)
            digest = sha256_text(text)
            if digest != rec["sha256"]:
                raise GoldError(f"{rec['doc']}: sha256 mismatch (gold {rec['sha256'][:12]}, "
                                f"corpus {digest[:12]}): the corpus copy differs from the annotated one")
            docs.append(GoldDoc(rec["doc"], text, rec["split"], rec["pass"], parse_record(rec, text)))
    return docs


def gold_split(split: str, root: str | os.PathLike | None = None) -> list[GoldDoc]:
    """The primary annotation pass of one split of the shipped gold data."""
    return load_gold(GOLD_FILE, root, splits=[split], annotator="A")


# --- turning an annotator's draft (claims quoted as text) into stand-off offsets ---

def _locate(text: str, needle: str, lo: int, hi: int, anchor: int) -> int:
    """Offset of the whole-word occurrence of ``needle`` nearest ``anchor``, preferring [lo, hi)."""
    pat = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
    found = [m.start() for m in pat.finditer(text)] or [m.start() for m in re.finditer(re.escape(needle), text)]
    if not found:
        return -1
    inside = [p for p in found if lo <= p and p + len(needle) <= hi]
    if inside:
        return inside[0]
    # nearest mention, preferring one before the claim (a quotation's speaker precedes it)
    return min(found, key=lambda p: (abs(p - anchor) * (1 if p < anchor else 2)))


def resolve_draft(draft: dict[str, Any], root: Path, split: str, annotator: str) -> dict[str, Any]:
    """Resolve a draft ``{"doc", "claims": [{"text", "label", "source_type", "source", "cue"}]}``.

    Claims are searched in order, each after the previous one; a source or cue is searched inside
    its claim first, then at the nearest occurrence around it. Raises GoldError naming the claim.
    """
    doc = draft["doc"]
    text = read_document(doc, root)
    labels, types = set(claim_labels()), set(source_types())
    cursor, out = 0, []
    for i, c in enumerate(draft["claims"]):
        ctext = c["text"].strip()
        start = text.find(ctext, cursor)
        if start < 0:
            raise GoldError(f"{doc}: claim {i} not found after offset {cursor}: {ctext[:60]!r}")
        end = start + len(ctext)
        if c["label"] not in labels:
            raise GoldError(f"{doc}: claim {i} has unknown label {c['label']!r}")
        stype = c.get("source_type") or "author"
        if stype not in types:
            raise GoldError(f"{doc}: claim {i} has unknown source type {stype!r}")
        rec: dict[str, Any] = {"start": start, "end": end, "label": c["label"],
                               "source": {"type": stype, "start": None, "end": None}, "cue": None}
        if c.get("source") and stype != "author":
            s = _locate(text, c["source"], start, end, start)
            if s < 0:
                raise GoldError(f"{doc}: claim {i} source {c['source']!r} not found")
            rec["source"].update(start=s, end=s + len(c["source"]))
        if c.get("cue"):
            s = _locate(text, c["cue"], start, end, start)
            if s < 0:
                raise GoldError(f"{doc}: claim {i} cue {c['cue']!r} not found")
            rec["cue"] = {"start": s, "end": s + len(c["cue"])}
        out.append(rec)
        cursor = end
    return {"doc": doc, "sha256": sha256_text(text), "split": split, "pass": annotator,
            "claims": out}


def iter_drafts(drafts_root: Path) -> Iterator[tuple[str, Path, dict[str, Any]]]:
    """(annotation pass, path, draft) for every ``drafts_root/<pass>/<stem>.json``, sorted."""
    for pass_dir in sorted(p for p in drafts_root.iterdir() if p.is_dir()):
        for path in sorted(pass_dir.glob("*.json")):
            yield pass_dir.name, path, json.loads(path.read_text())


def append_drafts(drafts_root: Path, split: str, gold_path: Path, splits_path: Path,
                  root: Path) -> int:
    """Append a new annotation round (``drafts_root/<pass>/<stem>.json``) to a gold file.

    Every new document goes to ``split`` and is recorded in the splits file. A document pass the
    gold file already holds, or a document of another split, is refused. Nothing is written
    unless every draft resolves. Returns the number of records added.
    """
    splits = json.loads(splits_path.read_text())
    lines = [ln for ln in gold_path.read_text().splitlines() if ln.strip()] if gold_path.exists() else []
    held = {(r["doc"], r["pass"]) for r in map(json.loads, lines)}
    new = []
    for annotator, path, draft in iter_drafts(drafts_root):
        doc = draft["doc"]
        if (doc, annotator) in held:
            raise GoldError(f"{path}: {doc} pass {annotator} is already in {gold_path}")
        if splits.get(doc, split) != split:
            raise GoldError(f"{path}: {doc} is in split {splits[doc]}, not {split}")
        splits[doc] = split
        new.append(json.dumps(resolve_draft(draft, root, split, annotator), sort_keys=True))
    gold_path.write_text("\n".join(lines + new) + "\n")
    splits_path.write_text(json.dumps(dict(sorted(splits.items())), indent=2) + "\n")
    return len(new)
