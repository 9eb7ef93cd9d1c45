"""Scoring: segment -> attribute -> classify -> profile, one ArticleResult per article."""
from __future__ import annotations

from typing import Iterable, Iterator, Protocol, Sequence

from .attribute import attribute
from .labels import allowed_labels, claim_labels, factual_labels
from .records import Article, ArticleResult, Claim, Source
from .segment import segment

SPECULATION = "speculation"


class Classifier(Protocol):
    name: str
    version: str

    def predict(self, pairs: Sequence[tuple[str, str]]
                ) -> list[tuple[dict[str, float], dict[str, float] | None]]: ...


# What a model's first input segment holds: the extracted source type only, or the type and the
# words naming the source ("official: Gov. Mike Pence"), which the claim text lacks for a quote
# continued from an earlier sentence or a pronoun. Stored in annotator.json; older models: "type".
SOURCE_INPUTS = ("type", "type+span")


def claim_input(claim_text: str, source: Source, mode: str = "type") -> tuple[str, str]:
    """The text pair the model sees: the extracted source (see SOURCE_INPUTS), then the claim."""
    if mode not in SOURCE_INPUTS:
        raise ValueError(f"unknown source input {mode!r}; choose one of {', '.join(SOURCE_INPUTS)}")
    if mode == "type+span" and source.span is not None:
        return f"{source.type}: {source.span.text}", claim_text
    return source.type, claim_text


def model_inputs(claims: Iterable[Claim], classifier: Classifier) -> list[tuple[str, str]]:
    """The classifier's text pairs for claims, in the input form the model was trained on."""
    mode = getattr(classifier, "source_input", "type")
    return [claim_input(c.text, c.source, mode) for c in claims]


def extract_claims(text: str) -> list[Claim]:
    """Unlabeled claims with their sources and cues (no model needed)."""
    spans = segment(text)
    return [Claim(start=s.start, end=s.end, text=s.text, source=src, cue=cue)
            for s, (src, cue) in zip(spans, attribute(text, spans))]


def profile(claims: Sequence[Claim]) -> dict:
    """The article-level profile of TAXONOMY.md section 4, derived only from claims."""
    n = len(claims)
    labels = claim_labels()
    counts = {lab: sum(c.label == lab for c in claims) for lab in labels}
    factual = [c for c in claims if c.label in factual_labels()]
    sources = {(c.source.type, c.source.span.text.lower()) for c in claims
               if c.source.span is not None}
    sources |= {("author", "")} if any(c.source.type == "author" for c in claims) else set()
    return {
        "n_claims": n,
        "label_counts": counts,
        "label_shares": {lab: (counts[lab] / n if n else 0.0) for lab in labels},
        "unsourced_fact_share": (sum(c.source.type == "author" for c in factual) / len(factual)
                                 if factual else 0.0),
        "anonymous_source_share": (sum(c.source.type == "anonymous" for c in claims) / n
                                   if n else 0.0),
        "n_distinct_sources": len(sources),
    }


# The source head replaces one named source type by another only when it is fairly sure: a
# hesitant head is wrong more often than the rules there. Whether a claim has a source at all
# (author or not) stays the head's call, which helps PolNeAR attribution. Gold dev source-type
# accuracy: claims-minilm-v4 0.814 -> 0.826, v5 0.806 -> 0.823; CheckThat! and PolNeAR unchanged.
SOURCE_OVERRIDE_MIN_PROB = 0.65


def given_source(probs: dict[str, float], source_type: str) -> dict[str, float]:
    """Label probabilities conditioned on the claim's source type: the labels the taxonomy
    rules out for that type get 0 and the rest are renormalised, so that label and source never
    contradict each other. claims-minilm-v7 label macro-F1, unconditioned -> conditioned: gold dev
    0.718 -> 0.727 (where it was chosen), gold test 0.676 -> 0.662."""
    allowed = allowed_labels(source_type)
    total = sum(probs[k] for k in allowed)
    if total <= 0:
        return {k: (1.0 / len(allowed) if k in allowed else 0.0) for k in probs}
    return {k: (probs[k] / total if k in allowed else 0.0) for k in probs}


def _label(claim: Claim, probs: dict[str, float], source_probs: dict[str, float] | None) -> Claim:
    """Apply the model: the source type when the model confidently corrects the rules', then
    the most probable label the taxonomy allows for that source type.

    A model-corrected type keeps the rules' span when there is one; a claim the model judges
    the writer's own (author) loses its span and cue.
    """
    source, cue = claim.source, claim.cue
    if source_probs:
        stype = max(source_probs, key=source_probs.get)
        if source_probs[stype] < SOURCE_OVERRIDE_MIN_PROB and "author" not in (stype, source.type):
            stype = source.type
        if stype == "author":
            source, cue = Source("author"), None
        elif stype != source.type:
            source = Source(stype, source.span)
    probs = given_source(probs, source.type)
    label = max(probs, key=probs.get)
    return Claim(start=claim.start, end=claim.end, text=claim.text, label=label,
                 score=round(probs[label], 6), scores={k: round(v, 6) for k, v in probs.items()},
                 source=source, cue=cue)


def score_articles(articles: Iterable[Article], classifier: Classifier,
                   chunk_claims: int = 512) -> Iterator[ArticleResult]:
    """Score articles lazily, batching claims across articles for the classifier."""
    pending: list[tuple[Article, list[Claim]]] = []
    n_pending = 0

    def flush():
        probs = iter(classifier.predict(model_inputs((c for _, cl in pending for c in cl),
                                                     classifier)))
        for art, cl in pending:
            labeled = tuple(_label(c, *next(probs)) for c in cl)
            yield ArticleResult(id=art.id, claims=labeled, profile=profile(labeled),
                                model={"name": classifier.name, "version": classifier.version},
                                text=art.text, meta=art.meta)

    for art in articles:
        claims = extract_claims(art.text)
        pending.append((art, claims))
        n_pending += len(claims)
        if n_pending >= chunk_claims:
            yield from flush()
            pending, n_pending = [], 0
    if pending:
        yield from flush()


def score_text(text: str, classifier: Classifier, id: str = "article") -> ArticleResult:
    return next(score_articles([Article(id, text)], classifier))
