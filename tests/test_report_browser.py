"""Browser test of the HTML report: Debian's headless Chromium driven by Playwright.

Needs `apt-get install chromium` and `pip install playwright` (never `playwright install`: the
browser is Debian's /usr/bin/chromium). Skipped, with the reason, when either is missing.
Screenshots go to $ANNOTATOR_ARTIFACTS when set, else to the test's tmp_path.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from annotator.labels import claim_labels
from annotator.records import Claim
from annotator.report import write_report
from annotator.score import profile

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]

# A made-up local news story (written for these tests) with hand-set labels and sources.
WATER_TEXT = (
    "Water Rates to Rise 8 Percent in July\n\n"
    "Riverton households will pay about 8 percent more for water from July, the city's utilities "
    "board said on Tuesday. The increase is the first in four years, according to the board's "
    "annual report.\n\n"
    "Board chair Helen Osei said the money would pay for replacing lead pipes in the older "
    "neighbourhoods. “We cannot keep patching a system that was built in the 1950s,” she said.\n\n"
    "A resident who asked not to be named said the board had not explained the plan to tenants. "
    "Landlords could pass the cost on to renters 💧, a housing advocate warned.\n\n"
    "The rise is overdue, and the board deserves credit for finally acting."
)
# (claim text, label, confidence, source type, source text, cue)
WATER_CLAIMS = [
    ("Water Rates to Rise 8 Percent in July", "attributed_fact", 0.74, "author", None, None),
    ("Riverton households will pay about 8 percent more for water from July, the city's "
     "utilities board said on Tuesday.", "official_statement", 0.93, "official",
     "the city's utilities board", "said"),
    ("The increase is the first in four years, according to the board's annual report.",
     "attributed_fact", 0.88, "organization", "the board's annual report", "according to"),
    ("Board chair Helen Osei said the money would pay for replacing lead pipes in the older "
     "neighbourhoods.", "official_statement", 0.81, "official", "Board chair Helen Osei", "said"),
    ("“We cannot keep patching a system that was built in the 1950s,” she said.", "opinion",
     0.52, "official", "she", "said"),
    ("A resident who asked not to be named said the board had not explained the plan to "
     "tenants.", "attributed_fact", 0.77, "anonymous", "A resident who asked not to be named",
     "said"),
    ("Landlords could pass the cost on to renters 💧, a housing advocate warned.", "speculation",
     0.9, "person", "a housing advocate", "warned"),
    ("The rise is overdue, and the board deserves credit for finally acting.", "opinion", 0.96,
     "author", None, None),
]


def make_claim(text, part, label, score, stype="author", stext=None, cue=None) -> dict:
    start = text.index(part)
    src = {"type": stype, "text": None, "start": None, "end": None}
    if stext:
        s = text.index(stext, start)
        src = {"type": stype, "text": stext, "start": s, "end": s + len(stext)}
    cue_d = None
    if cue:
        c = text.index(cue, start)
        cue_d = {"text": cue, "start": c, "end": c + len(cue)}
    rest = (1 - score) / 3
    return {"start": start, "end": start + len(part), "text": part, "label": label,
            "score": score, "scores": {lab: score if lab == label else rest
                                       for lab in claim_labels()},
            "source": src, "cue": cue_d}


def records() -> list[dict]:
    water = [make_claim(WATER_TEXT, *c) for c in WATER_CLAIMS]
    xss = 'The clerk said <script>alert("x")</script><img src=x onerror=alert(1)> was filed.'
    big_sentence = "Officials said the road will reopen in June. "
    big = []
    for i in range(3000):
        s = i * len(big_sentence)
        c = make_claim(big_sentence, big_sentence.strip(), claim_labels()[i % 4],
                       0.4 + (i % 6) / 10, "official", "Officials", "said")
        for key in ("source", "cue"):
            c[key]["start"] += s
            c[key]["end"] += s
        c["start"] += s
        c["end"] += s
        big.append(c)
    model = {"name": "claims-test", "version": "1"}
    recs = [
        {"id": "riverton-water-rates", "model": model, "text": WATER_TEXT,
         "meta": {"publisher": "Riverton Gazette", "date": "2024-05-14"}, "claims": water},
        {"id": "clerk<script>", "model": model, "text": xss, "meta": {"publisher": "<b>Herald</b>"},
         "claims": [make_claim(xss, xss, "attributed_fact", 0.8, "person", "The clerk", "said")]},
        {"id": "road-works", "model": model, "text": big_sentence * 3000,
         "meta": {"publisher": "Riverton Gazette"}, "claims": big},
        {"id": "claims-only", "model": model, "claims": water[:2]},
    ]
    for r in recs:      # the profile `annotator score` would compute
        r["profile"] = profile([Claim.from_dict(c) for c in r["claims"]])
    return recs


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is missing (/usr/bin/chromium): apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is missing: pip install playwright (no `playwright install`)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_report_in_headless_chromium(browser, tmp_path):
    artifacts = Path(os.environ.get("ANNOTATOR_ARTIFACTS") or tmp_path / "artifacts")
    artifacts.mkdir(parents=True, exist_ok=True)
    index = write_report(records(), tmp_path / "report", group_by="publisher")

    context = browser.new_context(viewport={"width": 1200, "height": 900})
    errors, dialogs, outside = [], [], []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  else (outside.append(route.request.url), route.abort()))
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    # Index: opened from disk; sortable columns.
    page.goto(index.as_uri())
    assert page.title() == "Claim report"
    articles = page.locator('table[aria-label="Articles"]')
    header = articles.locator("th", has_text="Mean confidence")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    col = header.evaluate("th => th.cellIndex")
    keys = articles.locator("tbody tr").evaluate_all(
        f"rows => rows.map(r => r.cells[{col}].dataset.v)")
    assert keys == sorted(keys, key=float) and len(keys) == 4
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    page.screenshot(path=str(artifacts / "report-index.png"), full_page=True)

    # Follow a link to an article; hover a claim and read its label.
    page.get_by_role("link", name="riverton-water-rates").click()
    page.wait_for_load_state()
    assert page.url.endswith("/articles/riverton-water-rates.html")
    claim = page.locator("mark#c5")
    assert claim.inner_text().startswith("“We cannot keep patching")
    claim.hover()
    bar = page.locator("#bar")
    assert "#5 Opinion · 52% confidence · LOW CONFIDENCE" in bar.inner_text()
    assert claim.get_attribute("title").startswith("#5 Opinion")
    source = page.locator(f'a.src[data-s="{claim.get_attribute("data-s")}"]')
    assert source.inner_text() == "she" and "hl" in source.get_attribute("class")
    page.locator("mark#c7").hover()
    assert "#7 Speculation · 90% confidence" in bar.inner_text()
    page.locator("a.src", has_text="the city's utilities board").hover()   # a source: its
    assert bar.inner_text().startswith("Source (Official): the city's utilities board")
    assert "hl" in page.locator("mark#c2").get_attribute("class")         # claim outlined
    page.locator("mark#c5").hover()
    page.screenshot(path=str(artifacts / "report-article.png"))
    page.screenshot(path=str(artifacts / "report-article-full.png"), full_page=True)

    # Back to the index, then the article whose text holds a script: shown as text, never run.
    page.get_by_role("link", name="← All articles").click()
    page.get_by_role("link", name="clerk<script>").click()
    page.wait_for_load_state()
    assert '<script>alert("x")</script><img src=x onerror=alert(1)>' in page.locator(
        "#text").inner_text()
    assert page.locator("#text img, #text script").count() == 0

    # An article with thousands of claims loads quickly and still reacts to hovering.
    t0 = time.perf_counter()
    page.goto(index.parent.joinpath("articles", "road-works.html").as_uri())
    assert page.locator("mark.c[id]").count() == 3000
    page.locator("mark#c2999").scroll_into_view_if_needed()
    page.locator("mark#c2999").hover()
    assert "#2999" in bar.inner_text()             # the claim, or its source naming it
    assert time.perf_counter() - t0 < 30

    # Scored output without article text: the claims list, and a note saying why.
    page.goto(index.parent.joinpath("articles", "claims-only.html").as_uri())
    assert "has no article text" in page.locator(".note").inner_text()
    assert page.locator('table[aria-label="Claims"] tbody tr').count() == 2

    context.close()
    assert errors == [], errors
    assert dialogs == [], dialogs
    assert outside == [], outside
    for name in ("report-index.png", "report-article.png"):
        assert (artifacts / name).stat().st_size > 10_000
