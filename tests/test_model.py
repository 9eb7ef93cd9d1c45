"""The shipped model on clear-cut claims of each label, end to end (segment, attribute, classify)."""
import pytest

from annotator.classify import load_classifier
from annotator.score import score_text

CASES = [
    ("The bridge reopened to traffic on Monday after six weeks of repairs.",
     "attributed_fact", "author"),
    ("The defense ministry said the convoy was destroyed on Tuesday.",
     "official_statement", "official"),
    ("Frankly, this plan is a disgrace and an insult to every taxpayer in the city.",
     "opinion", "author"),
    ("Analysts warned that prices could rise sharply next year.", "speculation", "anonymous"),
]


@pytest.fixture(scope="module")
def shipped():
    return load_classifier()


@pytest.mark.parametrize("text,label,stype", CASES)
def test_each_label(shipped, text, label, stype):
    res = score_text(text, shipped)
    (claim,) = res.claims
    assert claim.label == label, claim.scores
    assert claim.source.type == stype
    assert abs(sum(claim.scores.values()) - 1) < 1e-3
    assert res.model == {"name": "claims-minilm", "version": shipped.version}
