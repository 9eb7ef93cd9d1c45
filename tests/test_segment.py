import pytest

from annotator.segment import segment, split_sentences


def check_offsets(text, spans):
    for s in spans:
        assert text[s.start:s.end] == s.text
        assert s.text == s.text.strip()


TRICKY = [
    "The mayor 👩🏽‍⚖️ said the bridge opened. Émile Zola’s café closed on Monday.",
    "Le ministre a déclaré que l’usine était fermée. 北京 officials said the plan failed.",
    "Prices rose 3.5 percent in the U.S. economy last year. The Fed said it would wait.",
    "Zero\u200bwidth joiner text\u00a0here is fine. E\u0301 combining accents stay exact.",
    "Windows line endings work.\r\nThe second paragraph starts here.\r\n",
    "𝕿𝖍𝖊 fancy letters count as one code point each. 🇺🇸 flags are two code points.",
    "Arabic text مرحبا بالعالم appears mid-sentence. Hebrew שלום too.",
]


@pytest.mark.parametrize("text", TRICKY)
def test_offsets_are_code_points_and_exact(text):
    spans = segment(text)
    assert len(spans) >= 2
    check_offsets(text, spans)


def test_emoji_does_not_shift_following_claims():
    text = "Fans cheered 🎉🎉🎉 all night. The team won 3-1 on Sunday."
    spans = segment(text)
    assert [s.text for s in spans] == ["Fans cheered 🎉🎉🎉 all night.", "The team won 3-1 on Sunday."]
    assert spans[1].start == text.index("The team")


def test_abbreviations_and_initials_do_not_split():
    text = "Sen. J. R. Smith met Dr. Lee in Washington, D.C. on Jan. 5 for talks."
    assert [s.text for s in segment(text)] == [text]


def test_multi_sentence_quotation_gives_one_claim_per_sentence():
    text = "Ruiz said, “The audit is late. We warned them. Nobody listened.”"
    claims = [s.text for s in segment(text)]
    assert claims == ["Ruiz said, “The audit is late.", "We warned them.", "Nobody listened.”"]


def test_frame_after_quoted_exclamation_stays_with_its_sentence():
    text = "“This is wonderful!” Ruiz said. The hall emptied."
    assert [s.text for s in segment(text)] == ["“This is wonderful!” Ruiz said.", "The hall emptied."]


def test_quote_state_is_tracked_per_sentence():
    sents = split_sentences("He said, “It is late. We know.” Then he left.")
    assert [s.in_quote for s in sents] == [False, True, False]


@pytest.mark.parametrize("non_claim", [
    "Will the council vote again?",
    "By Jane Roe",
    "https://example.org/story",
    "Related: Budget talks stall",
    "[Read more: the council's budget]",
    "“Why now?” the reporter asked.",
    "Photo by Sam Lee / Reuters.",
    "ABSTRACT.",
])
def test_non_claims_are_dropped(non_claim):
    text = f"{non_claim}\n\nThe council approved the budget on Tuesday."
    assert [s.text for s in segment(text)] == ["The council approved the budget on Tuesday."]


def test_dateline_is_cut_off():
    text = "RIVERTON, Ohio — The plant closed on Friday, leaving 300 workers without jobs."
    assert [s.text for s in segment(text)] == [
        "The plant closed on Friday, leaving 300 workers without jobs."]


def test_headline_that_asserts_is_a_claim():
    text = "Harbor Town Mayor Resigns After Audit\n\nThe mayor left office on Monday."
    assert segment(text)[0].text == "Harbor Town Mayor Resigns After Audit"


def test_attribution_frame_stays_in_claim():
    text = "The convoy was destroyed, the ministry said. Aid arrived later."
    assert segment(text)[0].text == "The convoy was destroyed, the ministry said."


def test_empty_and_whitespace():
    assert segment("") == []
    assert segment("   \n\n  ") == []
