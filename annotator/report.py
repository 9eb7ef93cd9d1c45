"""Static HTML report of scored articles: an index with corpus charts, and one page per article.

``write_report(results, out_dir)`` takes ``annotator score`` records (dicts or ArticleResult) and
writes ``index.html`` plus ``articles/*.html``. Pages are self-contained (inline CSS, JS and SVG,
from report_assets.py; nothing is loaded over the network) and all article text and metadata are
escaped. Records are streamed: each article page is written as its record arrives and only a
summary row per article is kept. Claims are plain <mark> elements (no per-claim script), so a
page stays usable with thousands of claims.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from . import report_assets as ui
from .labels import factual_labels, schema
from .records import ArticleResult, Claim
from .report_assets import esc, num_td, pct

MISSING = "(missing)"
MAX_GROUPS_CHARTED = 40


class ReportInputError(ValueError):
    """A record that is not a scored article (bad JSON, missing fields, wrong types)."""


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


def _style(label: str | None) -> Style:
    styles = label_styles()
    if label in styles:
        return styles[label]
    return Style(str(label), "Unlabeled" if label is None else str(label), "#767676", "??", "lx")


def _source_title(stype: str) -> str:
    return next((s["title"] for s in schema()["source_types"] if s["name"] == stype), stype)


def _css() -> str:
    """Per-label colour variables (badge, underline, translucent background) from the schema."""
    styles = list(label_styles().values()) + [_style(None)]
    return "\n".join(f".{s.cls}{{--c:{s.color};--bg:{s.color}38;--on:{ui.on_color(s.color)}}}"
                     for s in styles)


def _badge(st: Style, low: bool = False) -> str:
    return f'<span class="bd {st.cls}{" low" * low}" aria-hidden="true">{esc(st.abbr)}</span>'


def _legend(low_confidence: float) -> str:
    items = [f'<li>{_badge(s)} <mark class="c {s.cls}">{esc(s.title)}</mark></li>'
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
        outer.append((*v.span, f'{_badge(v.style, v.low)}<span class="vh">[{t}]</span><mark '
                      f'id="c{v.i}" class="c {v.style.cls}{" low" * v.low}"{sid} title="{t}">',
                      "</mark>"))
    spans = [(s, e, tag + (f' id="s{sid}">' if sid else ">"), tag + ">",
              "</a>" if sid else "</span>") for s, e, tag, sid in inner]
    return ui.nest_spans(text, outer, spans)


def _fmt(key: str, v: Any) -> str:
    if isinstance(v, dict):
        return "<br>".join(f"{esc(_style(k).title if k in label_styles() else k)}: {_fmt(key, x)}"
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
        rows.append(f'<tr>{num_td(v.i)}<td data-v="{esc(v.style.title)}">{_badge(v.style, v.low)} '
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
    views = [_View(i, c, _style(c.label), s, s is not None and s < low_confidence)
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
    parts.append(_legend(low_confidence) + '<p class="small muted">A badge before each claim '
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
    return ui.page(f"{res.id} — claims", "\n".join(parts), _css(), ui.JS_ARTICLE)


# ---------------------------------------------------------------------------- index page

@dataclass
class _Agg:
    """Counts pooled over the claims of a set of articles (one article, a group, the corpus)."""
    articles: int = 0
    labels: Counter = field(default_factory=Counter)
    sources: Counter = field(default_factory=Counter)
    factual: int = 0
    unsourced: int = 0
    anonymous: int = 0
    scores: list[float] = field(default_factory=list)

    @property
    def n(self) -> int:
        return sum(self.labels.values())

    def add(self, res: ArticleResult) -> "_Agg":
        self.articles += 1
        fact = set(factual_labels())
        for c in res.claims:
            self.labels[c.label] += 1
            self.sources[c.source.type] += 1
            self.factual += c.label in fact
            self.unsourced += c.label in fact and c.source.type == "author"
            self.anonymous += c.source.type == "anonymous"
            if c.score is not None:
                self.scores.append(float(c.score))
        return self

    def shares(self) -> tuple[float | None, float | None, float | None]:
        """Unsourced share of factual claims, anonymous share of claims, mean confidence."""
        return (self.unsourced / self.factual if self.factual else None,
                self.anonymous / self.n if self.n else None,
                sum(self.scores) / len(self.scores) if self.scores else None)

    def share(self, label: str | None) -> float | None:
        return self.labels[label] / self.n if self.n else None


def _group_value(res: ArticleResult, key: str) -> str:
    """meta[key], or a dotted path into the record (e.g. model.version)."""
    if key in res.meta:
        v = res.meta[key]
    else:
        v = res.to_dict() | {"meta": res.meta}
        for part in key.split("."):
            v = v.get(part) if isinstance(v, dict) else None
    if v is None or v == "":
        return MISSING
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)


def _charts(total: _Agg, low_confidence: float) -> str:
    n, styles = total.n or 1, label_styles()
    labs = [(s.title, total.labels[k], s.color, f"{total.labels[k]} ({total.labels[k] / n:.0%})")
            for k, s in styles.items()]
    other = total.n - sum(total.labels[k] for k in styles)
    labs += [("Unlabeled/other", other, "#767676", str(other))] if other else []
    stypes = {s["name"]: (s["title"], s["color"]) for s in schema()["source_types"]}
    stypes |= {t: (t, "#767676") for t in total.sources if t not in stypes}
    srcs = [(title, total.sources[t], col, f"{total.sources[t]} ({total.sources[t] / n:.0%})")
            for t, (title, col) in stypes.items()]
    return ('<h2>Corpus</h2><div class="charts">' + ui.bar_chart("Label distribution", labs)
            + ui.bar_chart("Source-type distribution", srcs)
            + ui.histogram(total.scores, low_confidence) + "</div>")


def _groups(group_by: str, groups: dict[str, _Agg]) -> str:
    head = f"<h2>Profile per {esc(group_by)}</h2>"
    if set(groups) <= {MISSING}:
        return head + f'<p class="note">No article has a metadata field “{esc(group_by)}”.</p>'
    styles = list(label_styles().items()) + [(None, _style(None))]
    ordered = sorted(groups.items(), key=lambda kv: (-kv[1].n, kv[0]))
    more = (f" The chart shows the {MAX_GROUPS_CHARTED} groups with most claims."
            if len(ordered) > MAX_GROUPS_CHARTED else "")
    chart = ui.stacked_chart("Label shares per group", [
        (name, [(agg.share(k) or 0.0, st.color, st.title, st.abbr) for k, st in styles])
        for name, agg in ordered[:MAX_GROUPS_CHARTED]])
    rows = []
    for name, agg in ordered:
        u, a, m = agg.shares()
        rows.append(f"<tr><td>{esc(name)}</td>{num_td(agg.articles)}{num_td(agg.n)}" + "".join(
            num_td(agg.share(k), pct(agg.share(k))) for k, _ in styles[:-1])
            + f"{num_td(u, pct(u))}{num_td(a, pct(a))}{num_td(m, pct(m))}</tr>\n")
    table = ui.sortable_table(
        f"Profile per {group_by}", [(esc(group_by), "str"), ("Articles", "num"), ("Claims", "num")]
        + [(esc(s.title), "num") for _, s in styles[:-1]]
        + [("Unsourced factual", "num"), ("Anonymous sources", "num"), ("Mean confidence", "num")],
        rows)
    return (head + f'<p class="small muted">Shares pooled over each group’s claims.{more}</p>'
            + chart + table)


def render_index(rows: list[dict], total: _Agg, groups: dict[str, _Agg], group_by: str | None,
                 low_confidence: float, meta_keys: Iterable[str] = (),
                 models: Iterable[str] = ()) -> str:
    styles = label_styles()
    parts = ["<h1>Claim report</h1>",
             f"<p>{total.articles} article{'s' * (total.articles != 1)}, {total.n} claims"
             + (f"; model {esc(', '.join(sorted(models)))}" if models else "") + ".</p>",
             _legend(low_confidence), _charts(total, low_confidence)]
    if group_by:
        parts.append(_groups(group_by, groups))
    elif meta_keys:
        parts.append('<p class="small muted">To compare groups, rerun with --group-by and one of '
                     f"the metadata fields: {esc(', '.join(sorted(meta_keys)))}.</p>")
    heads = [("Article", "str")] + [(esc(group_by), "str")] * bool(group_by) + [("Claims", "num")]
    heads += [(f"{_badge(s)}{esc(s.title)}", "num") for s in styles.values()]
    heads += [("Unsourced factual", "num"), ("Anonymous sources", "num"),
              ("Mean confidence", "num"), ("Low confidence", "num")]
    trs = []
    for r in rows:
        tags = "".join(f'<span class="tag">{t}</span>' for t in r["tags"])
        link = f'<a href="{r["href"]}">{esc(r["id"])}</a>'
        group = f'<td>{esc(r["group"])}</td>' if group_by else ""
        trs.append(f'<tr><td data-v="{esc(r["id"])}">{link}{tags}</td>{group}' + num_td(r["n"])
                   + "".join(num_td(r["labels"][k]) for k in styles)
                   + "".join(num_td(r[k], pct(r[k])) for k in ("unsourced", "anon", "conf"))
                   + num_td(r["low"]) + "</tr>\n")
    parts.append("<h2>Articles</h2>" + ("<p>No articles.</p>" if not rows else "")
                 + ui.sortable_table("Articles", heads, trs))
    parts.append('<p class="small muted">Unsourced factual: share of factual claims ('
                 + ", ".join(esc(_style(k).title.lower()) for k in factual_labels())
                 + ") whose only source is the writer. Anonymous sources: share of claims "
                 "attributed to an anonymous source. Mean confidence: mean model probability of "
                 f"the chosen label. Low confidence: claims below {low_confidence:.0%}. Click a "
                 "column header to sort.</p>")
    return ui.page("Claim report", "\n".join(parts), _css(), "")


# ---------------------------------------------------------------------------- writing

def _coerce(r: dict | ArticleResult, where: str) -> ArticleResult:
    if isinstance(r, ArticleResult):
        return r
    try:
        res = ArticleResult.from_dict(r)
        if not isinstance(res.text, (str, type(None))):
            raise TypeError("text is not a string")
        for c in res.claims:
            float(c.score if c.score is not None else 0)
            for part in (c.text, c.source.span and c.source.span.text, c.cue and c.cue.text):
                if not isinstance(part, (str, type(None))):
                    raise TypeError(f"claim {c.start}-{c.end}: a span text is not a string")
        return res
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ReportInputError(f"{where}: not a scored article ({type(e).__name__}: {e})"
                               ) from None


def write_report(results: Iterable[dict | ArticleResult], out_dir: str | Path,
                 group_by: str | None = None, low_confidence: float = 0.6) -> Path:
    """Write ``out_dir/index.html`` and one ``out_dir/articles/*.html`` page per result; return
    the index path. ``group_by``: a metadata field (or dotted path such as ``model.version``) to
    profile groups by; claims with confidence below ``low_confidence`` are marked."""
    out = Path(out_dir)
    (out / "articles").mkdir(parents=True, exist_ok=True)
    rows, total, groups, used = [], _Agg(), {}, set()
    meta_keys, models = set(), set()
    for n, r in enumerate(results, 1):
        res = _coerce(r, f"record {n}")
        slug = re.sub(r"[^A-Za-z0-9_-]+", "-", res.id).strip("-")[:80] or "article"
        name, k = slug, 1
        while name.lower() in used:   # unique even on case-insensitive file systems
            k += 1
            name = f"{slug}-{k}"
        used.add(name.lower())
        (out / "articles" / f"{name}.html").write_text(render_article(res, low_confidence),
                                                       encoding="utf-8")
        one = _Agg().add(res)
        total.add(res)
        group = _group_value(res, group_by) if group_by else None
        if group_by:
            groups.setdefault(group, _Agg()).add(res)
        meta_keys |= set(res.meta)
        models.add(" ".join(map(str, res.model.values())))
        u, a, m = one.shares()
        rows.append({"id": res.id, "href": f"articles/{name}.html", "group": group, "n": one.n,
                     "labels": one.labels, "unsourced": u, "anon": a, "conf": m,
                     "low": sum(s < low_confidence for s in one.scores),
                     "tags": ["no text"] * (res.text is None) + ["error"] * bool(res.error)})
    index = out / "index.html"
    index.write_text(render_index(rows, total, groups, group_by, low_confidence, meta_keys,
                                  models - {""}), encoding="utf-8")
    return index


def read_scored(path: str | Path) -> Iterator[ArticleResult]:
    """The records of an ``annotator score`` JSONL file ("-" for stdin). The file is opened at
    once (OSError if it cannot be); a bad line raises ReportInputError naming it on iteration."""
    f = sys.stdin if str(path) == "-" else open(path, encoding="utf-8")

    def records() -> Iterator[ArticleResult]:
        lineno = 0
        try:
            for lineno, line in enumerate(f, 1):
                if line.strip():
                    d = json.loads(line)
                    if not isinstance(d, dict):
                        raise ValueError("not a JSON object")
                    yield _coerce(d, f"{path}, line {lineno}")
        except UnicodeDecodeError as e:
            raise ReportInputError(f"{path}, line {lineno + 1}: not UTF-8 ({e.reason})") from None
        except json.JSONDecodeError as e:
            raise ReportInputError(f"{path}, line {lineno}: invalid JSON ({e.msg})") from None
        except ReportInputError:
            raise
        except ValueError as e:
            raise ReportInputError(f"{path}, line {lineno}: {e}") from None
        finally:
            if f is not sys.stdin:
                f.close()
    return records()
