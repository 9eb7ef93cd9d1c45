"""Evaluation on held-out gold data and the public-benchmark views of TAXONOMY.md section 5."""
from __future__ import annotations

from typing import Sequence

from . import corpora
from .gold import GoldDoc, corpus_root, read_document
from .labels import claim_labels
from .records import Article, Claim
from .score import Classifier, extract_claims, given_source, model_inputs, score_articles

IOU_THRESHOLD = 0.5


def iou(a: Claim, b: Claim) -> float:
    inter = max(0, min(a.end, b.end) - max(a.start, b.start))
    union = max(a.end, b.end) - min(a.start, b.start)
    return inter / union if union else 0.0


def match(pred: Sequence[Claim], gold: Sequence[Claim]) -> list[tuple[int, int]]:
    """One-to-one matches at character IoU >= 0.5 (greedy by IoU; at 0.5 matches are unique)."""
    pairs = sorted(((iou(p, g), i, j) for i, p in enumerate(pred) for j, g in enumerate(gold)
                    if p.end > g.start and g.end > p.start), reverse=True)
    used_p, used_g, out = set(), set(), []
    for score, i, j in pairs:
        if score < IOU_THRESHOLD or i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((i, j))
    return out


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def label_report(pairs: list[tuple[str, str]]) -> dict:
    """Per-label P/R/F1, macro-F1 and confusion matrix over (gold, predicted) label pairs."""
    labels = claim_labels()
    per = {}
    for lab in labels:
        tp = sum(g == lab and p == lab for g, p in pairs)
        fp = sum(g != lab and p == lab for g, p in pairs)
        fn = sum(g == lab and p != lab for g, p in pairs)
        per[lab] = {**prf(tp, fp, fn), "support": sum(g == lab for g, _ in pairs)}
    return {
        "per_label": per,
        "label_macro_f1": round(sum(v["f1"] for v in per.values()) / len(labels), 4),
        "accuracy": round(sum(g == p for g, p in pairs) / len(pairs), 4) if pairs else 0.0,
        "confusion": {"labels": list(labels),
                      "rows_gold_cols_pred": [[sum(g == a and p == b for g, p in pairs)
                                               for b in labels] for a in labels]},
    }


def _span_key(c: Claim):
    return None if c.source.span is None else (c.source.span.start, c.source.span.end)


def evaluate_gold(classifier: Classifier, docs: Sequence[GoldDoc]) -> dict:
    """End-to-end metrics: segmentation, labels and sources on claims matched to gold."""
    results = score_articles((Article(d.id, d.text) for d in docs), classifier)
    n_pred = n_gold = n_match = 0
    label_pairs, type_ok, span_exact, span_overlap = [], 0, 0, 0
    for doc, res in zip(docs, results):
        pred, gold = res.claims, doc.claims
        m = match(pred, gold)
        n_pred, n_gold, n_match = n_pred + len(pred), n_gold + len(gold), n_match + len(m)
        for i, j in m:
            p, g = pred[i], gold[j]
            label_pairs.append((g.label, p.label))
            type_ok += p.source.type == g.source.type
            pk, gk = _span_key(p), _span_key(g)
            span_exact += pk == gk
            span_overlap += (pk == gk) or (pk is not None and gk is not None
                                           and pk[0] < gk[1] and gk[0] < pk[1])
    seg = prf(n_match, n_pred - n_match, n_gold - n_match)
    return {
        "documents": len(docs), "gold_claims": n_gold, "predicted_claims": n_pred,
        "matched_claims": n_match,
        "segmentation": seg,
        "labels_on_matched": label_report(label_pairs),
        "source_type_accuracy": round(type_ok / n_match, 4) if n_match else 0.0,
        "source_span_exact_match": round(span_exact / n_match, 4) if n_match else 0.0,
        "source_span_overlap_match": round(span_overlap / n_match, 4) if n_match else 0.0,
    }


def evaluate_oracle_segments(classifier: Classifier, docs: Sequence[GoldDoc]) -> dict:
    """Labels on gold claim spans with the pipeline's own source extraction (isolates the model),
    and the source-type accuracy of the rules alone on those spans (isolates the rules)."""
    from .attribute import attribute

    pairs, rules_ok = [], 0
    for d in docs:
        spans = list(d.claims)
        srcs = attribute(d.text, spans)
        probs = classifier.predict(model_inputs(
            [Claim(c.start, c.end, c.text, source=s) for c, (s, _) in zip(spans, srcs)], classifier))
        pairs += [(c.label, max(p, key=p.get)) for c, (p, _) in zip(spans, probs)]
        rules_ok += sum(c.source.type == s.type for c, (s, _) in zip(spans, srcs))
    return {**label_report(pairs),
            "rules_source_type_accuracy": round(rules_ok / len(pairs), 4) if pairs else 0.0}


def _sentence_claims(sentences: list[str], classifier: Classifier) -> list[tuple[Claim, ...]]:
    arts = (Article(str(i), s) for i, s in enumerate(sentences))
    return [r.claims for r in score_articles(arts, classifier)]


def _binary(gold: list[int], pred: list[int]) -> dict:
    tp = sum(g and p for g, p in zip(gold, pred))
    fp = sum((not g) and p for g, p in zip(gold, pred))
    fn = sum(g and not p for g, p in zip(gold, pred))
    tn = len(gold) - tp - fp - fn
    pos, neg = prf(tp, fp, fn), prf(tn, fn, fp)
    return {"n": len(gold), "positive": pos, "negative": neg,
            "macro_f1": round((pos["f1"] + neg["f1"]) / 2, 4)}


def checkthat_subjectivity(classifier: Classifier, root=None) -> dict:
    """SUBJ <=> the sentence holds an opinion/speculation claim whose source is the author."""
    rows = corpora.checkthat("dev", root)
    claims = _sentence_claims([t for t, _ in rows], classifier)
    pred = [int(any(c.label in ("opinion", "speculation") and c.source.type == "author"
                    for c in cl)) for cl in claims]
    return _binary([int(y == "SUBJ") for _, y in rows], pred)


def wikiweasel_uncertainty(classifier: Classifier, root=None) -> dict:
    """Uncertain <=> a speculation claim or an anonymous source (held-out 20% of WikiWeasel)."""
    rows = corpora.wikiweasel("heldout", root)
    claims = _sentence_claims([t for t, _ in rows], classifier)
    pred = [int(any(c.label == "speculation" or c.source.type == "anonymous" for c in cl))
            for cl in claims]
    return _binary([y for _, y in rows], pred)


def polnear_attribution(classifier: Classifier | None = None, root=None) -> dict:
    """Attributed <=> the sentence overlaps a claim whose source type is not author (dev set).

    With a classifier, source types are the full pipeline's (the model corrects the rules);
    without, the rule-based extraction alone.
    """
    rows = corpora.polnear_sentences("dev", root)
    by_article: dict[str, list[dict]] = {}
    for r in rows:
        by_article.setdefault(r["article"], []).append(r)
    gold, pred = [], []
    texts = {art: read_document(f"polnear/dev/text/{art}.txt", corpus_root(root)) for art in by_article}
    if classifier is None:
        claims_of = {art: extract_claims(t) for art, t in texts.items()}
    else:
        claims_of = {r.id: r.claims for r in
                     score_articles((Article(a, t) for a, t in texts.items()), classifier)}
    for art, sents in by_article.items():
        text, claims = texts[art], claims_of[art]
        cursor = 0
        for r in sorted(sents, key=lambda r: int(r["sent_idx"])):
            pos = text.find(r["sentence"], cursor)
            if pos < 0:
                pos = text.find(r["sentence"][:40], cursor)
            end = pos + len(r["sentence"]) if pos >= 0 else -1
            if pos >= 0:
                cursor = pos
            gold.append(int(r["attributed"]))
            pred.append(int(pos >= 0 and any(c.start < end and pos < c.end and
                                             c.source.type != "author" for c in claims)))
    out = _binary(gold, pred)
    out["attribution_f1"] = out["positive"]["f1"]
    return out


def public_benchmarks(classifier: Classifier, root=None) -> dict:
    return {"checkthat_dev_subjectivity": checkthat_subjectivity(classifier, root),
            "polnear_dev_attribution": polnear_attribution(classifier, root),
            "polnear_dev_attribution_rules_only": polnear_attribution(None, root),
            "wikiweasel_heldout_uncertainty": wikiweasel_uncertainty(classifier, root)}


def cohen_kappa(pairs: list[tuple[str, str]]) -> float:
    n = len(pairs)
    if not n:
        return 0.0
    po = sum(a == b for a, b in pairs) / n
    labels = {x for p in pairs for x in p}
    pe = sum((sum(a == k for a, _ in pairs) / n) * (sum(b == k for _, b in pairs) / n)
             for k in labels)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def agreement(docs: Sequence[GoldDoc]) -> dict:
    """Inter-annotator agreement between pass A and pass B on the doubly annotated documents."""
    by_pass: dict[str, dict[str, GoldDoc]] = {}
    for d in docs:
        by_pass.setdefault(d.annotator, {})[d.id] = d
    a, b = by_pass.get("A", {}), by_pass.get("B", {})
    shared = sorted(set(a) & set(b))
    n_a = n_b = n_m = 0
    labels, types = [], []
    for doc in shared:
        m = match(a[doc].claims, b[doc].claims)
        n_a, n_b, n_m = n_a + len(a[doc].claims), n_b + len(b[doc].claims), n_m + len(m)
        labels += [(a[doc].claims[i].label, b[doc].claims[j].label) for i, j in m]
        types += [(a[doc].claims[i].source.type, b[doc].claims[j].source.type) for i, j in m]
    return {"documents": len(shared), "claims_a": n_a, "claims_b": n_b, "matched": n_m,
            "segmentation": prf(n_m, n_b - n_m, n_a - n_m),
            "label_kappa": round(cohen_kappa(labels), 4),
            "label_agreement": round(sum(x == y for x, y in labels) / len(labels), 4) if labels else 0,
            "source_type_kappa": round(cohen_kappa(types), 4)}


def evaluate_gold_sources(classifier: Classifier, docs: Sequence[GoldDoc]) -> dict:
    """Labels on gold claim spans given the gold source types: how good the labels would be with
    perfect source typing (a diagnostic; run time never sees gold types)."""
    pairs = []
    for d in docs:
        probs = classifier.predict(model_inputs(d.claims, classifier))
        for c, (p, _) in zip(d.claims, probs):
            p = given_source(p, c.source.type)
            pairs.append((c.label, max(p, key=p.get)))
    return label_report(pairs)


def full_report(classifier: Classifier, docs: Sequence[GoldDoc], split: str,
                benchmarks: bool = True, root=None) -> dict:
    """What ``annotator eval`` prints and model cards store."""
    report = {"model": {"name": classifier.name, "version": classifier.version}, "split": split,
              "gold": evaluate_gold(classifier, docs),
              "gold_oracle_segments": evaluate_oracle_segments(classifier, docs),
              "gold_spans_and_source_types": evaluate_gold_sources(classifier, docs)}
    if benchmarks:
        report["benchmarks"] = public_benchmarks(classifier, root)
    return report
