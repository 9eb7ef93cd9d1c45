"""Named speakers of one article: how each name is introduced (the guidelines type a speaker by
their first mention), and the sources of sentences without a frame of their own: the speaker tags
of transcripts, the answers of Q&A interviews, the signed letters of a letters page, a poll named
with its figures, "reportedly". Used by ``attribute``."""
from __future__ import annotations

import collections
import re

from .lexicon import (FIGURES, MEDIA, NOT_OFFICIAL, OFFICIAL_TITLES, ORG_LEADER, ORGANIZATION, POLL,
                      PUBLIC_BODY, STAFF)
from .records import Source, Span
from .segment import quote_mask

NAME_RE = re.compile(r"(?:(?:[A-Z]\.){2,}|[A-Z][a-z]{0,2}\.|[A-Z][\w’'\-]*)(?:\s+(?:(?:[A-Z]\.){2,}|"
                     r"[A-Z][a-z]{0,2}\.|[A-Z][\w’'\-]*|"
                   r"(?:de|van|von)\b|al-\w+))*")
STOP_CAP = {"The", "A", "An", "But", "And", "In", "On", "At", "For", "With", "After", "Before",
             "When", "While", "As", "Asked", "Speaking", "Hours", "Meanwhile", "However", "Still",
             "Then", "Later", "Earlier", "Also", "Yet", "So", "Now", "Today", "Yesterday", "Some",
             "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
             "It", "This", "That", "There", "These", "Those", "I", "We", "Don’t", "Editor’s", "Not"}


def name_key(token: str) -> str:
    """A surname as memory keys it: the same for "O’Neill" and "O'Neill", "Rajoy's" and "Rajoy"."""
    token = token.title() if token.isupper() and len(token) > 2 else token  # "PENCE:" = Pence
    return re.sub(r"'s$", "", token.replace("’", "'")).rstrip(".'")


def has_own_title(name: str, before: str) -> bool:
    """Whether a name carries its office title ("Gov. Mike Pence", "President Barack Obama"), not
    as a former one. The guidelines type a candidate introduced with the office title as
    official ("nominee Gov. Mike Pence") and one introduced as a candidate only as a person."""
    # a title that is part of a name is capitalised: not "the conference speaker"
    title = next((m for m in OFFICIAL_TITLES.finditer(name) if m.group()[0].isupper()), None)
    return title is not None and not re.search(r"\b(?:former|ex-|retired)\b[^,]*$",
                                               before + " " + name[:title.start()], re.I)


def is_staff(desc: str, names: dict[str, str]) -> bool:
    """Whether a description makes its person staff speaking for a non-official body: not for
    an office ("FBI Director", "White House press secretary", an official's spokesman)."""
    m = STAFF.search(desc)
    if not m or PUBLIC_BODY.search(desc) or has_own_title(desc[:m.start()] + desc[m.end():], ""):
        return False  # "Senator Jeff Sessions, a Trump adviser" holds an office himself
    owner = m.group("owner")
    if owner in ("Her", "His", "Their", "Its", "The", "A", "An"):
        return False  # "Her chief policy aide": whose staff is not said here
    return not owner or not (OFFICIAL_TITLES.fullmatch(owner)
                             or names.get(name_key(owner)) == "official")


# a title set off by a comma before a name: "The minister, ", "... by the secretary of the Treasury, "
_APPOSITIVE_TITLE = re.compile(r"\s*(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er)\s+[^,]{1,40},\s*")
_OFFICE_OF = re.compile(r"\b(?:[Tt]he|[Aa]n?)\s+[a-z]+\s+of\s+(?:the\s+)?[A-Z][^,]{0,30},\s*$")


# a legislator's party and state after the name: "(R-S.C.)", "(D-N.Y)", "(Md.)", "(R-TX)"
_STATE_TAG = re.compile(r"\s*\((?:[DRI]-[A-Z][\w. ]{1,14}|[A-Z][a-z]{1,4}\.(?: ?[A-Z]\.)?)\)")


# words of a clause between a titled name and the next one
_CLAUSE_WORD = re.compile(r"\b(?:will|would|with|met|meets?|to|is|was|has|had|called|said|says|"
                          r"told|against|by|on|at|over|about|than)\b")


def remember_names(text: str) -> dict[str, str]:
    """Surname -> source type from how each name is first introduced in the article."""
    names: dict[str, str] = {}
    by_name_only: set[str] = set()  # typed person for want of any description but an honorific
    for m in NAME_RE.finditer(text):
        toks = m.group().split()
        if toks[0] in STOP_CAP:
            toks = toks[1:]
        if len(toks) >= 2 and _STATE_TAG.match(text, m.end()) and not NOT_OFFICIAL.search(
                text[sentence_start(text, m.start()):m.end()]):
            # "Chairman Trey Gowdy (R-S.C.)", "Elijah E. Cummings (Md.)": a member of Congress
            names.setdefault(name_key(toks[-1]), "official")
            if names[name_key(toks[-1])] == "person" and name_key(toks[-1]) in by_name_only:
                names[name_key(toks[-1])] = "official"
        if len(toks) < 2 or ORGANIZATION.search(m.group()) or MEDIA.search(m.group()):
            continue
        surname = name_key(toks[-1])
        if surname in by_name_only and has_own_title(" ".join(toks), text[max(0, m.start() - 60):
                                                                          m.start()]):
            # "Mr. Putin said" then "President Vladimir V. Putin": the title introduces him
            names[surname] = "official"
            by_name_only.discard(surname)
        if surname in names:
            continue
        # the title may precede the name directly or as an appositive ("The minister, Lou Jiwei")
        # an abbreviation's period is not a sentence end: "Assistant U.S. Attorney Maya Song"
        before = re.split(r"(?<![A-Z])\.|(?<=[A-Z])\.(?=\s+[a-z])|[;:“”\"]|\band\b",
                          text[max(0, m.start() - 60):m.start()])[-1]
        # nor does a title that belongs to a name before ("Prime Minister Benjamin Netanyahu will
        # meet with Donald Trump")
        gap = re.split(r"[A-Z][\w’'\-]*[’']s?\s|[A-Z][\w’'\-]*\s", before)[-1]
        if _CLAUSE_WORD.search(gap) and not OFFICIAL_TITLES.search(gap) and not \
                NOT_OFFICIAL.search(gap) and re.search(r"[A-Z]", before[:len(before) - len(gap)]):
            before = gap
        # a title set off by a comma describes the name only as an appositive ("The minister,
        # Lou Jiwei", "... by the secretary of the Treasury, Jacob Lew"), not after a clause
        # ("... as secretary of state, Hillary Clinton", "The mill closed, a spokeswoman, X")
        if "," in before and not _APPOSITIVE_TITLE.fullmatch(before) and not _OFFICE_OF.search(before):
            before = before.rsplit(",", 1)[1]
        after = re.split(r"[.;:“”\"]", text[m.end():m.end() + 100])[0]
        after = after.split(",")[1] if after.startswith(",") and after.count(",") >= 1 else ""
        desc = before + " " + " ".join(toks[:-1]) + " " + after
        if is_staff(desc, names):
            names[surname] = "organization"
        elif ORG_LEADER.search(desc) or NOT_OFFICIAL.search(desc) and not has_own_title(
                " ".join(toks), before):
            names[surname] = "person"
        elif OFFICIAL_TITLES.search(desc):
            names[surname] = "official"
        else:
            names[surname] = "person"
            if toks[0] in ("Mr.", "Mrs.", "Ms."):  # an honorific only (a headline's "Mr. Putin")
                by_name_only.add(surname)
        # family name first ("Lou Jiwei" is later "Mr. Lou")
        if len(toks) == 2 and not toks[0].endswith("."):
            names.setdefault(name_key(toks[0]), names[surname])
    return names


# "PENCE: Well, look, ..." / "JAKE TAPPER: ..." opening a paragraph of a transcript
_SPEAKER_TAG = re.compile(r"(?m)^[^\w\n]{0,2}([A-Z][A-Z'’\-]+(?: [A-Z][A-Z'’\-]+){0,2}):\s")


def paragraph_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


# a sentence end: not the period of "Sen.", "U.S." or an initial
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Lt|Co))(?<!\b(?:Mrs|Sen|Rep|Gov|"
                           r"Gen|Col|Sgt|Adm|Del|Ave))(?<!\b(?:Pres|Sens|Reps|Govs|Gens|Capt))"
                           r"[.!?][”\"’']*\s+(?=[“\"‘']?[A-Z0-9])")


def sentence_start(text: str, pos: int, reach: int = 300) -> int:
    """Where the sentence holding ``pos`` starts, looking at most ``reach`` characters back."""
    lo = max(0, pos - reach)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, pos + 1) if m.end() <= pos]
    return ends[-1] if ends else lo


def describing_start(text: str, pos: int, reach: int = 60) -> int:
    """Where the words that may describe the speaker named at ``pos`` start: not before the
    paragraph or the sentence ("Former Gov. Jeb Bush called Trump “unhinged.” Sen. Marco Rubio
    called": Rubio is not former), nor inside a quotation ("“... candidates ...,” Cruz told")."""
    lo = max(pos - reach, paragraph_start(text, pos), sentence_start(text, pos))
    quotes = [i + len(q) for q in ("”", "“", '"', "''") if (i := text.rfind(q, lo, pos)) >= 0]
    return max([lo, *quotes])


def speaker_tags(text: str, names: dict[str, str]) -> dict[int, Source]:
    """Paragraph start -> the speaker its transcript tag names. A tag counts when the article
    uses it at least twice or names that person elsewhere, so that one-off labels ("UPDATE:")
    are not speakers."""
    found = [(paragraph_start(text, m.start(1)), m) for m in _SPEAKER_TAG.finditer(text)]
    counts = collections.Counter(m.group(1) for _, m in found)
    out = {}
    for para, m in found:
        surname = name_key(m.group(1).split()[-1])
        if counts[m.group(1)] >= 2 or surname in names:
            span = Span(m.start(1), m.end(1), m.group(1))
            out[para] = Source(names.get(surname, "person"), span)
    out.update(_interview_answers(text, names))
    return {**_letter_signers(text), **_embedded_tweets(text), **out}


# scraped articles keep embedded tweets as markup: <tweet author="@handle" ...>text
_TWEET = re.compile(r'(?m)^<tweet\b[^>\n]*\bauthor="([^"\n]+)"')
_OUTLET_HANDLE = re.compile(r"news|beast|times|post|team|tv|cnn|fox|nbc|abc|cbs|sky|journal", re.I)


def _embedded_tweets(text: str) -> dict[int, Source]:
    """Paragraph start -> the author of the tweet the paragraph embeds (an outlet's or a person's)."""
    return {m.start(): Source("media" if _OUTLET_HANDLE.search(m.group(1)) else "person",
                              Span(m.start(1), m.end(1), m.group(1))) for m in _TWEET.finditer(text)}


# a letters page signs each letter after it: "Nick Paccione." then "Long Beach, Calif.", or a
# Twitter handle; a name paragraph followed by a long one is a section heading instead
_SIGNATURE = re.compile(r"@\w+|(?:[A-Z][a-z]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z’'\-]+|[A-Z]\.)){1,3}")
_PLACE = re.compile(r"[A-Z][\w.’'\- ]{0,30}(?:,\s*[A-Z][\w.’' ]{0,20})?\.")
_HEADER = re.compile(r"[A-Z][A-Z’' ]+\.?")


def _letter_signers(text: str) -> dict[int, Source]:
    """Paragraph start -> the signer of the letter or post it belongs to, on a page of at least
    two signed letters; a header in capitals ("TWITTER.") starts a new run of letters."""
    paras = [(m.start(), m.group()) for m in re.finditer(r"\S[^\n]*?(?=\s*(?:\n|$))", text)]
    signed, pending, out, after_signature = 0, [], {}, False
    for i, (start, para) in enumerate(paras):
        nxt = paras[i + 1][1] if i + 1 < len(paras) else ""
        name = para.rstrip(".")
        is_signature = bool(_SIGNATURE.fullmatch(name)) and para.split()[0] not in STOP_CAP and (
            para.startswith("@") or bool(_PLACE.fullmatch(nxt)))
        if is_signature:
            for p in pending:
                out[p] = Source("person", Span(start, start + len(name), name))
            signed, pending = signed + 1, []
        elif _HEADER.fullmatch(para) or after_signature and _PLACE.fullmatch(para):
            pending = []  # a header, or the place line under a signature
        else:
            pending.append(start)
        after_signature = is_signature
    return out if signed >= 2 else {}


def _interview_answers(text: str, names: dict[str, str]) -> dict[int, Source]:
    """In a Q&A interview the "A:" paragraphs are the interviewee's, the most mentioned person;
    each answer's span is the nearest earlier mention of them."""
    answers = [m.start() for m in re.finditer(r"(?m)^A:\s", text)]
    if len(answers) < 2 or not re.search(r"(?m)^Q:\s", text):
        return {}
    surnames = (name_key(m.group().split()[-1]) for m in NAME_RE.finditer(text))
    counts = collections.Counter(k for k in surnames if names.get(k) in ("person", "official"))
    if not counts:
        return {}
    who = counts.most_common(1)[0][0]
    mentions = list(re.finditer(r"\b" + re.escape(who) + r"\b", text))
    out = {}
    for pos in answers:
        before = [m for m in mentions if m.end() <= pos]
        if before:
            out[pos] = Source(names[who], Span(before[-1].start(), before[-1].end(), who))
    return out


def named_poll(text: str, claim: Span) -> Source | None:
    """A poll named in a sentence of its figures ("In an early-October CBS News poll, she led 56
    percent to 32 percent"): the guidelines make it the source, an unnamed "polls show" not."""
    m = POLL.search(claim.text)
    if not m or not FIGURES.search(claim.text):
        return None
    lead = claim.text[m.start():m.start(m.lastindex)]
    if not re.search(r"[A-Z]", m.group(m.lastindex)) and not re.search(r"\b[Tt]he\s+$", lead):
        return None  # "in a new poll": an unnamed poll is no source
    a, b = claim.start + m.start(m.lastindex), claim.start + m.end(m.lastindex)
    return Source("media", Span(a, b, text[a:b]))


def reportedly(claim: Span) -> Source | None:
    """"Trump reportedly wants ...": the writer passes on what unnamed others report."""
    m = re.search(r"\breportedly\b", claim.text)
    return Source("anonymous") if m and not quote_mask(claim.text)[0][m.start()] else None
