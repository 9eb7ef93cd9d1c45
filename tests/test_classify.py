"""The model's input: which text pair a claim becomes, for each input format."""
import pytest

from annotator.classify import claim_input, load_classifier
from annotator.records import Claim, Source, Span
from annotator.score import model_input
from conftest import build_tiny_model


def test_claim_input_formats():
    assert claim_input("Taxes rose.", "official", "the ministry") == ("official", "Taxes rose.")
    assert claim_input("Taxes rose.", "official", "the ministry", "type+span") == (
        "official: the ministry", "Taxes rose.")
    assert claim_input("Taxes rose.", "author", None, "type+span") == ("author", "Taxes rose.")
    with pytest.raises(ValueError):
        claim_input("Taxes rose.", "author", None, "span-only")


def test_model_input_carries_the_source_span():
    c = Claim(0, 11, "Taxes rose.", source=Source("official", Span(20, 32, "the ministry")))
    assert model_input(c) == ("official", "Taxes rose.", "the ministry")
    assert model_input(Claim(0, 11, "Taxes rose.", source=Source("author"))) == (
        "author", "Taxes rose.", None)


@pytest.mark.parametrize("fmt,span_matters", [("type", False), ("type+span", True)])
def test_classifier_reads_the_span_only_in_its_format(tmp_path, fmt, span_matters):
    clf = load_classifier(build_tiny_model(tmp_path / "m", with_source=True, input_format=fmt))
    assert clf.input_format == fmt
    (with_span, _), (without, _) = clf.predict([
        ("official", "The border is closed.", "the interior ministry"),
        ("official", "The border is closed.")])
    differs = any(abs(with_span[k] - without[k]) > 1e-6 for k in with_span)
    assert differs == span_matters
