"""Inline CSS and JavaScript for the static HTML report (report.py, report_article.py).

Everything here is embedded into each page: the report must open from disk with no network,
so there are no external scripts, stylesheets or fonts. The JavaScript is a few delegated
event listeners per page, never one per claim, so pages stay light with thousands of claims.
Per-label colours are not here: report_article.py generates them from labels/schema.json.
The SVG chart builders at the end take plain numbers and colours, so they know nothing of
records.
"""
from __future__ import annotations

import html
from bisect import bisect_right

CSS = """
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
 color:#1b1b1b;background:#fff;margin:0 auto;max-width:76rem;padding:1rem 1.5rem 5rem}
h1{font-size:1.5rem;margin:.4rem 0 .6rem;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:1.8rem 0 .6rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
a{color:#0b5394}
.muted{color:#555}.small{font-size:.85rem}
.note{background:#fff8e1;border-left:4px solid #b26a00;padding:.5rem .8rem;margin:.8rem 0}
.err{background:#fdecea;border-left:4px solid #b3261e;padding:.5rem .8rem;margin:.8rem 0}
.tag{font-size:.75rem;border:1px solid #888;border-radius:3px;padding:0 .3rem;margin-left:.4rem;
 color:#444;white-space:nowrap}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.4rem 0}
dl.meta dt{font-weight:600}dl.meta dd{margin:0;overflow-wrap:anywhere}
ul.legend{list-style:none;padding:0;margin:.4rem 0;display:flex;flex-wrap:wrap;gap:.3rem 1.2rem}
ul.legend li{white-space:nowrap}
#text{white-space:pre-wrap;overflow-wrap:anywhere;font-size:1.05rem;line-height:2;max-width:50rem;
 margin:.5rem 0}
mark.c{color:inherit;background:var(--bg);border-bottom:3px solid var(--c);padding:1px 0;
 border-radius:2px}
mark.c.low{border-bottom-style:dashed;outline:1px dashed #555;outline-offset:1px}
.bd{display:inline-block;font:700 .62rem/1.25 system-ui,sans-serif;letter-spacing:.02em;
 background:var(--c);color:var(--on);border-radius:3px;padding:0 .22rem;margin:0 .12rem 0 .05rem;
 vertical-align:.35em;white-space:nowrap}
.bd.low::after{content:"?"}
a.src{color:inherit;text-decoration:underline;text-decoration-thickness:2px;
 text-underline-offset:.25em}
.cue{text-decoration:underline dotted 1px;text-underline-offset:.25em}
.hl{outline:3px solid #1b1b1b!important;outline-offset:1px}
:target{outline:3px solid #1b1b1b;outline-offset:2px}
.vh{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);
 white-space:nowrap;margin:-1px;padding:0;border:0}
#bar{position:sticky;bottom:0;background:#1b1b1b;color:#fff;padding:.45rem 1rem;margin:1rem 0;
 border-radius:4px;font-size:.9rem;min-height:2.2rem;z-index:5}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border-bottom:1px solid #e3e3e3;padding:.25rem .55rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
thead th{background:#f4f4f4;position:sticky;top:0;z-index:1}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;
 color:inherit;text-align:inherit}
th button::after{content:" \\2195";color:#888}
th[aria-sort=ascending] button::after{content:" \\25B2";color:#1b1b1b}
th[aria-sort=descending] button::after{content:" \\25BC";color:#1b1b1b}
tbody tr:hover{background:#f7f7f7}
td.claim{max-width:38rem}
table[aria-label=Articles] td:first-child{min-width:9rem}
.charts{display:flex;flex-wrap:wrap;gap:1rem 2.5rem}
figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}
svg text{font:12px system-ui,sans-serif;fill:#1b1b1b}
"""

# Sortable tables: click a header button; cells carry their sort key in data-v.
# Empty keys (no value) always sort last.
JS_SORT = """
(function(){
document.querySelectorAll('table.sortable').forEach(function(tb){
 var ths=tb.tHead.rows[0].cells;
 Array.prototype.forEach.call(ths,function(th,i){
  var b=th.querySelector('button'); if(!b)return;
  b.addEventListener('click',function(){
   var asc=th.getAttribute('aria-sort')!=='ascending', num=th.getAttribute('data-type')==='num';
   Array.prototype.forEach.call(ths,function(h){h.removeAttribute('aria-sort');});
   th.setAttribute('aria-sort',asc?'ascending':'descending');
   var body=tb.tBodies[0], rows=Array.prototype.slice.call(body.rows);
   function key(r){var c=r.cells[i],v=c.getAttribute('data-v');
    if(v===null)v=c.textContent.trim(); return v===''?null:(num?parseFloat(v):v.toLowerCase());}
   var keyed=rows.map(function(r){return [key(r),r];});
   keyed.sort(function(a,b){var x=a[0],y=b[0];
    if(x===null||y===null)return x===y?0:(x===null?1:-1);
    var d=num?x-y:(x<y?-1:(x>y?1:0)); return asc?d:-d;});
   var f=document.createDocumentFragment(); keyed.forEach(function(k){f.appendChild(k[1]);});
   body.appendChild(f);
  });
 });
});
})();
"""

# Article page: one delegated listener shows the hovered/focused claim or source in the bar
# at the bottom of the page and outlines the claims a source is linked to (and vice versa).
JS_ARTICLE = """
(function(){
var bar=document.getElementById('bar'), text=document.getElementById('text'), lit=[];
if(!bar||!text)return;
var idle=bar.textContent;
function clear(){lit.forEach(function(e){e.classList.remove('hl');});lit=[];}
function light(sel){document.querySelectorAll(sel).forEach(function(e){
 e.classList.add('hl');lit.push(e);});}
function show(ev){
 var t=ev.target.closest?ev.target.closest('mark.c,a.src'):null;
 clear(); if(!t){bar.textContent=idle;return;}
 bar.textContent=t.getAttribute('title')||'';
 var s=t.getAttribute('data-s');
 if(s){light((t.tagName==='A'?'mark.c':'a.src')+'[data-s="'+s+'"]');}
}
text.addEventListener('mouseover',show);
text.addEventListener('focusin',show);
text.addEventListener('mouseleave',function(){clear();bar.textContent=idle;});
})();
"""


# ------------------------------------------------------------- generic HTML helpers

def esc(value) -> str:
    return html.escape(str(value), quote=True)


def pct(v: float | None, digits: int = 0) -> str:
    return "—" if v is None else f"{v * 100:.{digits}f}%"


def on_color(hex_color: str) -> str:
    """Black or white text, whichever contrasts more with the background (WCAG luminance)."""
    rgb = [int(hex_color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lum = sum(w * (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
              for w, c in zip((0.2126, 0.7152, 0.0722), rgb))
    return "#000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#fff"


def page(title: str, body: str, css: str, script: str) -> str:
    """A complete standalone page: CSS and script inline, nothing loaded from elsewhere."""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}{css}\n</style>\n</head>\n<body>\n"
            f"{body}\n<script>{JS_SORT}{script}</script>\n</body>\n</html>\n")


NUM = ' class="n"'


def sortable_table(label: str, headers: list[tuple[str, str]], rows: list[str]) -> str:
    """headers: (html, "num" | "str" | "") pairs, "" for not sortable; rows: <tr> strings."""
    ths = "".join(f'<th scope="col"{NUM if k == "num" else ""} data-type="{k}">'
                  + (f'<button type="button">{h}</button>' if k else h) + "</th>"
                  for h, k in headers)
    return (f'<table class="sortable" aria-label="{esc(label)}"><thead><tr>{ths}</tr></thead>'
            f'<tbody>\n{"".join(rows)}</tbody></table>')


def num_td(value: float | None, shown: str | None = None, attrs: str = "") -> str:
    """A numeric cell sorting on ``value``; None shows as a dash and sorts last."""
    shown = ("—" if value is None else str(value)) if shown is None else shown
    key = "" if value is None else f"{value:.6g}"
    return f'<td class="n" data-v="{key}"{attrs}>{shown}</td>'


def nest_spans(text: str, outer: list[tuple], inner: list[tuple]) -> str:
    """Escaped ``text`` with two layers of spans as properly nested HTML.

    outer: sorted, non-overlapping (start, end, opening html, closing html);
    inner: sorted, non-overlapping (start, end, first opening, later opening, closing). An inner
    span that crosses an outer edge is split; its later pieces use the "later opening" (e.g.
    without the id). Cost is O(n log n) in the number of spans: no per-span scanning of the text.
    """
    bounds = sorted({0, len(text)} | {x for p in outer for x in p[:2]}
                    | {x for p in inner for x in p[:2]})
    ostarts, istarts = [p[0] for p in outer], [p[0] for p in inner]

    def at(items: list[tuple], starts: list[int], pos: int) -> int | None:
        k = bisect_right(starts, pos) - 1
        return k if k >= 0 and items[k][1] > pos else None

    out: list[str] = []
    cur_o = cur_i = None
    opened: set[int] = set()
    for a, b in zip(bounds, bounds[1:]):
        o, i = at(outer, ostarts, a), at(inner, istarts, a)
        if (o, i) != (cur_o, cur_i):
            if cur_i is not None:
                out.append(inner[cur_i][4])
            if o != cur_o:
                out.append("" if cur_o is None else outer[cur_o][3])
                out.append("" if o is None else outer[o][2])
            if i is not None:
                out.append(inner[i][3] if i in opened else inner[i][2])
                opened.add(i)
            cur_o, cur_i = o, i
        out.append(esc(text[a:b]))
    out.append("" if cur_i is None else inner[cur_i][4])
    out.append("" if cur_o is None else outer[cur_o][3])
    return "".join(out)


# ---------------------------------------------------------------- inline SVG charts (no JS)

def _figure(title: str, desc: str, width: float, height: float, inner: str) -> str:
    return (f'<figure><figcaption>{esc(title)}</figcaption><svg role="img" '
            f'aria-label="{esc(desc)}" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">{inner}</svg></figure>')


def bar_chart(title: str, items: list[tuple[str, float, str, str]], width: int = 460) -> str:
    """Horizontal bars; items are (label, value, colour, value as shown). Values are printed
    next to the bars, so the chart does not rely on colour."""
    top = max([v for _, v, _, _ in items] + [1e-9])
    h, lw = 24, 150
    bw = width - lw - 100
    rows = [f'<text x="{lw - 8}" y="{i * h + 16}" text-anchor="end">{esc(lab)}</text>'
            f'<rect x="{lw}" y="{i * h + 4}" width="{max(v / top * bw, .5):.1f}" height="{h - 8}" '
            f'fill="{col}" stroke="#333" stroke-width=".5"/>'
            f'<text x="{lw + v / top * bw + 6:.1f}" y="{i * h + 16}">{esc(shown)}</text>'
            for i, (lab, v, col, shown) in enumerate(items)]
    desc = f"{title}: " + "; ".join(f"{lab} {shown}" for lab, _, _, shown in items)
    return _figure(title, desc, width, len(items) * h + 4, "".join(rows))


def histogram(scores: list[float], low: float, width: int = 460, height: int = 200) -> str:
    """Ten-bin histogram of confidences in [0, 1] with the low-confidence threshold dashed."""
    bins = [0] * 10
    for s in scores:
        bins[min(max(int(s * 10), 0), 9)] += 1
    top, x0, y0 = max(bins + [1]), 40, 36
    pw, ph = width - 60, height - y0 - 40
    bw = pw / 10
    out = [f'<line x1="{x0}" x2="{x0 + pw}" y1="{y0 + ph}" y2="{y0 + ph}" stroke="#333"/>']
    for i, n in enumerate(bins):
        bh = n / top * ph
        fill = "#CC79A7" if (i + 1) / 10 <= low + 1e-9 else "#0072B2"
        out.append(f'<rect x="{x0 + i * bw + 1:.1f}" y="{y0 + ph - bh:.1f}" width="{bw - 2:.1f}" '
                   f'height="{bh:.1f}" fill="{fill}"><title>{i / 10:.1f}–{(i + 1) / 10:.1f}: '
                   f'{n} claims</title></rect>')
        if n:
            out.append(f'<text x="{x0 + (i + .5) * bw:.1f}" y="{y0 + ph - bh - 4:.1f}" '
                       f'text-anchor="middle">{n}</text>')
    out += [f'<text x="{x0 + i * bw:.1f}" y="{y0 + ph + 16}" text-anchor="middle">'
            f"{i / 10:.1f}</text>" for i in range(0, 11, 2)]
    tx = x0 + min(max(low, 0), 1) * pw
    anchor = "end" if low > .5 else "start"
    out.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="2" y2="{y0 + ph}" stroke="#1b1b1b" '
               f'stroke-dasharray="4 3"/><text x="{tx + (-4 if low > .5 else 4):.1f}" y="12" '
               f'text-anchor="{anchor}">'
               f"low confidence &lt; {low:.2f}</text>"
               f'<text x="{x0 + pw / 2}" y="{height - 4}" text-anchor="middle">model confidence'
               "</text>")
    desc = (f"Confidence of {len(scores)} claims in tenths from 0 to 1: "
            + ", ".join(str(n) for n in bins))
    return _figure("Confidence histogram", desc, width, height, "".join(out))


def stacked_chart(title: str, rows: list[tuple[str, list[tuple[float, str, str, str]]]],
                  width: int = 640) -> str:
    """One 100% bar per row; segments are (share, colour, name, abbreviation). The abbreviation
    is printed in segments wide enough to hold it."""
    h, lw = 24, 180
    bw = width - lw - 10
    out = []
    for i, (name, segs) in enumerate(rows):
        x = float(lw)
        out.append(f'<text x="{lw - 8}" y="{i * h + 16}" text-anchor="end">'
                   f"{esc(name[:28])}</text>")
        for share, col, seg, abbr in segs:
            w = share * bw
            if w <= 0:
                continue
            out.append(f'<rect x="{x:.1f}" y="{i * h + 4}" width="{w:.1f}" height="{h - 8}" '
                       f'fill="{col}" stroke="#fff" stroke-width=".5"><title>{esc(name)}: '
                       f'{esc(seg)} {share:.0%}</title></rect>')
            if w > 26:
                out.append(f'<text x="{x + 3:.1f}" y="{i * h + 16}" style="fill:{on_color(col)}">'
                           f"{esc(abbr)}</text>")
            x += w
    return _figure(title, title, width, len(rows) * h + 4, "".join(out))
