"""Record types shared by every pipeline stage. One JSONL line = one ArticleResult."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "Span | None":
        if d is None:
            return None
        return cls(start=int(d["start"]), end=int(d["end"]), text=d["text"])


@dataclass(frozen=True)
class Source:
    """Who makes a claim. ``span`` is None for the writer (type ``author``) or an unlocated source."""

    type: str
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.span is None:
            return {"type": self.type, "text": None, "start": None, "end": None}
        return {"type": self.type, **self.span.to_dict()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Source":
        span = None if d.get("start") is None else Span(int(d["start"]), int(d["end"]), d["text"])
        return cls(type=d["type"], span=span)


@dataclass(frozen=True)
class Claim:
    start: int
    end: int
    text: str
    label: str | None = None
    score: float | None = None
    scores: dict[str, float] = field(default_factory=dict)
    source: Source = field(default_factory=lambda: Source("author"))
    cue: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "label": self.label,
            "score": self.score,
            "scores": dict(self.scores),
            "source": self.source.to_dict(),
            "cue": None if self.cue is None else self.cue.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Claim":
        return cls(
            start=int(d["start"]),
            end=int(d["end"]),
            text=d["text"],
            label=d.get("label"),
            score=d.get("score"),
            scores=dict(d.get("scores") or {}),
            source=Source.from_dict(d["source"]) if d.get("source") else Source("author"),
            cue=Span.from_dict(d.get("cue")),
        )


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ArticleResult:
    id: str
    claims: tuple[Claim, ...]
    profile: dict[str, Any]
    model: dict[str, str]
    text: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "model": dict(self.model)}
        if self.text is not None:
            d["text"] = self.text
        if self.meta:
            d["meta"] = dict(self.meta)
        d["claims"] = [c.to_dict() for c in self.claims]
        d["profile"] = dict(self.profile)
        if self.error is not None:
            d["error"] = self.error
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ArticleResult":
        return cls(
            id=str(d["id"]),
            claims=tuple(Claim.from_dict(c) for c in d.get("claims", [])),
            profile=dict(d.get("profile") or {}),
            model=dict(d.get("model") or {}),
            text=d.get("text"),
            meta=dict(d.get("meta") or {}),
            error=d.get("error"),
        )
