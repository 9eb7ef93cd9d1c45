"""Source extraction (TAXONOMY.md section 3): who makes each claim, the source type and the cue.

Rule-based over the claim's own text plus document context: reporting cues, the subject noun
phrase of the frame, quotations that carry their speaker across sentences, and a per-article
memory of how each named speaker was introduced (the guidelines type a speaker by their first
mention: "Sen. Lee" is official, "presidential candidate Ruiz" is a person).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import (ACTION_CUES, ACTION_OBJECT, ANONYMOUS, AUXILIARIES, BOUNDARIES, CONJ_CAP,
                      CONTRACTION, CUE_RE, CUE_RE_TITLE, DAY, DETERMINERS, DOCUMENT,
                      ENDS_INTRODUCING, EVIDENTIAL, FINDINGS, HEADLINE_TAG, INTRODUCES,
                      IRREGULAR_PAST, LEADING_CUE, MEDIA, NOT_OFFICIAL, NOT_REPORTING, NOT_SUBJECT,
                      NO_SPEAKER, OFFICIAL_TITLES, ORGANIZATION, ORG_LEADER, PARTICIPLES, PASSIVE,
                      PREPOSITIONS, PRONOUNS, QUOTE_OPEN, REPORTED_BY, SHARE, SUBORDINATORS,
                      WRITE_CUES, WRITE_OBJECT)
from .continuation import (OPENERS, PREDICATE_ADVERB, backfill_quote_frames, bare_predicate,
                           continues_sentence)
from .records import Source, Span
from .segment import QUOTE_TOKEN, quote_mask
from .speakers import (NAME_RE, STOP_CAP, has_own_title, is_staff, name_key, named_poll,
                       describing_start, paragraph_start, remember_names, reportedly,
                       speaker_tags)

PRONOUN_REACH = 600  # chars a framed speaker stays "he"/"she" (gold train: 300 .7841, 1000 .7851)
_PARTY_TAG = r"\([A-Z][\w.\- ]{0,20}\)"  # "(D)", "(R-Texas)"
_NAME_NP = r"((?:[A-Z][\w’'\-]*\.?\s+){0,4}[A-Z][\w’'\-]*)(?:\s*" + _PARTY_TAG + ")?"
_CLAUSE_START = r"(?:^|[,“”\"]\s*|''\s*)"
_DET_NP = r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir)\s[\w’'\-.]+(?:\s+[\w’'\-.]+){0,4}"
# k comma-delimited asides between the subject and its cue, then perhaps an auxiliary
_ASIDES = r"(?:\s*,\s*[^,“”\"]{1,110}){%d},\s*(?:(?:has|had|have|also|later|then|once|again)\s+)*$"
# "a spokeswoman, Anna White, said": the name after a descriptor
_DESCRIBED_NAME = re.compile(_CLAUSE_START + _DET_NP + r",\s+" + _NAME_NP + _ASIDES % 0)
# per number of asides: a name, a determiner phrase, the claim's opening phrase before them
_SUBJECT_BEFORE_ASIDES = [
    (re.compile("(?:" + _CLAUSE_START + r"|\b(?:and|but)\s+)" + _NAME_NP + _ASIDES % k),
     re.compile(_CLAUSE_START + "(" + _DET_NP + ")" + _ASIDES % k),
     re.compile(r"((?:[A-Z0-9][\w’'\-.]*)(?:\s+[\w’'\-.]+){0,4}\s+[A-Z][\w’'\-]*)" + _ASIDES % k))
    for k in range(1, 5)]
_RELATIVE = re.compile(r"\b(?:who|which|what)\s+(?:[\w’']+\s+){0,4}$")
_NEXT_PARAGRAPH = re.compile(r"\n\s*(?=\S)")
_SPEAKS_FOR_OFFICE = re.compile(r"^(?!.*\bformer\b).*\b(?:spokes|official)", re.I)  # not "former"


@dataclass
class _Memory:
    """Per-article memory: surname -> source type as introduced, and the last speakers."""

    names: dict[str, str] = field(default_factory=dict)
    last_sg: tuple[str, Span] | None = None
    last_pl: tuple[str, Span] | None = None
    last_quote: Source | None = None


def _tokens_back(text: str, lo: int, cue_start: int) -> tuple[int, int] | None:
    """The subject noun phrase ending just before a cue, skipping auxiliaries/adverbs."""
    # a party/state tag between name and cue: "Sen. Jason Holsman (D) said"
    paren = re.search(r"\s*" + _PARTY_TAG + r"\s*(?:(?:has|had|have|also|later|then|once)\s+)*$",
                      text[lo:cue_start])
    if paren:
        cue_start = lo + paren.start()
    words = [(m.start(), m.end()) for m in re.finditer(r"[\w.’'\-&]+", text[lo:cue_start])]
    words = [(a + lo, b + lo) for a, b in words]
    end = None
    while words:
        a, b = words[-1]
        w = text[a:b].lower()
        # "Kelly" is a name, not an adverb in -ly; "Will" is George Will
        if end is None and text[a].islower() and (w in AUXILIARIES or w.endswith("ly") and len(w) > 4
                                                  or re.search(r"n[’']t$", w)):
            words.pop()
            continue
        if end is None:
            end = b
        break
    if end is None:
        return None
    # a comma or quote between subject and cue means there is no subject right before it
    if re.search(r"[,“”\"():;]", text[end:cue_start]):
        return None
    start, stop = end, None
    for a, b in reversed(words):
        seg = text[b:start]
        if re.search(r"[,“”\"():;—–]", seg):
            break
        if text[a:b].lower() in BOUNDARIES:
            stop = text[a:b].lower()
            break
        if not re.search(r"\w", text[a:b]):
            break  # a closing '' quote mark: "'' he said"
        start = a
        if end - start > 80:
            break
    if start >= end or text[start:end].lower() in NOT_SUBJECT or NO_SPEAKER.fullmatch(text[start:end]):
        return None  # "Wednesday added one more", "Don’t believe them": no one speaks
    # "to assuage fears", "1,153 in pledged delegates", "avoiding blame", "Trump's claims": a
    # verb, an object or a noun, not a subject and its cue
    words_in = text[start:end].split()
    last = words_in[-1].lower()
    if last in DETERMINERS or re.search(r"['’]s?$", last):
        return None
    if stop in SUBORDINATORS:
        return None  # "after he said them": a subordinate clause, not the claim's frame
    if stop == "to" and text[start].islower() or last in PREPOSITIONS or (
            words_in[0].endswith("ing") and text[start].islower()):  # "seeking more answers"
        return None
    return start, end


def _shorten(text: str, start: int, end: int) -> tuple[int, int]:
    """Shortest span naming the source: a name (with an official title kept), else the phrase."""
    while end > start and text[end - 1] in ".,;:" and not _is_abbrev_end(text[start:end]):
        end -= 1
    phrase = text[start:end]
    names = [m for m in NAME_RE.finditer(phrase) if m.group().split()[0] not in STOP_CAP]
    if DOCUMENT.search(phrase) and not OFFICIAL_TITLES.search(phrase):
        return start, end  # "a CNN tally", "A poll from Marquette Law School": the document speaks
    if not names:
        # drop a leading determiner-free descriptor? keep the phrase: "the gambling tycoon"
        return start, end
    m = names[-1]
    k = len(names) - 1
    while k and re.fullmatch(r"\s+of\s+", phrase[names[k - 1].end():names[k].start()]):
        k -= 1
    if k < len(names) - 1 and " " not in m.group() and m.end() == len(phrase.rstrip()):
        # "the Republican Party of Wyoming", "Chamber of Commerce of X": one name across "of"
        return start + names[k].start(), start + m.end()
    if re.fullmatch(r"(?:\s+[a-z][\w\-]*)+" if " " not in m.group() else r"\s+[a-z][\w\-]*",
                    phrase[m.end():]) and (m.start() == 0 or re.fullmatch(
            r"(?:[Tt]he|[Aa]n?)(?:\s+[a-z][\w\-]*)*\s+", phrase[:m.start()])):
        return start, end  # the name only modifies the head: "a Mexican official", "Clinton aides"
    a, b = start + m.start(), start + m.end()
    before = phrase[:m.start()]
    title = re.search(r"((?:[A-Z][\w.]*\s+)*(?:president|sen\.|senator|rep\.|gov\.|governor|mayor|"
                      r"secretary|minister|judge|justice|chief|sheriff|speaker|ambassador))\s*$",
                      before, re.I)
    if title and not NOT_OFFICIAL.search(before):
        a = start + title.start(1)
    return a, b


def _is_abbrev_end(phrase: str) -> bool:
    return bool(re.search(r"\b(?:Jr|Sr|Inc|Corp|Co|Ltd|[A-Z])\.$", phrase))


def _last_named(text: str, pos: int, mem: _Memory) -> str | None:
    """Type of the last named, remembered person mentioned before ``pos``."""
    for m in reversed(list(NAME_RE.finditer(text, max(0, pos - 600), pos))):
        surname = name_key(m.group().split()[-1])
        if surname in mem.names:
            return mem.names[surname]
    return None


def _type_of(phrase: str, context: str, mem: _Memory, text: str = "", pos: int = 0) -> str:
    low = phrase.lower().strip()
    if low in PRONOUNS:
        kind = PRONOUNS[low]
        last = mem.last_pl if kind == "pl" else mem.last_sg
        # the last framed speaker, when near, is the likelier antecedent than the last name
        # mentioned ("Sen. Grant said ... He praised candidate Lopez. ... he said")
        if kind == "sg" and last and pos - last[1].end < PRONOUN_REACH:
            return last[0]
        if kind == "sg" and text:
            named = _last_named(text, pos, mem)
            if named:
                return named
        return last[0] if last else ("anonymous" if kind == "pl" else "person")
    if SHARE.search(phrase):
        # "Sixty-six percent said": respondents speak through the poll the article cites
        return "media" if re.search(r"\b(?:poll|survey)", text[max(0, pos - 600):pos], re.I) \
            else "anonymous"
    if len(low.split()) <= 3 and ANONYMOUS.fullmatch(low) and not OFFICIAL_TITLES.search(low):
        return "anonymous"
    names = [m.group() for m in NAME_RE.finditer(phrase) if m.group().split()[0] not in STOP_CAP]
    remembered = mem.names.get(name_key(names[-1].split()[-1])) if names else None
    if is_staff(phrase, mem.names) or remembered == "organization" or (
            is_staff(context[-40:], mem.names) and not names):
        return "organization"
    if NOT_OFFICIAL.search(context) and not MEDIA.search(phrase) and not _SPEAKS_FOR_OFFICE.search(
            phrase) and not has_own_title(phrase, context[:len(context) - len(phrase)]):
        return "organization" if re.search(r"\bcampaign\b", phrase, re.I) else "person"
    if remembered and not OFFICIAL_TITLES.search(phrase):
        return remembered
    if MEDIA.search(phrase) and not OFFICIAL_TITLES.search(phrase):
        return "media"
    if re.search(r"\bspokes(?:man|woman|person)\b", phrase, re.I) and ORGANIZATION.search(
            phrase + " " + context[-40:]) and not re.search(r"\bcampaign\b", phrase, re.I):
        return "organization"
    if ORG_LEADER.search(context[-60:]) and names:
        return "person"
    if OFFICIAL_TITLES.search(phrase) or (OFFICIAL_TITLES.search(context[-40:])
                                          and not ORGANIZATION.search(phrase)):
        return "official"
    if ORGANIZATION.search(phrase):
        return "organization"
    if ANONYMOUS.search(phrase) and not names:
        return "anonymous"
    if re.fullmatch(r"(?:[Tt]he\s+)?[A-Z]{3,}", phrase.strip()):
        return "organization"  # "ESPN said", "the NAACP said": a person is not an acronym
    # the head noun before its modifiers: "advocates within the community", "Patient groups"
    head = re.split(r"\s+(?:of|in|within|at|from|for|on|with|who|close|across)\b", phrase)[0].split()
    plural = bool(head) and re.fullmatch(r"[a-z][\w\-]*[^s]s", head[-1]) is not None
    if names:
        return "anonymous" if plural else "person"
    return "anonymous" if plural or low.endswith("s") else "person"


def _appositive(c: str, pos: int) -> tuple[int, int] | None:
    """Subject set off from its cue by asides: "Ramil Carr, 31, a photographer, said",
    "a spokeswoman, Anna White, said", "The lawmaker, who represents X, said"."""
    pre = c[:pos]
    m = _DESCRIBED_NAME.search(pre)
    if m:
        return m.span(1)
    for name, det_np, opening in _SUBJECT_BEFORE_ASIDES:
        m = name.search(pre) or det_np.search(pre) or opening.match(pre)
        if not m or re.search(r"\d\s?(?:%|percent)", pre[m.end(1):]):
            continue  # "A third of independents, 33%, say": a poll share, not a speaker
        a, b = m.span(1)
        first = c[a:b].split()[0]
        if first in CONJ_CAP:
            a = c.index(" ", a) + 1  # "But Mr. Guerrero, a Republican, said"
        elif first in STOP_CAP and first not in ("The", "A", "An") or first.endswith("ing"):
            continue
        return a, b
    return None


def _title_case(c: str) -> bool:
    words = re.findall(r"[A-Za-z][\w’'\-]{3,}", c)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _find_frame(text: str, claim: Span, open_at_start: bool):
    """(subject span, cue span) of the claim's attribution frame, or None."""
    c = claim.text
    mask = quote_mask(c, open_at_start)[0]
    head = re.match(r"^([A-Z][\w.’'\- ]{1,40}):\s", c)
    if head and not mask[0] and not re.search(r"\s[a-z]+$", head.group(1)) \
            and not HEADLINE_TAG.fullmatch(head.group(1)):  # not "Trump boomed:", not "LOOK:"
        s, e = claim.start + head.start(1), claim.start + head.end(1)
        return (s, e), Span(e, e + 1, ":")
    if lead := LEADING_CUE.match(c):
        return (_shorten(text, claim.start + lead.start(2), claim.start + lead.end(2)),
                Span(claim.start, claim.start + lead.end(1), lead.group(1)))
    for m in (CUE_RE_TITLE if _title_case(c) else CUE_RE).finditer(c):
        if mask[m.start()]:
            continue
        if m.group().lower() in PARTICIPLES and PASSIVE.search(c, 0, m.start()):
            continue  # passive ("is expected to", "was charged"): no speaker here
        if _RELATIVE.search(c, 0, m.start()):
            continue  # "Perez, who said he expects ...": a relative clause, not the claim's frame
        if _reports_action(c, m):
            continue  # "Clinton praised Smegielski for ...": an action the writer reports
        cs, ce = claim.start + m.start(), claim.start + m.end()
        cue = Span(cs, ce, text[cs:ce])
        by = m.group() == "reported" and re.search(r"\b[Aa]s\s+$", c[:m.start()]) and \
            REPORTED_BY.match(text, ce, claim.end)  # "As reported by the Courier, ..."
        if m.group().lower() == "according to" or by:
            ce = by.end() if by else ce
            np = re.match(r"\s+([\w.’'\-&/]+(?:\s+[\w.’'\-&/]+){0,10}?)(?=[,.;:]|$|\s(?:released|published|"
                          r"conducted|taken|by|unearthed|obtained|that|which|on\s+" + DAY + r")\b)",
                          text[ce:claim.end])
            if np:
                a = ce + np.start(1)
                b = ce + np.end(1)
                while b > a and text[b - 1].isspace():
                    b -= 1
                return _shorten(text, a, b), cue
            continue
        if m.group().endswith("ing"):
            if re.search(r"\b(?:by|for|from|about|without|after|before|on|in|as)\s+$", c[:m.start()]):
                continue  # "in hot water for saying": what got someone in trouble, not a frame
            # participial frame ("Trump hit back, telling Reuters ..."): the clause's subject
            names = [n for n in NAME_RE.finditer(c, 0, m.start()) if not mask[n.start()]
                     and n.group().split()[0] not in STOP_CAP and not CONTRACTION.match(n.group())]
            if names:
                n = names[0]
                return _shorten(text, claim.start + n.start(), claim.start + n.end()), cue
            continue
        appos = _appositive(c, m.start())
        # inverted frame after a quote: ', said Sen. Lee' / '” said the mayor'; after a bare
        # comma only a capitalised subject ("X, a photographer, said the ..." is not inverted)
        tail = re.search(r"(?:[,”\"]|'')\s*$", c[:m.start()])
        if tail and not appos:
            det = r"|(?:the|a|an|one|his|her)\s+[\w.’'\-&]+" if tail.group().strip() != "," else ""
            np = re.match(r"\s+((?:[A-Z][\w.’'\-&]*" + det + r")(?:\s+[\w.’'\-&]+){0,6}?)"
                          r"(?=[,.;]|$|\s(?:in|on|at|during|who|after|before|when|while|to|of|"
                          r"[A-Z][a-z]+day)\b)", text[ce:claim.end])
            if np and not NO_SPEAKER.fullmatch(np.group(1).split()[0]):  # "the deal, announced Friday,"
                a, b = ce + np.start(1), ce + np.end(1)
                while b > a and text[b - 1].isspace():
                    b -= 1
                return _shorten(text, a, b), cue
        subj = ((claim.start + appos[0], claim.start + appos[1]) if appos
                else _tokens_back(text, claim.start, cs))
        if subj and (m.group().lower() not in EVIDENTIAL or MEDIA.search(text[subj[0]:subj[1]])
                     or m.group().lower() in FINDINGS and re.match(r"\s+that\b", c[m.end():])):
            return _shorten(text, *subj), cue
    return None


def _reports_action(c: str, cue: re.Match) -> bool:
    """Whether a cue that can also name an action does so here: an object follows it ("endorsed
    Cruz", "tweeted an image") and no quotation or colon gives what was said; or the word names
    no saying at all ("pledged delegates", "adding to her lead")."""
    if NOT_REPORTING.match(c, cue.start()):
        return True
    word = cue.group().lower()
    obj = ACTION_OBJECT if word in ACTION_CUES else WRITE_OBJECT if word in WRITE_CUES else None
    return bool(obj and obj.match(c, cue.end()) and not QUOTE_OPEN.search(c, cue.end())
                and not c.rstrip().endswith(":")
                and not re.search(r"(?:[”\"]|'')\s*$", c[:cue.start()]))  # '..." declared Ann'


def open_quote_at(text: str, pos: int) -> bool:
    """Whether a quotation opened earlier in the paragraph is still open at ``pos``."""
    return quote_mask(text[paragraph_start(text, pos):pos])[1]


def attribute(text: str, claims: list[Span]) -> list[tuple[Source, Span | None]]:
    """Source and cue for each claim of one article (claims in document order)."""
    mem = _Memory(names=remember_names(text))
    speakers = speaker_tags(text, mem.names)
    out: list[tuple[Source, Span | None]] = []
    block: tuple[Source, int] | None = None  # source of the paragraph a frame ending in ':' opens
    for claim in claims:
        in_quote = open_quote_at(text, claim.start)
        frame = _find_frame(text, claim, in_quote)
        if frame:
            (a, b), cue = frame
            src = _source_at(text, a, b, mem)
            phrase, stype = src.span.text, src.type
            if phrase.lower() not in PRONOUNS:
                if stype in ("official", "person"):
                    if re.search(r"s$", phrase) and not NAME_RE.search(phrase):
                        mem.last_pl = (stype, src.span)
                    else:
                        mem.last_sg = (stype, src.span)
                elif stype == "anonymous":
                    mem.last_pl = (stype, src.span)
            if QUOTE_TOKEN.search(claim.text):
                mem.last_quote = src
            if cue.text != ":" and (INTRODUCES.fullmatch(text, cue.end, claim.end) or
                                    ENDS_INTRODUCING.search(claim.text)):
                # "In a statement, the campaign wrote:" - the next paragraph is what it wrote
                nxt = _NEXT_PARAGRAPH.search(text, claim.end)
                block = (src, paragraph_start(text, nxt.end())) if nxt else None
                mem.last_quote = src
            out.append((src, cue))
            continue
        fully_quoted = in_quote or claim.text.lstrip().startswith(OPENERS)
        if fully_quoted and mem.last_quote is not None:
            out.append((mem.last_quote, None))
            continue
        prev = claims[len(out) - 1] if out else None
        if prev and continues_sentence(prev, claim):
            # the second predicate of "X said A and insisted B" keeps X as its source; that of
            # "X debunked A and admitted B" has X as its source
            src, cue = out[-1][0], None
            lead = CUE_RE.match(claim.text, PREDICATE_ADVERB.match(claim.text).end())
            if lead:
                cue = Span(claim.start + lead.start(), claim.start + lead.end(), lead.group())
                subj = _sentence_subject(text, prev)
                if src.type == "author" and subj:
                    src = _source_at(text, *subj, mem)
            out.append((src, cue))
            continue
        framed = out[-1][1] is not None and out[-1][0].type != "author" if out else False
        if prev and framed and bare_predicate(prev, claim):
            # "X said she was A and would B": the second predicate is still what X said
            out.append((out[-1][0], None))
            continue
        para = paragraph_start(text, claim.start)
        if block and para == block[1]:
            out.append((block[0], None))
            continue
        out.append((speakers.get(para) or named_poll(text, claim)
                    or reportedly(claim) or Source("author"), None))
    backfill_quote_frames(text, claims, out)
    return out


def _source_at(text: str, a: int, b: int, mem: _Memory) -> Source:
    """The source named by ``text[a:b]``, typed from the phrase and the words before it."""
    lo = describing_start(text, a)
    return Source(_type_of(text[a:b], text[lo:b], mem, text, a), Span(a, b, text[a:b]))


# the subject may follow an opening phrase ("In his speech, Obama positioned"), and a party tag,
# a relative clause or a day may stand between it and its verb
_SENTENCE_SUBJECT = re.compile(
    r"(?:[A-Z][^,“”\"]{0,60},\s+(?:after [^,]{1,80},\s+)?)?(?:(?:But|And|Yet|Then) )?"
    r"((?:[A-Z][\w’'\-.]*\s+){0,4}[A-Z][\w’'\-]*)(?:\s*" + _PARTY_TAG + r")?(?:,\s+who [^,]{1,80},)?"
    r"(?:\s+on\s+[A-Z][a-z]+day)?\s+(?:[a-z]+ly\s+)?(?:[a-z]+(?:ed|s)|" + IRREGULAR_PAST + r")\b")


def _sentence_subject(text: str, prev: Span) -> tuple[int, int] | None:
    """The name or pronoun a sentence opens with, when a verb follows it ("Trump launched ...")."""
    m = _SENTENCE_SUBJECT.match(prev.text)
    if not m or m.group(1).split()[0] in STOP_CAP:
        return None
    return _shorten(text, prev.start + m.start(1), prev.start + m.end(1))
