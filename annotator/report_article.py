"""One scored article as an HTML page, and the per-label styles every report page shares.

The page shows the article text with each claim a plain <mark> (no per-claim script, so a page
stays usable with thousands of claims) and its source and cue nested inside, then the article's
profile and a sortable claims table. All text and metadata are escaped.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from . import report_assets as ui
from .labels import schema
from .records import ArticleResult, Claim
from .report_assets import esc, num_td, pct


@dataclass(frozen=True)
class Style:
    name: str
    title: str
    color: str
    abbr: str  # visible badge text: the label is never shown by colour alone
    cls: str   # CSS class carrying the colour variables


@lru_cache(maxsize=1)
def label_styles() -> dict[str, Style]:
    out: dict[str, Style] = {}
    for i, item in enumerate(schema()["labels"]):
        words = item["title"].split()
        abbr = (words[0][0] + words[1][0] if len(words) > 1 else item["title"][:2]).upper()
        if abbr in {s.abbr for s in out.values()}:
            abbr = item["title"][:3].upper()
        out[item["name"]] = Style(item["name"], item["title"], item["color"], abbr, f"l{i}")
    return out


def style_of(label: str | None) -> Style:
    styles = label_styles()
    if label in styles:
        return styles[label]
    return Style(str(label), "Unlabeled" if label is None else str(label), "#767676", "??", "lx")


def _source_title(stype: str) -> str:
    return next((s["title"] for s in schema()["source_types"] if s["name"] == stype), stype)


def label_css() -> str:
    """Per-label colour variables (badge, underline, translucent background) from the schema."""
    styles = list(label_styles().values()) + [style_of(None)]
    return "\n".join(f".{s.cls}{{--c:{s.color};--bg:{s.color}38;--on:{ui.on_color(s.color)}}}"
                     for s in styles)


def badge(st: Style, low: bool = False) -> str:
    return f'<span class="bd {st.cls}{" low" * low}" aria-hidden="true">{esc(st.abbr)}</span>'


def legend(low_confidence: float) -> str:
    items = [f'<li>{badge(s)} <mark class="c {s.cls}">{esc(s.title)}</mark></li>'
             for s in label_styles().values()]
    items.append('<li><span class="bd lx low" aria-hidden="true"></span> <mark class="c lx low">'
                 f"confidence below {low_confidence:.0%}</mark></li>")
    return f'<ul class="legend" aria-label="Legend">{"".join(items)}</ul>'


def _locate(text: str, start: Any, end: Any, want: str) -> tuple[int, int] | None:
    """(start, end) of ``want`` in ``text``: the given offsets when they match (Python str
    offsets, i.e. code points), else the occurrence nearest to them (offsets from a tool that
    counts UTF-16 units or bytes), else None."""
    if not want:
        return None
    s, e = int(start), int(end)
    if 0 <= s < e <= len(text) and text[s:e] == want:
        return s, e
    best, i = None, text.find(want)
    while i != -1:
        if best is None or abs(i - s) < abs(best - s):
            best = i
        i = text.find(want, i + 1)
    return None if best is None else (best, best + len(want))


# ---------------------------------------------------------------------------- article page

@dataclass
class _View:
    """How one claim is shown: its number, style, confidence and where it sits in the text."""
    i: int
    claim: Claim
    style: Style
    score: float | None
    low: bool
    span: tuple[int, int] | None = None
    sid: int = 0  # the source-span id (s1, s2, ...) when the source is underlined, else 0
    note: str = ""

    def tip(self) -> str:
        c, conf = self.claim, ("confidence unknown" if self.score is None
                               else f"{self.score:.0%} confidence")
        who = f" “{c.source.span.text}”" if c.source.span else ""
        return (f"#{self.i} {self.style.title} · {conf}{' · LOW CONFIDENCE' * self.low}"
                f" · source: {_source_title(c.source.type)}{who}")


def _layout(text: str, views: list[_View]) -> list[tuple[int, int, str, int]]:
    """Place claims (sets view.span/sid/note); return the inner spans to nest inside them:
    sources and cues as (start, end, opening tag without ">", source id or 0)."""
    taken = bytearray(len(text) + 1)

    def free(span: tuple[int, int]) -> bool:
        return not any(taken[span[0]:span[1]])

    def take(span: tuple[int, int]) -> None:
        taken[span[0]:span[1]] = b"\1" * (span[1] - span[0])

    for v in sorted(views, key=lambda v: (v.claim.start, -v.claim.end)):
        span = _locate(text, v.claim.start, v.claim.end, v.claim.text)
        if span is None:
            v.note = "not found in the article text"
        elif not free(span):
            v.note = "overlaps an earlier claim, not highlighted"
        else:
            v.span = span
            take(span)
    taken = bytearray(len(text) + 1)
    sids: dict[tuple[int, int], int] = {}
    for v in views:
        sp = v.claim.source.span
        loc = sp and _locate(text, sp.start, sp.end, sp.text)
        if loc and (loc in sids or free(loc)):
            if loc not in sids:
                sids[loc] = len(sids) + 1
                take(loc)
            v.sid = sids[loc]
    members: dict[int, list[_View]] = {}
    for v in views:
        if v.sid:
            members.setdefault(v.sid, []).append(v)
    inner = []
    for (s, e), sid in sids.items():
        vs = members[sid]
        tip = (f"Source ({_source_title(vs[0].claim.source.type)}): {text[s:e]} — claim"
               f"{'s' * (len(vs) > 1)} " + ", ".join(f"#{v.i}" for v in vs))
        inner.append((s, e, f'<a class="src" href="#c{vs[0].i}" data-s="{sid}" title="{esc(tip)}"',
                      sid))
    for v in views:
        cue = v.claim.cue
        loc = cue and _locate(text, cue.start, cue.end, cue.text)
        if loc and free(loc):
            take(loc)
            inner.append((loc[0], loc[1], '<span class="cue" title="attribution cue"', 0))
    return sorted(inner)


def _render_text(text: str, views: list[_View], inner: list[tuple[int, int, str, int]]) -> str:
    """Each placed claim: a badge, a visually hidden description and a <mark> (title = tooltip)
    holding its escaped text, with sources and cues nested inside."""
    outer = []
    for v in sorted((v for v in views if v.span), key=lambda v: v.span):
        t = esc(v.tip())
        sid = f' data-s="{v.sid}"' if v.sid else ""
        outer.append((*v.span, f'{badge(v.style, v.low)}<span class="vh">[{t}]</span><mark '
                      f'id="c{v.i}" class="c {v.style.cls}{" low" * v.low}"{sid} title="{t}">',
                      "</mark>"))
    spans = [(s, e, tag + (f' id="s{sid}">' if sid else ">"), tag + ">",
              "</a>" if sid else "</span>") for s, e, tag, sid in inner]
    return ui.nest_spans(text, outer, spans)


def _fmt(key: str, v: Any) -> str:
    if isinstance(v, dict):
        return "<br>".join(f"{esc(style_of(k).title if k in label_styles() else k)}: {_fmt(key, x)}"
                           for k, x in v.items())
    if isinstance(v, float):
        return pct(v, 1) if "share" in key else f"{v:.3f}"
    return esc(v if isinstance(v, (str, int)) else json.dumps(v))


def _profile_table(profile: dict, views: list[_View]) -> str:
    rows = [(k.replace("_", " ").capitalize(), _fmt(k, v)) for k, v in profile.items()]
    scores = [v.score for v in views if v.score is not None]
    rows.append(("Mean model confidence", pct(sum(scores) / len(scores), 1) if scores else "—"))
    rows.append(("Low-confidence claims", str(sum(v.low for v in views))))
    body = "".join(f'<tr><th scope="row">{esc(k)}</th><td>{v}</td></tr>' for k, v in rows)
    return f'<table aria-label="Article profile"><tbody>{body}</tbody></table>'


def _claims_table(views: list[_View], has_text: bool) -> str:
    rows = []
    for v in views:
        c = v.claim
        who = esc(c.source.span.text) if c.source.span else "—"
        who = f'<a href="#s{v.sid}">{who}</a>' if v.sid else who
        claim = f'<a href="#c{v.i}">{esc(c.text)}</a>' if v.span else esc(c.text)
        claim += f' <span class="tag">{esc(v.note)}</span>' if has_text and v.note else ""
        probs = ", ".join(f"{k} {float(p):.2f}" for k, p in c.scores.items())
        conf = num_td(v.score, pct(v.score) + ' <span class="tag">low</span>' * v.low,
                      f' title="{esc(probs)}"')
        rows.append(f'<tr>{num_td(v.i)}<td data-v="{esc(v.style.title)}">{badge(v.style, v.low)} '
                    f'{esc(v.style.title)}</td>{conf}'
                    f"<td>{esc(_source_title(c.source.type))}</td><td>{who}</td>"
                    f"<td>{esc(c.cue.text) if c.cue else '—'}</td><td class=claim>{claim}</td>"
                    "</tr>\n")
    return ui.sortable_table("Claims", [("#", "num"), ("Label", "str"), ("Confidence", "num"),
                                        ("Source type", "str"), ("Source", "str"), ("Cue", "str"),
                                        ("Claim", "str")], rows)


def render_article(res: ArticleResult, low_confidence: float = 0.6,
                   index_href: str = "../index.html") -> str:
    """The HTML page of one scored article."""
    scores = [None if c.score is None else float(c.score) for c in res.claims]
    views = [_View(i, c, style_of(c.label), s, s is not None and s < low_confidence)
             for i, (c, s) in enumerate(zip(res.claims, scores), 1)]
    meta = list(res.meta.items()) + [("model", " ".join(map(str, res.model.values())) or "—")]
    counts = Counter(v.style.name for v in views)
    parts = [f'<p><a href="{esc(index_href)}">← All articles</a></p><h1>{esc(res.id)}</h1>',
             '<dl class="meta">' + "".join(
                 f"<dt>{esc(k)}</dt><dd>{esc(v if isinstance(v, str) else json.dumps(v))}</dd>"
                 for k, v in meta) + "</dl>"]
    if res.error:
        parts.append(f'<p class="err">Scoring error: {esc(res.error)}</p>')
    parts.append(f"<p>{len(views)} claim{'s' * (len(views) != 1)}: " + ", ".join(
        f"{counts[s.name]} {esc(s.title.lower())}" for s in label_styles().values())
        + f"; {sum(v.low for v in views)} with confidence below {low_confidence:.0%}.</p>")
    parts.append(legend(low_confidence) + '<p class="small muted">A badge before each claim '
                 "names its label; “?” and a dashed outline mark low confidence. <u>Underlined</u> "
                 "words are a source (click to go to its claim); dotted underlines are attribution "
                 "cues. Hover a claim or source for details.</p><h2>Text</h2>")
    if res.text is None:
        parts.append('<p class="note">The scored input has no article text for this article, so '
                     "the claims are listed below without highlighting.</p>")
    else:
        inner = _layout(res.text, views)
        parts.append(f'<div id="text">{_render_text(res.text, views, inner)}</div>'
                     '<div id="bar" role="status">Hover a claim or an underlined source to see its'
                     " label, confidence and source.</div>")
    parts.append("<h2>Profile</h2>" + _profile_table(res.profile, views))
    parts.append("<h2>Claims</h2>" + _claims_table(views, res.text is not None))
    return ui.page(f"{res.id} — claims", "\n".join(parts), label_css(), ui.JS_ARTICLE)
