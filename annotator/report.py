"""Static HTML report of scored articles: an index with corpus charts, and one page per article.

``write_report(results, out_dir)`` takes ``annotator score`` records (dicts or ArticleResult) and
writes ``index.html`` plus ``articles/*.html`` (each rendered by report_article.py). Pages are
self-contained (inline CSS, JS and SVG, from report_assets.py; nothing is loaded over the network)
and all article text and metadata are escaped. Records are streamed: each article page is written
as its record arrives and only a summary row per article is kept.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from . import report_assets as ui
from .labels import factual_labels, schema
from .records import ArticleResult
# Style and render_article stay importable from here, where callers have always found them
from .report_article import Style, badge, label_css, label_styles, legend, render_article, style_of
from .report_assets import esc, num_td, pct

MISSING = "(missing)"
MAX_GROUPS_CHARTED = 40


class ReportInputError(ValueError):
    """A record that is not a scored article (bad JSON, missing fields, wrong types)."""


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
    styles = list(label_styles().items()) + [(None, style_of(None))]
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
             legend(low_confidence), _charts(total, low_confidence)]
    if group_by:
        parts.append(_groups(group_by, groups))
    elif meta_keys:
        parts.append('<p class="small muted">To compare groups, rerun with --group-by and one of '
                     f"the metadata fields: {esc(', '.join(sorted(meta_keys)))}.</p>")
    heads = [("Article", "str")] + [(esc(group_by), "str")] * bool(group_by) + [("Claims", "num")]
    heads += [(f"{badge(s)}{esc(s.title)}", "num") for s in styles.values()]
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
                 + ", ".join(esc(style_of(k).title.lower()) for k in factual_labels())
                 + ") whose only source is the writer. Anonymous sources: share of claims "
                 "attributed to an anonymous source. Mean confidence: mean model probability of "
                 f"the chosen label. Low confidence: claims below {low_confidence:.0%}. Click a "
                 "column header to sort.</p>")
    return ui.page("Claim report", "\n".join(parts), label_css(), "")


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
