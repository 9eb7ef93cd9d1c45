import pytest

from annotator.attribute import attribute
from annotator.records import Span
from annotator.score import extract_claims


def first(text):
    claims = extract_claims(text)
    for c in claims:
        assert text[c.start:c.end] == c.text
        if c.source.span:
            sp = c.source.span
            assert text[sp.start:sp.end] == sp.text
        if c.cue:
            assert text[c.cue.start:c.cue.end] == c.cue.text
    return claims[0]


@pytest.mark.parametrize("text,stype,span,cue", [
    ("The convoy was destroyed, the defense ministry said.", "official", "the defense ministry", "said"),
    ("Police said the fire may have been set deliberately.", "official", "Police", "said"),
    ("“The plan is reckless,” said Finance Minister Ana Ruiz.", "official", "Finance Minister Ana Ruiz", "said"),
    ("Tom Keller, a nurse from Eastport, said the wait was three hours.", "person", "Tom Keller", "said"),
    ("The company laid off 200 workers in March, Reuters reported.", "media", "Reuters", "reported"),
    ("According to a university study, rents rose 12 percent.", "media", "a university study", "According to"),
    ("The Tenants Union said rents rose 12 percent.", "organization", "The Tenants Union", "said"),
    ("Witnesses said the car was speeding.", "anonymous", "Witnesses", "said"),
    ("The bridge reopened on Monday.", "author", None, None),
    # multi-word cues and titles across a non-breaking space
    ("Ruiz issued a\xa0statement: “The levy is fair.”", "person", "Ruiz", "issued a\xa0statement"),
    ("The levy is fair, Vice\xa0President Ana Ruiz said.", "official", "Vice\xa0President Ana Ruiz", "said"),
    # present-tense forms of reporting verbs
    ("Ana Ruiz concedes the levy was late.", "person", "Ana Ruiz", "concedes"),
    ("As Ana Ruiz points out, the levy was late.", "person", "Ana Ruiz", "points out"),
    # legislative leaders, undersecretaries, U.S. attorneys and delegates hold office
    ("House Majority Leader Tom Keller said the vote was set.", "official", "House Majority Leader Tom Keller", "said"),
    ("The vote was set, said Del. Ana Ruiz of Guam.", "official", "Del. Ana Ruiz", "said"),
    ("The files were stored, the undersecretary for management wrote.", "official",
     "the undersecretary for management", "wrote"),
])
def test_source_type_span_and_cue(text, stype, span, cue):
    c = first(text)
    assert c.source.type == stype
    assert (c.source.span.text if c.source.span else None) == span
    assert (c.cue.text if c.cue else None) == cue


def test_candidate_is_a_person_and_senator_is_official():
    text = ("Presidential candidate Maria Lopez spoke in Ohio. Sen. Paul Grant spoke too. "
            "Lopez said the tax was unfair. Grant said the tax was fair.")
    claims = extract_claims(text)
    assert claims[2].source.type == "person"
    assert claims[3].source.type == "official"


@pytest.mark.parametrize("intro,stype", [
    ("Republican vice-presidential nominee Gov. Mike Pence spoke in Ohio.", "official"),
    ("Presidential candidate\xa0Sen. Mike Pence spoke in Ohio.", "official"),
    ("Former Gov. Mike Pence, a presidential candidate, spoke in Ohio.", "person"),
    ("The nominee, former Indiana Gov. Mike Pence, spoke in Ohio.", "person"),
    ("The presidential nominee Mike Pence spoke in Ohio.", "person"),
    ("Mike Pence, the Republican nominee for governor, spoke in Ohio.", "person"),
])
def test_a_candidate_introduced_with_the_office_title_is_official(intro, stype):
    # the guidelines: a sitting officeholder who runs is typed by the first mention's title
    later = " The crowd in the hall was small and quiet on Monday. Pence said the tax was unfair."
    assert extract_claims(intro + later)[-1].source.type == stype


@pytest.mark.parametrize("text,stype", [
    # the candidate word belongs to another name, the title to the speaker
    ("Asked about Republican presidential nominee Donald Trump, President Barack Obama said he "
     "was hopeful.", "official"),
    ("Asked about the candidate Ana Ruiz, Attorney General Loretta Lynch said she was hopeful.",
     "official"),
    ("Asked about the nominee, the former mayor Ana Ruiz said she was hopeful.", "person"),
    # "speaker" in lower case is a role at an event, not the House speaker
    ("At the candidate forum the conference speaker said he was hopeful.", "person"),
])
def test_a_title_of_the_speaker_outweighs_a_candidate_word_before_it(text, stype):
    assert first(text).source.type == stype


@pytest.mark.parametrize("text,stype", [
    ("Tad Devine, Sanders' senior media adviser, said the race was close.", "organization"),
    ("Clinton Communication Director Jennifer Palmieri said the race was close.", "organization"),
    ("Republican National Committee spokesman Sean Spicer said the race was close.",
     "organization"),
    ("The campaign manager, Robby Mook, said the race was close.", "organization"),
    ("Robby Mook, Clinton's campaign manager, spoke on Monday. The hall was quiet and the crowd "
     "was small. Mook said the race was close.", "organization"),
    ("Clinton's top foreign policy aide Jake Sullivan said the race was close.", "organization"),
    # staff of an office speak for it, and an officeholder advising a campaign is still one
    ("Senator Jeff Sessions, a top Trump adviser, said the race was close.", "official"),
    ("FBI Director James Comey said the case was closed.", "official"),
    ("White House press secretary Josh Earnest said the case was closed.", "official"),
    ("Sen. Ana Ruiz spoke on Monday. Ruiz's spokesman said the race was close.", "official"),
])
def test_campaign_and_company_staff_speak_for_an_organization(text, stype):
    assert extract_claims(text)[-1].source.type == stype


def test_the_paragraph_after_a_frame_ending_in_a_colon_is_what_was_said():
    text = ("Corporate speaker Lance Moore spoke in Ohio.\n\nIn a post, Moore wrote:\n\n"
            "The state must act now. Nobody else will.\n\nThe crowd left early.")
    claims = extract_claims(text)
    assert [(c.source.type, c.source.span.text if c.source.span else None)
            for c in claims[-3:]] == [("person", "Moore"), ("person", "Moore"), ("author", None)]
    # the House speaker is official, a speaker at an event is not
    assert extract_claims("Speaker Paul Ryan said the bill would pass.")[0].source.type == \
        "official"


@pytest.mark.parametrize("text,stype", [
    ("CWA President Chris Shelton said the deal was a victory.", "person"),
    ("Judicial Watch President Tom Fitton said the deal was a victory.", "person"),
    ("Judicial Watch said the deal was a victory.", "organization"),
    ("The deal was a defeat for the State Department, Judicial Watch said.", "organization"),
    ("Verizon executives said the deal was a victory.", "organization"),
    ("Judicial Watch president Tom Fitton said the deal was a victory.", "person"),
    ("Rick Jacobs, president of the Union for Reform Judaism, said the deal was a victory.",
     "person"),
    ("Asa Khalif, an organizer with the Coalition for Real Justice, said the deal was a victory.",
     "person"),
    ("Ana Ruiz, who served as chief of staff to the mayor, said the deal was a victory.", "person"),
    # officeholders stay official
    ("Mexican President Enrique Pena Nieto said the deal was a victory.", "official"),
    ("U.S. President Barack Obama said the deal was a victory.", "official"),
    ("Justice Sonia Sotomayor said the deal was a victory.", "official"),
    ("New York City Public Advocate Trish James said the deal was a victory.", "official"),
])
def test_leaders_of_non_official_bodies_are_persons(text, stype):
    assert first(text).source.type == stype


def test_a_title_after_a_long_appositive_is_remembered():
    text = ("Dan Kritenbrink, senior director for Asian affairs at the National Security Council, "
            "spoke on Monday. Kritenbrink said the talks would go on.")
    assert extract_claims(text)[1].source.type == "official"


def test_quotation_sentences_share_the_speaker():
    text = "Union leader Priya Nair said, “We were ignored. Nobody listened.” The talks ended."
    claims = extract_claims(text)
    assert [c.source.span.text if c.source.span else None for c in claims] == [
        "Priya Nair", "Priya Nair", None]
    assert claims[1].cue is None


def test_quotes_marked_with_two_apostrophes_share_the_speaker():
    text = "''We were ignored,'' said Mr. Nair, who lives nearby. ''Nobody listened. It hurt.''"
    claims = extract_claims(text)
    assert [c.source.span.text if c.source.span else None for c in claims] == ["Mr. Nair"] * 3


def test_frame_after_quote_backfills_earlier_quoted_sentence():
    text = "“We were ignored.” “Nobody listened,” Nair said."
    claims = extract_claims(text)
    assert all(c.source.span and c.source.span.text == "Nair" for c in claims)


def test_reporting_verb_inside_a_quote_is_not_the_frame():
    text = "Adelson said, “I saw that Trump said his approval was 41 percent.”"
    c = first(text)
    assert c.source.span.text == "Adelson"


def test_pronoun_source_takes_the_type_of_the_last_speaker():
    text = "Mayor Ana Ruiz opened the hall. “It is finished,” she said."
    claims = extract_claims(text)
    assert claims[1].source.span.text == "she"
    assert claims[1].source.type == "official"


def test_a_pronoun_refers_to_the_last_speaker_before_a_later_name():
    # "he" is the senator who spoke, not the candidate he spoke about
    text = ("Sen. Paul Grant said the vote was close. He praised presidential candidate Maria "
            "Lopez. “We will win,” he said.")
    assert extract_claims(text)[-1].source.type == "official"


@pytest.mark.parametrize("text,stype", [
    ("The Riverton Daily News reported that the mill would close.", "media"),
    ("As the paper noted, the mill had been losing money.", "media"),
    ("The mill would close, according to Gallup.", "media"),
    ("The lawsuit alleges that the mill hid its losses.", "media"),
    ("The Riverton News Workers Union said the mill would close.", "organization"),
    # respondents speak through the poll the article cites; without one they are unnamed
    ("A new county poll asked voters about the mill. Sixty-six percent said it should stay open.",
     "media"),
    ("At the meeting, 47 percent said the mill should stay open.", "anonymous"),
])
def test_outlets_documents_and_poll_shares(text, stype):
    assert extract_claims(text)[-1].source.type == stype


@pytest.mark.parametrize("text,stype,span", [
    ("Others wonder how the deal could affect the race.", "anonymous", "Others"),
    ("Ana Ruiz went on to criticize the deal for its cost.", "person", "Ana Ruiz"),
    ("Ana Ruiz continues, “The deal is too costly.”", "person", "Ana Ruiz"),
    ("The cost of the deal continues to grow.", "author", None),
    ("The two lawmakers, however, argue that the deal is unfair.", "official", "The two lawmakers"),
    # the writer passes on what unnamed others report
    ("Ruiz will reportedly give a speech on Monday.", "anonymous", None),
    ("“Ruiz reportedly agreed,” the paper wrote.", "media", "the paper"),
])
def test_base_form_cues_and_reportedly(text, stype, span):
    c = first(text)
    assert (c.source.type, c.source.span.text if c.source.span else None) == (stype, span)


@pytest.mark.parametrize("text,span", [
    ("In the new Gallup poll, Ruiz led 46 percent to 40 percent.", "new Gallup poll"),
    ("Ruiz leads by 57 percent to 33 percent in the 50-state poll.", "50-state poll"),
    ("Wednesday's Quinnipiac poll has Ruiz leading by six points.", "Wednesday's Quinnipiac poll"),
    # an unnamed poll is no source, nor is a poll's own margin of error
    ("In a new poll, Ruiz led 46 percent to 40 percent.", None),
    ("The Quinnipiac poll has a margin of error of 3 points.", None),
    ("In the Gallup building, Ruiz met the staff.", None),
])
def test_a_named_poll_is_the_source_of_its_figures(text, span):
    c = first(text)
    assert (c.source.type, c.source.span.text if c.source.span else None) == (
        "media" if span else "author", span)


@pytest.mark.parametrize("text,stype,cue", [
    ("The county survey found that rents rose 12 percent.", "media", "found"),
    ("Police found the stolen van near the harbor.", "author", None),
    ("The new poll shows the mayor ahead by four points.", "media", "shows"),
    ("Farmers in the valley showed visitors the flooded fields.", "author", None),
])
def test_evidential_verbs_are_cues_only_for_documents(text, stype, cue):
    c = first(text)
    assert c.source.type == stype
    assert (c.cue.text if c.cue else None) == cue


def test_plural_noun_states_is_not_a_cue():
    assert first("In some states, the vote count took a week.").source.type == "author"
    assert first("She won coastal states that have moved left.").source.type == "author"
    assert first("The report states that the vote count took a week.").source.type == "media"


def test_split_predicate_keeps_the_subject_as_source():
    # the two parts as annotators split them (fact + speculation)
    text = "Mayor Ana Ruiz said the plan was ready, and warned that the bridge could close."
    a, b = "Mayor Ana Ruiz said the plan was ready", "warned that the bridge could close."
    spans = [Span(0, len(a), a), Span(text.index(b), len(text), b)]
    (s1, _), (s2, _) = attribute(text, spans)
    assert s1.type == s2.type == "official"
    assert s2.span == s1.span
    # a new sentence with its own subject does not inherit
    text2 = "Mayor Ana Ruiz said the plan was ready. Warned residents left early."
    spans = [Span(0, 38, text2[:38]), Span(39, len(text2), text2[39:])]
    assert attribute(text2, spans)[1][0].type == "author"


def test_title_in_an_earlier_clause_does_not_make_a_name_official():
    text = ("After questions about her emails as secretary of state, Hillary Ruiz spoke in Ohio. "
            "Ruiz said the tax was unfair.")
    assert extract_claims(text)[1].source.type == "person"
    text = "The minister, Ana Ruiz, spoke in Madrid. Ruiz said the tax was fair."
    assert extract_claims(text)[1].source.type == "official"


@pytest.mark.parametrize("text,stype,span", [
    # several asides between the speaker and the cue
    ("Dana Holt, 31, a freelance photographer from Eastport, said the rally was peaceful.",
     "person", "Dana Holt"),
    ("“It was cold,” Ivo Brandt, 40, of Millbrook, Ore., who waited all night, said in an interview.",
     "person", "Ivo Brandt"),
    ("Carla Mendes, meanwhile, who has no endorsements, said the race was open.", "person", "Carla Mendes"),
    # a descriptor before the name, lowercase words inside the subject
    ("Ohio state delegate Rina Patel, wearing a tall hat, said the vote would be close.",
     "person", "Rina Patel"),
    ("The lawmaker, who represents a rural district, said the remarks were hurtful.",
     "official", "The lawmaker"),
    ("The mill closed, a spokeswoman, Lena Voss, said on Friday.", "person", "Lena Voss"),
    ("But Omar Reyes, an organizer with the tenants' group, said the strike would go on.",
     "person", "Omar Reyes"),
    # an auxiliary after the asides; a party tag before the cue
    ("Tom Keller, director of the group Fair Rents, has accused the council of stalling.",
     "person", "Tom Keller"),
    ("State Sen. Ada Winter (D) said the bill was dead.", "official", "State Sen. Ada Winter"),
    ("As State Sen. Ada Winter (D-Ohio) has pointed out, the bill is dead.", "official",
     "State Sen. Ada Winter"),
    # a name ending in -ly is not an adverb; a determiner after a quote's comma
    ("Kelly said she asked for the interview.", "person", "Kelly"),
    ("“We saw it coming,” said a Danish official who asked not to be named.", "official",
     "a Danish official"),
])
def test_subjects_set_off_by_asides_and_descriptors(text, stype, span):
    c = first(text)
    assert (c.source.type, c.source.span.text if c.source.span else None) == (stype, span)


@pytest.mark.parametrize("text,stype", [
    # a reporting verb inside a relative clause frames that clause, not the claim
    ("The deal was reached with help from Labor Secretary Tom Perez, who said he expects it to "
     "hold.", "author"),
    ("The vote was a victory for Ruiz, who has often complained about her critics.", "author"),
    ("Ruiz, who spoke in Ohio, said the deal would hold.", "person"),
    # nor does one in a subordinate clause
    ("The mayor walked back her comments a day after she said them.", "author"),
    ("Boos rained down when Ana Ruiz mentioned the deal.", "author"),
    ("While Ana Ruiz said the deal would hold, others doubted it.", "person"),
    ("Ana Ruiz landed in hot water last week by saying that the deal would hold.", "author"),
    ("Ana Ruiz took the last step of announcing that the deal would hold.", "person"),
])
def test_a_cue_in_a_relative_or_subordinate_clause_is_not_the_frame(text, stype):
    assert first(text).source.type == stype


@pytest.mark.parametrize("text", [
    "The committee is expected to produce a report this summer.",   # passive: nobody speaks
    "The senator was charged with fraud in 2014.",
    "Few voters trust the party, and its leaders try to assuage fears about the plan.",
    "A third of independents, 33 percent, say they are undecided.",  # a poll share
    "The self-proclaimed outsider toured three states on Monday.",  # cue words inside a compound
    "The mayor stayed quiet rather than challenging the governor's claims about the budget.",
    "Her hopes of a quick deal faded on Monday.",
])
def test_no_speaker_in_passives_objects_and_poll_shares(text):
    assert first(text).source.type == "author"


def test_title_case_headline_says_and_called_with_a_quotation():
    assert first("Mayor Ruiz Says The Bridge Will Reopen In May.").source.span.text == "Mayor Ruiz"
    c = first('Carson called the report a "boldfaced lie."')
    assert (c.source.span.text, c.cue.text) == ("Carson", "called")
    assert first("The so-called “deal” collapsed on Friday.").source.type == "author"


def test_according_to_keeps_the_head_of_a_long_noun_phrase():
    c = first("Rents rose 12 percent, according to a new Eastport University survey released Monday.")
    assert c.source.type == "media" and c.source.span.text.endswith("survey")


def test_span_leaves_out_quote_marks_and_modals_but_keeps_capitalised_names():
    text = "Ada Brandt spoke to us. ''We are ready,'' she said."
    assert extract_claims(text)[1].source.span.text == "she"
    assert first("“It is hard,” the mayor will say on Monday.").source.span.text == "the mayor"
    c = first("Will wrote that the plan was a mistake.")   # a columnist named Will
    assert (c.source.span.text, c.cue.text) == ("Will", "wrote")


@pytest.mark.parametrize("a", [
    "Tom Keller toured the flooded plant",
    "In his speech, Tom Keller thanked the crew",
    "On Monday, after a long delay, Tom Keller toured the plant",
    "Tom Keller (D) on Monday toured the plant",  # with a state, "(D-Ohio)", he is a legislator
    "Tom Keller, who was visiting the region, toured the plant",
])
def test_reporting_predicate_after_a_reported_action_takes_the_sentence_subject(a):
    b = "admitted that the repairs were late."
    text = a + ", and " + b
    spans = [Span(0, len(a), a), Span(text.index(b), len(text), b)]
    (s1, c1), (s2, c2) = attribute(text, spans)
    assert (s1.type, c1) == ("author", None)
    assert (s2.type, s2.span.text, c2.text) == ("person", "Tom Keller", "admitted")


def test_any_verb_introducing_a_quotation_is_a_cue():
    c = first("Trump boomed: “We will win in November.”")
    assert (c.source.span.text, c.cue.text) == ("Trump", "boomed")


def test_a_name_is_remembered_across_apostrophe_styles_and_possessives():
    text = ("Police Commissioner Jim O’Leary arrived at noon. Prime Minister Ana Ruiz's party won. "
            "“The cause is unknown,” said O'Leary. Ruiz said the coalition would hold.")
    claims = extract_claims(text)
    assert [c.source.type for c in claims[2:]] == ["official", "official"]


def test_transcript_speaker_tags_name_the_source_of_their_paragraph():
    text = ("Gov. Ana Ruiz spoke to Tom Keller on Sunday.\n\n"
            "KELLER: The vote is close. Many voters are undecided.\n\n"
            "RUIZ: The levy is fair. We will pass it.\n\n"
            "KELLER: Thank you.\n\nUPDATE: The vote was held. It passed.")
    claims = extract_claims(text)
    by_text = {c.text: c for c in claims}
    assert by_text["Many voters are undecided."].source.type == "person"
    assert by_text["Many voters are undecided."].source.span.text == "KELLER"
    assert by_text["We will pass it."].source.type == "official"  # introduced as Gov. Ana Ruiz
    assert by_text["It passed."].source.type == "author"  # a one-off label is no speaker


def test_interview_answers_are_the_interviewees():
    text = ("Actress Diane Guerrero wrote a memoir. Guerrero spoke to us.\n\n"
            "Q: What did you find?\n\nA: My parents were gone. Nobody came.\n\n"
            "Q: Did anyone help?\n\nA: No one did.")
    claims = extract_claims(text)
    got = [(c.source.type, c.source.span.text if c.source.span else None) for c in claims[2:]]
    assert got == [("person", "Guerrero")] * 3  # the questions are no claims


@pytest.mark.parametrize("text,stype,span", [
    # an inverted frame opening the sentence
    ('Said Mayor Ana Ruiz, "The levy is fair."', "official", "Mayor Ana Ruiz"),
    # "As reported by" names the outlet as "according to" does
    ("As reported by the Eastport Courier, the levy passed.", "media", "Eastport Courier"),
    # a name across "of" is one organisation, not the place it ends with
    ("The levy is unfair, the Chamber of Commerce of Eastport said.", "organization",
     "Chamber of Commerce of Eastport"),
    # a document named with its publisher speaks as the document
    ("A poll from Eastport College found 61 percent back the levy.", "media",
     "A poll from Eastport College"),
    # professors and company heads are persons whatever words their titles hold
    ("Tom Keller, a professor of government at Eastport College, said the levy was fair.",
     "person", "Tom Keller"),
    ("The plant will close, chief executive Ana Ruiz said.", "person", "Ana Ruiz"),
    # reader comments and tweets quoted by "one" are unnamed
    ("One commenter wrote that the levy was fair.", "anonymous", "One commenter"),
    # a quotation in two apostrophes after "called"
    ("Ana Ruiz called the levy ''a fair deal.''", "person", "Ana Ruiz"),
])
def test_frames_and_types_added_for_the_long_tail(text, stype, span):
    c = first(text)
    assert c.source.type == stype
    if span is not None:
        assert c.source.span.text == span


def test_a_negated_verb_is_skipped_and_a_contraction_is_no_subject():
    c = first("I don't think the levy was fair.")
    assert c.source.type == "author"
    c = first("That’s not the same as saying the levy was fair.")
    assert c.source.type == "author"


def test_the_subject_of_a_split_predicate_with_an_irregular_verb():
    text = "Ana Ruiz ran on the levy and accused the council of delaying it."
    cut = text.index(" and ")
    spans = [Span(0, cut, text[:cut]), Span(cut + 5, len(text), text[cut + 5:])]
    src, cue = attribute(text, spans)[1]
    assert (src.type, src.span.text, cue.text) == ("person", "Ana Ruiz", "accused")


def test_a_cue_inside_a_what_clause_is_not_the_frame():
    c = first("A student asked Ana Ruiz what she thought of the levy.")
    assert c.source.type == "author"


def test_plural_subjects_take_base_form_cues():
    c = first("Several tax experts still warn that the levy is too low.")
    assert (c.source.type, c.source.span.text, c.cue.text) == ("anonymous", "Several tax experts", "warn")


def test_an_office_set_off_after_a_clause_is_remembered():
    text = ("Reporters asked about the remarks of the secretary of the Treasury, Ana Ruiz, on Monday. "
            "“The levy is fair,” Ms. Ruiz said.")
    claims = extract_claims(text)
    assert claims[-1].source.type == "official"


def test_letters_and_posts_are_signed_by_the_name_under_them():
    text = ("LETTERS.\n\nThe levy is unfair. It hurts renters most.\n\nAna Ruiz.\n\nEastport, Maine.\n\n"
            "The council should resign.\n\nTom Keller.\n\nWestfield.\n\nTWITTER.\n\n"
            "Let the recount begin.\n\n@levywatch.\n")
    claims = extract_claims(text)
    got = {c.text: (c.source.type, c.source.span.text if c.source.span else None) for c in claims}
    assert got["It hurts renters most."] == ("person", "Ana Ruiz")
    assert got["The council should resign."] == ("person", "Tom Keller")
    assert got["Let the recount begin."] == ("person", "@levywatch")
    # names heading sections of an article are not signatures
    text = "Ana Ruiz.\n\nThe mayor backs the levy and has said so for years.\n\nTom Keller.\n\nHe opposes it."
    mayor = next(c for c in extract_claims(text) if c.text.startswith("The mayor"))
    assert mayor.source.type == "author"


def test_an_embedded_tweet_is_its_author_s():
    text = ('The vote drew comment online.\n\n<tweet id="1" author="@anaruiz" datetime="2016-06-28">'
            'The levy is a disgrace.\n\n<tweet id="2" author="@EastportNews" datetime="2016-06-28">'
            'The levy passed 5-4.\n')
    got = {c.text: (c.source.type, c.source.span.text if c.source.span else None)
           for c in extract_claims(text)}
    assert got["The levy is a disgrace."] == ("person", "@anaruiz")
    assert got["The levy passed 5-4."] == ("media", "@EastportNews")


def test_the_paragraph_after_a_participle_frame_ending_in_a_colon_is_what_was_said():
    text = ("Ana Ruiz wrote about the vote on her blog, observing of the council:\n\n"
            "Whatever it does it does too late.")
    claims = extract_claims(text)
    assert (claims[-1].source.type, claims[-1].source.span.text) == ("person", "Ana Ruiz")


def _sources_of_parts(text, parts):
    spans, pos = [], 0
    for part in parts:
        pos = text.index(part, pos)
        spans.append(Span(pos, pos + len(part), part))
    return [(s.type, s.span.text if s.span else None) for s, _ in attribute(text, spans)]


def test_a_second_predicate_without_subject_continues_what_was_said():
    text = "Tom Keller, a grocer, said he backed the levy and would probably vote for it again."
    got = _sources_of_parts(text, ["Tom Keller, a grocer, said he backed the levy",
                                   "would probably vote for it again."])
    assert got == [("person", "Tom Keller")] * 2
    # the writer's own two predicates stay the writer's
    text = "The council met on Monday and would meet again in May."
    got = _sources_of_parts(text, ["The council met on Monday", "would meet again in May."])
    assert got == [("author", None)] * 2


@pytest.mark.parametrize("text", [
    "Wednesday added one more twist to the race.",
    "Don’t believe them.",
    "The deal, announced Friday, would last four years.",
])
def test_days_and_contractions_are_no_speakers(text):
    assert first(text).source.type == "author"


@pytest.mark.parametrize("text,stype", [
    # an action the writer reports (TAXONOMY 2: "The ministry closed the border" is the author's)
    ("Tom Keller endorsed Ana Ruiz on Wednesday.", "author"),
    ("Ana Ruiz praised the volunteers for their work.", "author"),
    ("Tom Keller responded on Sunday to accusations of fraud.", "author"),
    # the same verbs framing what was said stay frames
    ("Ana Ruiz praised the volunteers as “the backbone of this city.”", "person"),
    ("Tom Keller responded that the accusations were false.", "person"),
    ("The Keller campaign responded Friday, saying the accusations were false.", "organization"),
    ("“The accusations are false,” Tom Keller responded.", "person"),
    ("Ruiz slams Keller as 'a fraud.'", "person"),
])
def test_action_verbs_are_frames_only_around_what_was_said(text, stype):
    assert first(text).source.type == stype


@pytest.mark.parametrize("text,stype", [
    ("Ana Ruiz tweeted an image of the flooded depot.", "author"),
    ("Tom Keller wrote a letter to the council asking for a recount.", "author"),
    ("Ana Ruiz wrote in a court filing that the request was futile.", "person"),
    ("Tom Keller wrote about the vote on his blog:", "person"),
    ("LOOK: Photos of the flooded depot are going viral.", "author"),
    ("Ana Ruiz: The levy is a disgrace.", "person"),
])
def test_writing_verbs_with_a_thing_written_and_headline_kickers(text, stype):
    assert first(text).source.type == stype


@pytest.mark.parametrize("text,stype", [
    # cue words that name no saying
    ("Ana Ruiz has won 40 pledged delegates so far.", "author"),
    ("Tom Keller won the county, adding to his lead over Ana Ruiz.", "author"),
    ("“It was a landslide,” Tom Keller added to reporters.", "person"),
    # maintain / contrast / declare + object: an action; after a quotation: a frame
    ("Ana Ruiz maintains a large lead over Tom Keller.", "author"),
    ("Tom Keller contrasted his record with the mayor's.", "author"),
    ("Ana Ruiz declared a state of emergency on Friday.", "author"),
    ("Ana Ruiz declared that the levy was a disgrace.", "person"),
    ("“I am voting for anyone but Keller,” declared Ana Ruiz, 29, of Eastport.", "person"),
    # a body's findings are its statements; what a video or a city "shows" is the writer's
    ("After an inquiry, the Justice Department found that the jail was overcrowded.", "official"),
    ("A federal judge determined that the records had been withheld.", "official"),
    ("Police found the car in a ditch.", "author"),
    ("Video shows that the man had his hands in the air.", "author"),
])
def test_cue_words_that_report_no_saying(text, stype):
    assert first(text).source.type == stype


@pytest.mark.parametrize("text,stype", [
    # "U.S." and "AG" belong to the title, whose abbreviation periods end no sentence
    ("A maximum sentence would deter others, Assistant U.S. Attorney Maya D. Song wrote. "
     "Hacking is no game, Song wrote.", "official"),
    ("Impeach AG Lenz, critics say. Lenz announced that the state would be sued.", "official"),
    # staff in a body's service speak for it; its head (the director) speaks as a person
    ("Sara Webb, legal director for the tenants' rights group, said the rule was unlawful.",
     "organization"),
    ("Mr. Keller's aides said he would campaign in Ohio.", "organization"),
    # a description in the paragraph before does not type the speaker
    ("He would have worked to elect their candidate.\n\n"
     "“I would have been all in,” Mr. Reyes, the mayor of Eastport, said.", "official"),
])
def test_titles_and_staff_type_named_speakers(text, stype):
    claims = extract_claims(text)
    assert claims[-1].source.type == stype


@pytest.mark.parametrize("text, stype", [
    # a description in the sentence before does not type the speaker
    ("Former Gov. Jeb Bush called Trump “unhinged.” Sen. Marco Rubio called the statement "
     "“offensive.”", "official"),
    # nor do the words of the quotation before the name
    ("Sen. Ted Cruz (R-Tex.) spoke in Iowa.\n\n“The other candidates are not able to win,” Cruz "
     "told a radio host.", "official"),
    # an honorific-only first mention takes the office title a later one gives
    ("Mr. Putin spoke for hours.\n\nPresident Vladimir V. Putin of Russia took questions.\n\n"
     "“It is all lies,” Mr. Putin said.", "official"),
    # a party and state tag marks a member of Congress
    ("Chairman Trey Gowdy (R-S.C.) met the panel.\n\nGowdy said the report was near.", "official"),
    ("Ranking member Ana Ruiz (Md.) met the panel.\n\nRuiz said the report was near.", "official"),
    ("Former Rep. Ana Ruiz (D-Md.) met the panel.\n\nRuiz said the report was near.", "person"),
    # a serving officer speaks for the military; a retired one for himself
    ("“This is a time of cooperation,” Rear Admiral Guan Youfei told reporters.", "official"),
    ("“This is a time of cooperation,” Gen. Ana Ruiz told reporters.", "official"),
    ("“This is a time of cooperation,” retired Lt. Gen. Ana Ruiz told reporters.", "person"),
    ("In the April issue, Pres. Obama admits the action “didn’t work.”", "official"),
])
def test_office_evidence_across_mentions_and_sentences(text, stype):
    assert extract_claims(text)[-1].source.type == stype
    assert extract_claims("“This is a good year,” General Motors said.")[0].source.type != "official"


@pytest.mark.parametrize("text, cue", [
    ("Ana Ruiz calls on Congress to act.", "calls on"),
    ("Gov. Ana Ruiz is calling for the agency to release the files.", "calling for"),
    ("In a video Thursday, Ana Ruiz speculated that the men could be part of the group.",
     "speculated"),
    ("Ana Ruiz later clarified that she had misspoken.", "clarified"),
    ("Ana Ruiz started a petition this week calling on candidates to back the wage.", None),
])
def test_calls_and_speculation_are_cues(text, cue):
    c = first(text).cue
    assert (c.text if c else None) == cue


@pytest.mark.parametrize("text, cue, span", [
    ("Mr. Putin forecast that the economy would rebound.", "forecast", "Mr. Putin"),
    ("Budget analysts had already forecast that deficits would grow.", "forecast",
     "Budget analysts"),
    ("A spokesman, Lu Kang, repeated that China opposed hacking.", "repeated", "Lu Kang"),
    ("State Department officials concurred with the findings.", "concurred",
     "State Department officials"),
])
def test_forecasts_and_repetitions_with_a_content_clause(text, cue, span):
    c = first(text)
    assert (c.cue.text, c.source.span.text) == (cue, span)


@pytest.mark.parametrize("text", [
    "The move took place despite repeated warnings from his attorney.",
    "Turnout levels don’t offer a surefire forecast of general election results.",
])
def test_repeated_and_forecast_as_words_of_the_claim(text):
    assert first(text).cue is None


def test_a_title_of_a_name_before_does_not_type_the_next_name():
    text = ("Prime Minister Ana Ruiz will meet with Tom Keller when he visits.\n\n"
            "“We will talk,” Keller said.")
    assert extract_claims(text)[-1].source.type == "person"
    text = "White House press secretary Tom Keller spoke.\n\n“We will talk,” Keller said."
    assert extract_claims(text)[-1].source.type == "official"


@pytest.mark.parametrize("text, stype", [
    ("“We are an inclusive company,” ESPN said in a statement.", "organization"),
    ("“We are an inclusive company,” the NAACP said in a statement.", "organization"),
    ("“We are looking into it,” the FBI said in a statement.", "official"),
    ("“We are looking into it,” CNN said in a statement.", "media"),
])
def test_an_acronym_speaks_for_a_body(text, stype):
    assert first(text).source.type == stype


def test_kicker_words_open_headlines_without_a_speaker():
    assert first("Wow: Al Sharpton Just Said Something Unexpected About Trump").source.type == \
        "author"


@pytest.mark.parametrize("text, stype", [
    ("Patient advocacy groups note that the bill passed in 2003.", "anonymous"),
    ("But advocates within the scientific community cite his record.", "anonymous"),
    ("The witness said the order came from above.", "anonymous"),
    ("Patient Ana Ruiz noted that the bill passed in 2003.", "person"),
])
def test_unnamed_groups_by_their_head_noun(text, stype):
    assert first(text).source.type == stype


def test_note_and_estimate_are_cues_only_before_a_content_clause():
    assert first("On a more conciliatory note, Ana Ruiz has said the deal is fair.").source.span.text \
        == "Ana Ruiz"
    assert first("The candidate did not supply an overall cost estimate for his plans.").cue is None


@pytest.mark.parametrize("text, stype, span", [
    ("The staff covered it up, according to a congressional report on Wednesday.", "official",
     "a congressional report"),
    ("The IG report cited no evidence that she intervened.", "official", "The IG report"),
    ("The staff covered it up, according to a university study on Wednesday.", "media",
     "a university study"),
])
def test_an_official_body_s_report_is_official(text, stype, span):
    s = first(text).source
    assert (s.type, s.span.text) == (stype, span)
