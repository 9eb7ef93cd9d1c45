"""How the claims of one sentence or one quotation share a source (used by ``attribute``).

The segmenter splits a sentence into claims at conjunctions and a quotation into one claim per
sentence (TAXONOMY.md section 1); the later parts have no frame of their own and take the
source of the part that has one.
"""
from __future__ import annotations

import re

from .lexicon import CUE_RE
from .records import Span

OPENERS = ("“", '"', "''")  # quotation openers (NYT text marks quotes with two apostrophes)
# a predicate without its subject may open with one of these before its verb
PREDICATE_ADVERB = re.compile(r"(?:also |then |later )?")
_WORD = re.compile(r"\w+")


def continues_sentence(prev: Span, claim: Span) -> bool:
    """Whether ``claim`` is a later part of the sentence ``prev`` was split from."""
    if re.search(r"[.!?][”\"’']*$", prev.text):
        return False
    # a predicate without its subject: opened by a reporting verb, or a reported "that" clause
    first = _WORD.match(claim.text, PREDICATE_ADVERB.match(claim.text).end())
    return bool(first) and (first.group() == "that" or bool(CUE_RE.fullmatch(first.group())))


_BARE_PREDICATE = re.compile(r"(?:could|would|will|should|might|may|can|must|wants?|plans?|hopes?|"
                             r"[a-z]{3,}(?:es|ed))\b")


def bare_predicate(prev: Span, claim: Span) -> bool:
    """Whether ``claim`` is a predicate with no subject that goes on the sentence of ``prev``."""
    if re.search(r"[.!?:][”\"’']*$", prev.text):
        return False
    return bool(_BARE_PREDICATE.match(claim.text, PREDICATE_ADVERB.match(claim.text).end()))


def backfill_quote_frames(text: str, claims: list[Span], out: list) -> None:
    """A quotation whose frame comes in a later sentence (“A. B,” she said.) shares that source."""
    for i in range(len(claims) - 1, 0, -1):
        src, cue = out[i]
        if cue is None or src.type == "author":
            continue
        j = i - 1
        while j >= 0 and out[j][0].type == "author" and claims[j].text.startswith(OPENERS) \
                and "\n" not in text[claims[j].end:claims[j + 1].start]:
            out[j] = (src, None)
            j -= 1
