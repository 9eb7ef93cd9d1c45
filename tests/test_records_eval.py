import pytest

from annotator.eval import agreement, cohen_kappa, label_report, match
from annotator.gold import GoldDoc
from annotator.records import ArticleResult, Claim, Source, Span
from annotator.score import profile


def claim(s, e, label="attributed_fact", stype="author", span=None):
    return Claim(start=s, end=e, text="x" * (e - s), label=label,
                 source=Source(stype, span), scores={label: 1.0}, score=1.0)


def test_round_trip():
    c = Claim(0, 5, "Hello", "opinion", 0.9, {"opinion": 0.9, "speculation": 0.1},
              Source("person", Span(10, 13, "Ann")), Span(14, 18, "said"))
    r = ArticleResult("a", (c,), profile([c]), {"name": "m", "version": "1"}, text="Hello" * 4,
                      meta={"publisher": "P"})
    assert ArticleResult.from_dict(r.to_dict()) == r
    assert Claim.from_dict(claim(0, 3).to_dict()).source == Source("author")


def test_profile_derived_from_claims():
    cs = [claim(0, 5, "attributed_fact", "author"), claim(6, 9, "official_statement", "official",
          Span(20, 25, "Mayor")), claim(10, 12, "opinion", "anonymous", Span(30, 35, "some")),
          claim(13, 15, "attributed_fact", "person", Span(40, 43, "Ann"))]
    p = profile(cs)
    assert p["n_claims"] == 4
    assert p["label_counts"]["attributed_fact"] == 2
    assert p["unsourced_fact_share"] == 1 / 3
    assert p["anonymous_source_share"] == 0.25
    assert p["n_distinct_sources"] == 4
    assert profile([])["n_claims"] == 0


def test_match_at_iou_half():
    gold = [claim(0, 10), claim(10, 20)]
    pred = [claim(0, 20)]  # IoU 0.5 with both: one match only
    assert len(match(pred, gold)) == 1
    assert match([claim(0, 4)], [claim(0, 10)]) == []


def test_label_report_and_kappa():
    pairs = [("opinion", "opinion"), ("opinion", "speculation"), ("speculation", "speculation")]
    r = label_report(pairs)
    assert r["per_label"]["speculation"]["precision"] == 0.5
    assert r["per_label"]["opinion"]["recall"] == 0.5
    assert r["confusion"]["rows_gold_cols_pred"][2][3] == 1
    assert cohen_kappa([("a", "a"), ("b", "b")]) == 1.0
    assert cohen_kappa([("a", "b"), ("b", "a")]) < 0


def test_agreement_between_passes():
    a = GoldDoc("d", "t", "test", "A", (claim(0, 10, "opinion"), claim(11, 20)))
    b = GoldDoc("d", "t", "test", "B", (claim(0, 10, "opinion"), claim(11, 20, "speculation")))
    r = agreement([a, b])
    assert r["documents"] == 1 and r["segmentation"]["f1"] == 1.0
    assert r["label_agreement"] == 0.5


def test_source_head_overrides_a_named_type_only_when_sure():
    from annotator.score import SOURCE_OVERRIDE_MIN_PROB, _label

    span = Span(0, 3, "Lee")
    claim = Claim(0, 20, "Lee said it rained.", source=Source("person", span), cue=Span(4, 8, "said"))
    probs = {"attributed_fact": 0.9, "official_statement": 0.1, "opinion": 0.0, "speculation": 0.0}

    def head(stype, p):
        rest = (1 - p) / 5
        return {t: (p if t == stype else rest) for t in
                ("official", "person", "organization", "media", "anonymous", "author")}

    hesitant, sure = SOURCE_OVERRIDE_MIN_PROB - 0.1, SOURCE_OVERRIDE_MIN_PROB + 0.1
    assert _label(claim, probs, head("official", hesitant)).source == Source("person", span)
    assert _label(claim, probs, head("official", sure)).source == Source("official", span)
    # whether there is a source at all stays the head's call, sure or not
    out = _label(claim, probs, head("author", hesitant))
    assert out.source == Source("author") and out.cue is None


@pytest.mark.parametrize("stype,probs,label", [
    # an official source's non-speculative claim is an official statement, judgement or not
    ("official", {"attributed_fact": 0.1, "official_statement": 0.3, "opinion": 0.5, "speculation": 0.1},
     "official_statement"),
    ("official", {"attributed_fact": 0.5, "official_statement": 0.1, "opinion": 0.1, "speculation": 0.3},
     "speculation"),
    # only an official source makes an official statement
    ("person", {"attributed_fact": 0.3, "official_statement": 0.6, "opinion": 0.1, "speculation": 0.0},
     "attributed_fact"),
    ("author", {"attributed_fact": 0.1, "official_statement": 0.6, "opinion": 0.2, "speculation": 0.1},
     "opinion"),
])
def test_label_is_the_most_probable_one_the_source_type_allows(stype, probs, label):
    from annotator.score import _label

    span = None if stype == "author" else Span(0, 3, "Lee")
    claim = Claim(0, 20, "Lee said it rained.", source=Source(stype, span))
    out = _label(claim, probs, None)
    assert out.label == label and out.score == max(out.scores.values())
    assert abs(sum(out.scores.values()) - 1) < 1e-5
    ruled_out = {"official": ("attributed_fact", "opinion")}.get(stype, ("official_statement",))
    assert all(out.scores[k] == 0 for k in ruled_out)


def test_labels_given_gold_source_types_feed_the_gold_type_and_follow_it():
    from annotator.eval import evaluate_gold_sources

    class Fake:
        name, version = "fake", "1"
        seen = []

        def predict(self, pairs):
            self.seen += [a for a, _ in pairs]
            return [({"attributed_fact": 0.2, "official_statement": 0.5, "opinion": 0.2,
                      "speculation": 0.1}, None) for _ in pairs]

    text = "Lee said it rained. The mayor said it rained."
    doc = GoldDoc("d", text, "dev", "A", (
        claim(0, 19, "attributed_fact", "person", Span(0, 3, "Lee")),
        claim(20, 45, "official_statement", "official", Span(20, 29, "The mayor"))))
    fake = Fake()
    r = evaluate_gold_sources(fake, [doc])
    assert fake.seen == ["person", "official"]
    assert r["accuracy"] == 1.0  # the person's claim cannot be an official statement


def test_oracle_segments_report_the_rules_source_type_accuracy():
    from annotator.eval import evaluate_oracle_segments

    class Fake:
        name, version = "fake", "1"

        def predict(self, pairs):
            return [({"attributed_fact": 1.0, "official_statement": 0.0, "opinion": 0.0,
                      "speculation": 0.0}, None) for _ in pairs]

    text = "Lee said it rained. The mayor said it rained."

    def gold(s, e, stype, span):
        return Claim(start=s, end=e, text=text[s:e], label="attributed_fact",
                     source=Source(stype, span))

    # the rules type the mayor official: one of the two gold types disagrees with them
    doc = GoldDoc("d", text, "dev", "A", (gold(0, 19, "person", Span(0, 3, "Lee")),
                                          gold(20, 45, "organization", Span(20, 29, "The mayor"))))
    assert evaluate_oracle_segments(Fake(), [doc])["rules_source_type_accuracy"] == 0.5
