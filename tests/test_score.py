"""The model's inputs: what the classifier reads for each claim, in the form it was trained on."""
from dataclasses import dataclass, field

import pytest

from annotator.records import Article, Source, Span
from annotator.score import claim_input, extract_claims, model_inputs, score_articles

TEXT = "“The levy is a disgrace,” Gov. Ana Ruiz said. The storm closed the road."


def test_claim_input_holds_the_type_or_the_type_and_the_sources_words():
    ruiz = Source("official", Span(0, 13, "Gov. Ana Ruiz"))
    assert claim_input("x", Source("official")) == ("official", "x")
    assert claim_input("x", ruiz) == ("official", "x")
    assert claim_input("x", ruiz, "type+span") == ("official: Gov. Ana Ruiz", "x")
    assert claim_input("x", Source("author"), "type+span") == ("author", "x")
    with pytest.raises(ValueError, match="source input"):
        claim_input("x", Source("author"), "span")


@dataclass
class Recorder:
    """A classifier that records its inputs and always answers the same."""
    source_input: str
    name: str = "recorder"
    version: str = "0"
    seen: list = field(default_factory=list)

    def predict(self, pairs):
        self.seen += pairs
        return [({"attributed_fact": 0.7, "official_statement": 0.1, "opinion": 0.1,
                  "speculation": 0.1}, None) for _ in pairs]


@pytest.mark.parametrize("mode,first", [("type", "official"), ("type+span", "official: Gov. Ana Ruiz")])
def test_scoring_feeds_the_model_the_input_form_it_was_trained_on(mode, first):
    clf = Recorder(mode)
    claims = extract_claims(TEXT)
    assert model_inputs(claims, clf)[0] == (first, claims[0].text)
    next(score_articles([Article("a", TEXT)], clf))
    assert clf.seen == [(first, claims[0].text), ("author", "The storm closed the road.")]


def test_models_without_the_setting_read_the_type_only():
    class Old:
        name, version = "old", "1"
    claims = [extract_claims(TEXT)[0]]
    assert model_inputs(claims, Old()) == [("official", claims[0].text)]
    assert claims[0].source == Source("official", Span(26, 39, "Gov. Ana Ruiz"))
