"""Unit tests of the static HTML report (annotator/report.py, annotator/cli_report.py)."""
from __future__ import annotations

import argparse
import json
import re
import time
from html.parser import HTMLParser

import pytest

from annotator.cli_report import add_commands
from annotator.labels import claim_labels, schema
from annotator.records import ArticleResult
from annotator.report import ReportInputError, read_scored, render_article, write_report

VOID = {"meta", "br", "img", "input", "link", "hr", "rect", "line"}


def claim(text: str, part: str, label: str = "attributed_fact", score: float | None = 0.9,
          source: tuple[str, str | None] = ("author", None), cue: str | None = None,
          nth: int = 0) -> dict:
    """A claim dict as `annotator score` writes it; offsets are found in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    end = start + len(part)
    stype, stext = source
    src = {"type": stype, "text": None, "start": None, "end": None}
    if stext is not None:
        s = text.index(stext, start) if stext in text[start:] else text.index(stext)
        src = {"type": stype, "text": stext, "start": s, "end": s + len(stext)}
    cue_d = None
    if cue is not None:
        c = text.index(cue, start) if cue in text[start:] else text.index(cue)
        cue_d = {"text": cue, "start": c, "end": c + len(cue)}
    others = [lab for lab in claim_labels() if lab != label]
    scores = {label: score or 0.0, **{lab: (1 - (score or 0.0)) / len(others) for lab in others}}
    return {"start": start, "end": end, "text": part, "label": label, "score": score,
            "scores": scores, "source": src, "cue": cue_d}


def article(id: str, text: str | None, claims: list[dict], **meta) -> dict:
    d = {"id": id, "model": {"name": "test-model", "version": "1"}, "claims": claims,
         "profile": {"n_claims": len(claims)}}
    if text is not None:
        d["text"] = text
    if meta:
        d["meta"] = meta
    return d


class Page(HTMLParser):
    """Checks that tags nest properly and collects the text inside each element with an id
    (leaving out the claim badges and their visually hidden descriptions)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []
        self.text_by_id: dict[str, str] = {}
        self.ids: list[str] = []
        self.attrs: list[tuple[str, dict]] = []
        self.script_bodies: list[str] = []
        self.feed(html)
        self.close()
        assert not self.stack, f"unclosed tags: {self.stack}"

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.attrs.append((tag, a))
        if "id" in a:
            self.ids.append(a["id"])
            self.text_by_id[a["id"]] = ""
        if tag not in VOID:
            skip = bool({"bd", "vh"} & set((a.get("class") or "").split()))
            self.stack.append((tag, a.get("id"), skip))

    def handle_startendtag(self, tag, attrs):
        self.attrs.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        if any(skip for _, _, skip in self.stack):
            return
        for _, id_, _ in self.stack:
            if id_ is not None:
                self.text_by_id[id_] += data
        if self.stack and self.stack[-1][0] == "script":
            self.script_bodies.append(data)

    def with_class(self, tag: str, cls: str) -> list[dict]:
        return [a for t, a in self.attrs if t == tag and cls in (a.get("class") or "").split()]

    def claims(self) -> list[dict]:
        """The highlighted claims of the article text (not the legend's samples)."""
        return [a for a in self.with_class("mark", "c") if "id" in a]


def page_of(d: dict, **kw) -> tuple[str, Page]:
    html = render_article(ArticleResult.from_dict(d), **kw)
    return html, Page(html)


# ----------------------------------------------------------------------------- escaping

def test_script_and_html_in_article_render_as_text():
    text = ('Mayor says <script>alert("pwned")</script> is fine & <b>bold</b> claims '
            "<img src=x onerror=alert(1)> abound.")
    bad = '<script>alert("pwned")</script> is fine & <b>bold</b> claims'
    d = article("<script>id</script>", text,
                [claim(text, bad, score=0.95, source=("person", "Mayor"), cue="says")],
                publisher='<img src=x onerror="alert(2)">')
    html, page = page_of(d)
    assert "<script>alert" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in html
    assert html.count("<script>") == 1                      # only the page's own inline script
    assert page.text_by_id["c1"] == bad                     # highlighted text is exactly the claim
    assert page.text_by_id["text"] == text                  # the whole article text, unchanged
    assert "&lt;script&gt;id&lt;/script&gt;" in html         # the id too
    assert "onerror=&quot;alert(2)&quot;" in html            # and metadata


def test_hostile_labels_and_source_types_are_escaped():
    text = "Prices rose sharply, a trader said."
    c = claim(text, text, label='"><svg onload=alert(1)>', source=('<i>x</i>', "a trader"))
    html, page = page_of(article("a", text, [c]))
    assert "<svg onload" not in html and "<i>x</i>" not in html
    assert page.text_by_id["c1"] == text


# ----------------------------------------------------------------------------- offsets

def test_astral_and_combined_emoji_offsets_highlight_exact_claim_text():
    text = ("👩‍👩‍👧 Families 🎉 celebrated, Mayor 𝒳avier Ruiz said. 👍🏽 The 🏳️‍🌈 parade "
            "drew 10,000 people, organisers said. Nobody 😀 expected rain.")
    claims = [
        claim(text, "Families 🎉 celebrated, Mayor 𝒳avier Ruiz said.", "official_statement",
              source=("official", "Mayor 𝒳avier Ruiz"), cue="said"),
        claim(text, "The 🏳️‍🌈 parade drew 10,000 people, organisers said.",
              source=("organization", "organisers"), cue="said"),
        claim(text, "Nobody 😀 expected rain.", "opinion", score=0.41),
    ]
    _, page = page_of(article("emoji", text, claims))
    for i, c in enumerate(claims, 1):
        assert page.text_by_id[f"c{i}"] == c["text"]
    assert page.text_by_id["s1"] == "Mayor 𝒳avier Ruiz"
    assert page.text_by_id["s2"] == "organisers"
    assert page.text_by_id["text"] == text


def test_utf16_offsets_from_another_tool_still_find_the_claim():
    text = "🎉🎉🎉 The council voted 5-2 on Monday. It was a close call."
    c = claim(text, "The council voted 5-2 on Monday.")
    c["start"] += 3                      # UTF-16 units: each emoji counts twice
    c["end"] += 3
    _, page = page_of(article("u16", text, [c]))
    assert page.text_by_id["c1"] == c["text"]


def test_claim_not_in_text_is_listed_not_highlighted():
    text = "The bridge reopened on Monday."
    c = claim(text, "The bridge reopened on Monday.")
    c["text"] = "A sentence that is not there."
    html, page = page_of(article("x", text, [c]))
    assert "c1" not in page.ids
    assert "not found in the article text" in html
    assert "A sentence that is not there." in html


def test_overlapping_claims_and_sources_crossing_claims_nest_properly():
    text = "Officials said the dam is safe. Engineers disagree, citing cracks."
    claims = [claim(text, "Officials said the dam is safe.", "official_statement",
                    source=("official", "Officials"), cue="said"),
              claim(text, "the dam is safe. Engineers", "opinion"),          # overlaps claim 1
              claim(text, "Engineers disagree, citing cracks.", "attributed_fact",
                    source=("person", "safe. Engineers"))]                    # crosses claims 1/3
    html, page = page_of(article("nest", text, claims))   # Page() asserts proper nesting
    assert page.text_by_id["c1"] == claims[0]["text"]
    assert page.text_by_id["c3"] == claims[2]["text"]
    assert "c2" not in page.ids and "overlaps an earlier claim" in html
    assert len(page.ids) == len(set(page.ids))            # split source pieces: one id only
    pieces = re.findall(r'<a class="src" [^>]*data-s="2"[^>]*>([^<]*)</a>', html)
    assert pieces == ["safe.", " ", "Engineers"]            # split at both claim edges


# ----------------------------------------------------------------------------- article page

def test_sources_link_to_their_claims_and_back():
    text = ("The plant will close in May, a union official said. "
            "Forty jobs will go, the official added.")
    claims = [claim(text, "The plant will close in May, a union official said.",
                    source=("official", "a union official"), cue="said"),
              claim(text, "Forty jobs will go, the official added.", "speculation",
                    source=("official", "a union official"), cue="added")]
    html, page = page_of(article("links", text, claims))
    (src,) = page.with_class("a", "src")
    assert src["href"] == "#c1" and src["id"] == "s1" and src["data-s"] == "1"
    assert "claims #1, #2" in src["title"]
    marks = page.claims()
    assert [m["data-s"] for m in marks] == ["1", "1"]      # both claims point at the source
    assert html.count('href="#s1"') == 2                   # claims table links back to it
    assert [c["title"] for c in page.with_class("span", "cue")] == ["attribution cue"] * 2


def test_label_confidence_and_low_confidence_are_not_colour_only():
    text = "Taxes will rise. The park is lovely."
    claims = [claim(text, "Taxes will rise.", "speculation", score=0.45),
              claim(text, "The park is lovely.", "opinion", score=0.97)]
    html, page = page_of(article("acc", text, claims), low_confidence=0.6)
    m1, m2 = page.claims()
    assert "low" in m1["class"].split() and "low" not in m2["class"].split()
    assert m1["title"].startswith("#1 Speculation · 45% confidence · LOW CONFIDENCE")
    assert m2["title"].startswith("#2 Opinion · 97% confidence")
    badges = [a for t, a in page.attrs if t == "span" and "bd" in a.get("class", "")]
    assert badges and all(b["aria-hidden"] == "true" for b in badges)
    assert ">SP</span>" in html and ">OP</span>" in html   # visible label abbreviations
    hidden = re.findall(r'<span class="vh">\[([^\]]*)\]</span>', html)
    assert hidden[0].startswith("#1 Speculation · 45% confidence · LOW CONFIDENCE")
    for item in schema()["labels"]:                        # colours come from the schema
        assert item["color"] in html


def test_article_without_text_lists_claims_and_says_so():
    d = article("notext", None, [{"start": 0, "end": 5, "text": "Rain.", "label": "opinion",
                                  "score": 0.8, "scores": {}, "source": {"type": "author"},
                                  "cue": None}])
    html, page = page_of(d)
    assert 'id="text"' not in html
    assert "has no article text" in html
    assert "Rain." in html


def test_profile_is_shown():
    text = "It rained."
    d = article("p", text, [claim(text, text)])
    d["profile"] = {"n_claims": 1, "label_counts": {"attributed_fact": 1},
                    "unsourced_fact_share": 1.0, "anonymous_source_share": 0.0}
    html, _ = page_of(d)
    assert "Unsourced fact share" in html and "100.0%" in html
    assert "Attributed fact: 1" in html


# ----------------------------------------------------------------------------- report / index

def corpus() -> list[dict]:
    t1 = "Rents rose 9 percent, the city said. A tenant who declined to be named called it theft."
    t2 = "The ferry was late again. It will probably be late tomorrow."
    t3 = "Turnout was 61 percent."
    return [
        article("rents", t1, [
            claim(t1, "Rents rose 9 percent, the city said.", "official_statement", 0.92,
                  ("official", "the city"), "said"),
            claim(t1, "A tenant who declined to be named called it theft.", "opinion", 0.55,
                  ("anonymous", "A tenant who declined to be named"), "called")],
                publisher="Gazette"),
        article("ferry", t2, [claim(t2, "The ferry was late again.", score=0.81),
                              claim(t2, "It will probably be late tomorrow.", "speculation", 0.7)],
                publisher="Herald"),
        article("turnout", t3, [claim(t3, t3, score=0.99)]),
    ]


def read(path) -> str:
    return path.read_text(encoding="utf-8")


def test_write_report_index_rows_sorting_data_and_links(tmp_path):
    index = write_report(corpus(), tmp_path / "rep")
    assert index == tmp_path / "rep" / "index.html"
    html = read(index)
    page = Page(html)
    assert page.with_class("table", "sortable")
    heads = [a for t, a in page.attrs if t == "th" and a.get("data-type") in ("num", "str")]
    assert len(heads) >= 9 and html.count('<button type="button">') >= 9
    rows = re.findall(r"<tr><td data-v=\"(\w+)\">.*?</tr>", html)
    assert rows == ["rents", "ferry", "turnout"]
    ferry = re.search(r'<tr><td data-v="ferry">.*?</tr>', html)[0]
    # claims 2, per label 1/0/0/1, unsourced factual 1/1, anonymous 0/2, mean conf .755, low 0
    assert re.findall(r'data-v="([^"]*)"', ferry)[1:] == [
        "2", "1", "0", "0", "1", "1", "0", "0.755", "0"]
    rents = re.search(r'<tr><td data-v="rents">.*?</tr>', html)[0]
    assert 'data-v="0"' in rents and 'data-v="0.5"' in rents  # unsourced 0, anonymous 1/2
    for href in re.findall(r'href="(articles/[^"]+)"', html):
        assert (tmp_path / "rep" / href).is_file()
    assert "Label distribution" in html and "Source-type distribution" in html
    assert "Confidence histogram" in html and html.count("<svg") == 3
    assert "--group-by" in html and "publisher" in html     # hint: metadata fields present


def test_group_by_profile_per_publisher(tmp_path):
    html = read(write_report(corpus(), tmp_path, group_by="publisher"))
    assert "Profile per publisher" in html and html.count("<svg") == 4
    table = html[html.index('aria-label="Profile per publisher"'):]
    groups = re.findall(r"<tr><td>([^<]*)</td>", table[:table.index("</table>")])
    assert groups == ["Gazette", "Herald", "(missing)"]
    assert "Label shares per group" in html


def test_group_by_dotted_path_and_absent_field(tmp_path):
    html = read(write_report(corpus(), tmp_path / "a", group_by="model.version"))
    assert re.search(r"<tr><td>1</td>", html)
    html = read(write_report(corpus(), tmp_path / "b", group_by="nonexistent"))
    assert "No article has a metadata field" in html


def test_many_groups_chart_is_capped(tmp_path):
    recs = [article(f"a{i}", "x.", [claim("x.", "x.")], publisher=f"P{i:03d}") for i in range(60)]
    html = read(write_report(recs, tmp_path, group_by="publisher"))
    chart = html[html.index("Label shares per group"):html.index("</figure>",
                                                                  html.index("Label shares"))]
    assert chart.count("<rect") <= 40 and "groups with most claims" in html
    assert html.count("<tr><td>P0") == 60                   # the table keeps every group


def test_accepts_article_results_dedupes_file_names_and_is_self_contained(tmp_path):
    recs = [ArticleResult.from_dict(d) for d in corpus()] + [corpus()[0], article("Rents", "", [])]
    out = tmp_path / "rep"
    write_report(recs, out)
    files = sorted(p.name for p in (out / "articles").iterdir())
    assert files == ["Rents-3.html", "ferry.html", "rents-2.html", "rents.html", "turnout.html"]
    for p in [out / "index.html", *(out / "articles").iterdir()]:
        html = read(p)
        Page(html)
        assert not re.search(r"https?:|<link|@import|url\(|\ssrc=", html), p


def test_empty_input_writes_an_empty_report(tmp_path):
    html = read(write_report([], tmp_path))
    assert "0 articles" in html and "No articles." in html


def test_thousands_of_claims_stay_light(tmp_path):
    sentence = "Officials said the road 🚧 will reopen in June. "
    text = sentence * 5000
    claims = []
    for i in range(5000):
        s = i * len(sentence)
        claims.append({"start": s, "end": s + len(sentence) - 1, "text": sentence[:-1],
                       "label": claim_labels()[i % 4], "score": 0.3 + (i % 7) / 10,
                       "scores": {}, "source": {"type": "official", "text": "Officials",
                                                "start": s, "end": s + 9},
                       "cue": {"text": "said", "start": s + 10, "end": s + 14}})
    t0 = time.perf_counter()
    write_report([article("big", text, claims)], tmp_path)
    elapsed = time.perf_counter() - t0
    html = read(tmp_path / "articles" / "big.html")
    assert elapsed < 20, elapsed
    assert html.count('<mark id="c') == 5000
    assert html.count("<script") == 1                       # one inline script, no per-claim JS
    assert not re.search(r"\son(mouse|click|focus)\w*=", html)   # no inline handlers
    assert len(html.encode()) / 5000 < 2500                  # bytes per claim stay modest
    page = Page(html)
    assert page.text_by_id["c4999"] == sentence[:-1]
    assert page.text_by_id["s5000"] == "Officials"


# ----------------------------------------------------------------------------- reading + CLI

def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def run_cli(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="annotator")
    add_commands(ap.add_subparsers(dest="cmd", required=True))
    a = ap.parse_args(argv)
    return a.func(a)


def test_read_scored_reports_bad_lines(tmp_path):
    p = tmp_path / "s.jsonl"
    p.write_text(json.dumps(corpus()[0]) + "\n\n{not json\n", encoding="utf-8")
    it = read_scored(p)
    assert next(it).id == "rents"
    with pytest.raises(ReportInputError, match=r"line 3: invalid JSON"):
        next(it)
    p.write_text('{"id": "x", "claims": [{"start": 1}]}\n', encoding="utf-8")
    with pytest.raises(ReportInputError, match=r"line 1: not a scored article"):
        list(read_scored(p))


def test_cli_writes_report(tmp_path, capsys):
    scored = write_jsonl(tmp_path / "scored.jsonl", corpus())
    out = tmp_path / "report"
    assert run_cli(["report", str(scored), "-o", str(out), "--group-by", "publisher"]) == 0
    assert (out / "index.html").is_file() and len(list((out / "articles").iterdir())) == 3
    assert capsys.readouterr().out.strip() == str(out / "index.html")


@pytest.mark.parametrize("content,message", [
    (None, "cannot read .*: No such file or directory"),
    ("[1, 2]\n", r"line 1: not a JSON object"),
    ('{"id": "a", "claims": []}\nnot json\n', r"line 2: invalid JSON"),
    (b"\xff\xfe\x00garbage\n", r"not UTF-8"),
    ('{"id": "a", "claims": [{"text": "x"}]}\n', r"line 1: not a scored article"),
])
def test_cli_bad_input_is_one_line_error_and_exit_2(tmp_path, capsys, content, message):
    p = tmp_path / "in.jsonl"
    if isinstance(content, bytes):
        p.write_bytes(content)
    elif content is not None:
        p.write_text(content, encoding="utf-8")
    assert run_cli(["report", str(p), "-o", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("annotator: ") and err.count("\n") == 1, err
    assert re.search(message, err), err


def test_cli_rejects_bad_threshold(tmp_path):
    with pytest.raises(SystemExit) as e:
        run_cli(["report", "x.jsonl", "-o", str(tmp_path), "--low-confidence", "2"])
    assert e.value.code == 2
