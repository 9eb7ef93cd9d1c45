"""Readers for the public corpora in the shared data folder (see its README), read in place.

Each reader returns plain (text, label) rows in the corpus's own label space; training maps them
to auxiliary heads and evaluation to the benchmark views of TAXONOMY.md section 5.
"""
from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from pathlib import Path

from .gold import corpus_root

csv.field_size_limit(10_000_000)

# Corpus facts for model cards: folder/file, license.
SOURCES = {
    "checkthat": ("checkthat-subjectivity-en", "CC BY-NC-SA 4.0 (non-commercial)"),
    "newssd": ("newssd-eng", "CC BY 4.0"),
    "mpqa": ("mpqa-1.2/mpqa12_sentences.tsv", "research use (MPQA 1.2, Univ. of Pittsburgh)"),
    "polnear": ("polnear", "research use (PolNeAR v1.0.0, Newell et al. 2018)"),
    "wikiweasel": ("wikiweasel-uncertainty/train.csv", "research use (CoNLL-2010, Univ. of Szeged)"),
    "sfu": ("sfu-review-speculation/sfu_review_speculation_sentences.tsv", "GPL-3.0-or-later"),
}

_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
        "``": '"', "''": '"'}


def normalise(text: str) -> str:
    """Key for de-duplication across corpora."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\W_]+", " ", text).strip()


def detokenise_ptb(text: str) -> str:
    for k, v in _PTB.items():
        text = text.replace(k, v)
    text = re.sub(r"\s+([.,;:!?%)\]}])", r"\1", text)
    text = re.sub(r"([(\[{$])\s+", r"\1", text)
    return re.sub(r"\s+(n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text).strip()


def held_out(key: str, fraction: float = 0.2) -> bool:
    """Stable hash split, so a held-out part never depends on row order or a random state."""
    h = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16)
    return h / 0xFFFFFFFF < fraction


def _tsv(path: Path, quoting=csv.QUOTE_MINIMAL) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=quoting))


def checkthat(split: str, root=None) -> list[tuple[str, str]]:
    """CheckThat! subjectivity (train or dev): (sentence, SUBJ|OBJ)."""
    rows = _tsv(corpus_root(root) / SOURCES["checkthat"][0] / f"{split}_en.tsv", csv.QUOTE_NONE)
    return [(r["sentence"].strip(), r["label"].strip()) for r in rows]


def newssd(split: str, root=None) -> list[tuple[str, str]]:
    with open(corpus_root(root) / SOURCES["newssd"][0] / f"{split}.csv", encoding="utf-8") as fh:
        return [(r["Sentence"].strip(), r["Label"].strip()) for r in csv.DictReader(fh)]


def mpqa(root=None) -> list[dict]:
    return _tsv(corpus_root(root) / SOURCES["mpqa"][0])


def polnear_sentences(split: str, root=None) -> list[dict]:
    rows = _tsv(corpus_root(root) / SOURCES["polnear"][0] / "polnear_sentences.tsv")
    return [r for r in rows if r["split"] == split]


def wikiweasel(part: str, root=None) -> list[tuple[str, int]]:
    """WikiWeasel uncertainty: ``part`` is 'train' or 'heldout' (a stable 20% hash split)."""
    with open(corpus_root(root) / SOURCES["wikiweasel"][0], encoding="utf-8") as fh:
        rows = [(detokenise_ptb(r["text"]), int(r["label"])) for r in csv.DictReader(fh)]
    return [(t, y) for t, y in rows if t and held_out(normalise(t)) == (part == "heldout")]


def sfu(root=None) -> list[tuple[str, int]]:
    rows = _tsv(corpus_root(root) / SOURCES["sfu"][0])
    return [(r["sentence"].strip(), int(r["speculation"])) for r in rows]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def source_hash(name: str, root=None) -> str:
    """sha256 over a corpus's files (sorted by path) for the model card."""
    path = corpus_root(root) / SOURCES[name][0]
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    h = hashlib.sha256()
    for f in files:
        h.update(str(f.relative_to(corpus_root(root))).encode())
        h.update(file_sha256(f).encode())
    return h.hexdigest()
