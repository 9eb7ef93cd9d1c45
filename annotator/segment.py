"""Claim segmentation (TAXONOMY.md section 1): sentences, non-claims, quotations, splits.

Rules, not a model: the taxonomy's segmentation is mostly sentence-level with a few lexical split
points, and rules keep offsets exact for any Unicode input. Every returned span satisfies
``text[start:end] == span.text`` with no leading or trailing whitespace.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .records import Span

# Tokens ending in "." that rarely end a sentence.
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sen rep gov gen lt col maj capt sgt cpl adm cmdr pres supt insp det atty
st jr sr rev fr hon mt ft vs etc al inc corp ltd co bros dept univ assn est approx no nos
jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u d.c a.m p.m i.e e.g ph.d
calif fla tex mass penn pa ill mich minn ariz colo conn del ga ind kan ky la md miss mo mont
neb nev okla ore tenn va vt wash wis wyo
""".split())

OPEN_QUOTES = "\"“‘«"
CLOSE_QUOTES = "\"”’»"
CLOSERS = CLOSE_QUOTES + ")]'"

_SENT_END = re.compile(r"[.!?…]+[" + re.escape(CLOSERS) + r"]*")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’\- ]{1,40}(?:,\s*[A-Z][A-Za-z.\- ]{1,25})?\s*(?:\([^)]{1,30}\))?\s*[—–-]{1,2}\s+"
    r"|\([A-Z][A-Za-z ]{1,25}\)\s*[—–-]{1,2}\s+)")
_BYLINE = re.compile(r"^(?:by|written by|posted by|photo(?: by)?|image|credit|source)\b[\s:]", re.I)
_TEASER = re.compile(r"^(?:\[.*\]|\(.*\)|related:|read more|see also|follow |click here|watch:|"
                     r"sign up|subscribe|this (?:story|article) (?:has been|was) updated)", re.I)
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_CLAUSE_SPLIT = re.compile(r"\s*;\s+|\s+[—–]\s+|\s+--\s+")
_LETTER = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    in_quote: bool  # the sentence starts inside a quotation opened earlier


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_abbreviation(text: str, dot: int) -> bool:
    m = _WORD_BEFORE.search(text, 0, dot)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in ABBREVIATIONS:
        return True
    # single initials ("J. Smith") and dotted acronyms ("U.S.", "D.C.")
    return len(word) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]?", word))


def _next_starts_sentence(text: str, pos: int) -> bool:
    i = pos
    while i < len(text) and text[i] in " \t\u00a0":
        i += 1
    if i >= len(text) or text[i] in "\r\n":
        return True
    if i == pos:  # no space after the punctuation: "3.5", "U.S.A"
        return False
    ch = text[i]
    return ch.isupper() or ch.isdigit() or ch in OPEN_QUOTES + "([" or not ch.isalpha()


def split_sentences(text: str) -> list[Sentence]:
    """Split into sentences within paragraphs (a blank or single newline ends a paragraph)."""
    out: list[Sentence] = []
    quote_open = False
    for pno, pm in enumerate(re.finditer(r"[^\r\n]+", text)):
        p_start, p_end = pm.start(), pm.end()
        cursor = p_start
        bounds = []
        for m in _SENT_END.finditer(text, p_start, p_end):
            punct_end = m.end()
            if text[m.start()] == "." and m.end() - m.start() == 1 and _is_abbreviation(text, m.start()):
                if not (punct_end >= p_end):
                    continue
            if punct_end < p_end and not _next_starts_sentence(text, punct_end):
                continue
            bounds.append(punct_end)
        bounds.append(p_end)
        for b in bounds:
            s, e = _strip(text, cursor, b)
            cursor = b
            if s >= e:
                continue
            out.append(Sentence(s, e, text[s:e], pno, quote_open))
            quote_open = _quote_state(text[s:e], quote_open)
        # News style re-opens a quotation at each paragraph that continues it, so quotation
        # state never carries across a paragraph break.
        quote_open = False
    return out


def _quote_state(sentence: str, open_before: bool) -> bool:
    """Whether a quotation is still open after this sentence."""
    state = open_before
    for ch in sentence:
        if ch == "“":
            state = True
        elif ch == "”":
            state = False
        elif ch == '"':
            state = not state
    return state


def is_non_claim(sentence: str, first_line: bool) -> bool:
    """Headlines that are labels, bylines, teasers, URLs, pure questions, fragments."""
    s = sentence.strip()
    if not _LETTER.search(s):
        return True
    if _URL.match(s) or _BYLINE.match(s) or _TEASER.match(s):
        return True
    if s.rstrip(CLOSERS).endswith("?"):
        return True
    words = s.split()
    if len(words) < 3 and not s.endswith((".", "!")):
        return True
    if first_line and not s.rstrip(CLOSERS).endswith((".", "!")):
        return True
    return False


def _dateline_end(text: str, start: int, end: int) -> int:
    m = _DATELINE.match(text[start:end])
    return start + m.end() if m else start


def split_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a sentence at semicolons and clause dashes; the separator belongs to neither part."""
    seps = list(_CLAUSE_SPLIT.finditer(text, start, end))
    dashes = [m for m in seps if ";" not in m.group()]
    if len(dashes) > 1:
        # a dash pair brackets an aside ("X — a former aide — said"): not a clause split
        seps = [m for m in seps if ";" in m.group()]
    parts, cursor = [], start
    for m in seps:
        if len(text[cursor:m.start()].split()) < 4 or len(text[m.end():end].split()) < 4:
            continue
        parts.append((cursor, m.start()))
        cursor = m.end()
    parts.append((cursor, end))
    return [p for p in (_strip(text, a, b) for a, b in parts) if p[0] < p[1]]


def segment(text: str, headline: bool = True, split_clauses_at_separators: bool = True
            ) -> list[Span]:
    """Claim spans of an article, in document order.

    ``headline``: the first paragraph may be a headline (articles); False for lone sentences.
    """
    claims: list[Span] = []
    first_para = None
    for sent in split_sentences(text):
        if first_para is None:
            first_para = sent.paragraph
        if is_non_claim(sent.text, first_line=headline and sent.paragraph == first_para):
            continue
        s = _dateline_end(text, sent.start, sent.end)
        pieces = split_clauses(text, s, sent.end) if split_clauses_at_separators else [(s, sent.end)]
        for a, b in pieces:
            a, b = _strip(text, a, b)
            if a < b and _LETTER.search(text[a:b]):
                claims.append(Span(a, b, text[a:b]))
    return claims
