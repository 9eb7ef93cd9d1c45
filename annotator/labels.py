"""The label schema: the one source of truth for claim labels and source types.

The JSON lives in ``labels/schema.json`` at the repository root (the package is installed
editable from the checkout, see README).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

_REPO_SCHEMA = Path(__file__).resolve().parent.parent / "labels" / "schema.json"


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(_REPO_SCHEMA.read_text(encoding="utf-8"))


def claim_labels() -> tuple[str, ...]:
    return tuple(item["name"] for item in schema()["labels"])


def source_types() -> tuple[str, ...]:
    return tuple(item["name"] for item in schema()["source_types"])


def factual_labels() -> tuple[str, ...]:
    return tuple(schema()["factual_labels"])


def allowed_labels(source_type: str) -> tuple[str, ...]:
    """The labels TAXONOMY.md section 2 allows for a claim of this source type: an official
    source's claim is an official statement unless it is speculation, and only an official
    source makes an official statement."""
    table = schema()["labels_by_source_type"]
    return tuple(table.get(source_type, table["default"]))


def label2id() -> dict[str, int]:
    return {name: i for i, name in enumerate(claim_labels())}


def id2label() -> dict[int, str]:
    return dict(enumerate(claim_labels()))
