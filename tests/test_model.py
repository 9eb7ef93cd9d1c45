"""The shipped model on clear-cut claims of each label, end to end (segment, attribute, classify).

Source types are checked on the rules in test_attribute.py and measured for the model by
`annotator eval`; here only labels are asserted."""
import pytest

from annotator.classify import load_classifier
from annotator.score import score_text

CASES = [
    ("The bridge reopened to traffic on Monday after six weeks of repairs.", "attributed_fact"),
    ("The defense ministry said the convoy was destroyed on Tuesday.", "official_statement"),
    ("Frankly, this plan is a disgrace and an insult to every taxpayer in the city.", "opinion"),
    ("Analysts warned that prices could rise sharply next year.", "speculation"),
]


@pytest.fixture(scope="module")
def shipped():
    return load_classifier()


@pytest.mark.parametrize("text,label", CASES)
def test_each_label(shipped, text, label):
    res = score_text(text, shipped)
    (claim,) = res.claims
    assert claim.label == label, claim.scores
    assert abs(sum(claim.scores.values()) - 1) < 1e-3
    assert res.model == {"name": "claims-minilm", "version": shipped.version}
