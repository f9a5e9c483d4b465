"""What a question expects: the kind of figure that can answer it."""

from __future__ import annotations

import pytest

from qa.question import analyse


@pytest.mark.parametrize("question, expect", [
    ("How much was spent on new reservoirs?", "money"),
    ("What was the value of harbour exports?", "money"),
    ("How much grain was stored in 2020?", "amount"),  # a quantity, not necessarily money
    ("How large was the restored wetland area?", "amount"),
    ("What was the scale of the bicycle industry?", "amount"),
    ("How many reservoirs were built?", "count"),
    ("What share of villages have broadband?", "percent"),
    ("How much did rail freight grow from 2015 to 2020?", "growth"),
    ("By how much did freight rise?", "change"),
    ("Who spoke about broadband?", "speaker"),
    ("What was the growth of harbour exports?", "change"),
    ("What growth rate did forecasters expect for next year?", "percent"),  # a rate is a level
    # The level something moves to is a level, not the change.
    ("What jobless rate did the ministry say would rise to, according to the minister?", "percent"),
    ("To what level had the harbour fee been cut?", "figure"),
    ("By how much did freight rise to the islands?", "change"),  # "by how much": still a change
    ("How long did the bridge stay closed after the storm?", "count"),  # a duration: "nine days"
    ("How big was the rate cut the board announced in May?", "change"),  # a cut's size: by how much
    ("How large was the harbour's trade deficit in the June quarter?", "amount"),  # a sum or a share of GDP
    ("How large a share of cargo goes by rail?", "percent"),
    ("What term will the port lend for?", "count"),  # a duration: "30 days"
    ("What do the two harbour grants total?", "figure"),  # a sum asked by its verb
    ("What do you think about the total?", "text"),
    ("How far were harbour fees down over the year?", "change"),
    ("What federal funds target range did the board set in May 2031?", "percent"),  # the policy rate, no sum
    ("How much federal funds for roads did the county get?", "money"),
    # a year dates the name asked for; it does not make a figure question
    ("What nationalities were the two sailors rescued by March 2021?", "text"),
    ("In which two towns did the minister open ferry terminals in 2019?", "text"),
    # after a sentence that sets the question up, the year dates the setting, not a figure
    ("In March 2031 the mayor cited a study of ferry users. Which study did she mean?", "text"),
    ("What was the ferry tonnage in 2019?", "figure"),
    # what it costs is a sum, whatever rate it is the cost of
    ("How much does cutting the harbour levy rate cost the port?", "money"),
    ("How much is the harbour levy rate?", "percent"),
])
def test_expectation_from_the_question_wording(question, expect):
    assert analyse(question).expect == expect


def test_numbers_the_question_states_are_kept_apart_years_aside():
    # 25 basis points may also be said as a quarter of a percentage point
    assert analyse("How many 25 basis point rises came in 2023?").stated == (25.0, 0.25)
    assert analyse("What was core inflation over the 12 months to April 2022?").stated == (12.0,)
    assert analyse("What 2021 growth rate did forecasters expect?").stated == ()


@pytest.mark.parametrize("question, wanted", [
    ("What rate is the jobless rate forecast to reach?", "to"),  # where it lands
    ("What was the harbour fee before it was cut?", "from"),  # the earlier end
    ("What was the fare when the new board took office?", "from"),
])
def test_a_level_question_prefers_the_end_of_a_range_it_asks_about(question, wanted):
    from corpus.figures import extract_figures
    from qa.scoring import range_end_fit

    start, end = extract_figures("The rate went from 4 percent to 7 percent.")
    fits = {figure.role: range_end_fit(analyse(question), figure) for figure in (start, end)}
    assert fits[wanted] == 1.0 and fits[{"to": "from", "from": "to"}[wanted]] == 0.0


def test_a_change_question_takes_no_side_between_range_ends():
    from corpus.figures import extract_figures
    from qa.scoring import range_end_fit

    question = analyse("By how much did the rate rise?")
    assert [range_end_fit(question, f) for f in extract_figures("It went from 4 percent to 7 percent.")] == [0.0, 0.0]


@pytest.mark.parametrize("question, names", [
    ("By how much will the levy raise fares, according to Ana Marlow?", ("ana", "marlow")),
    ("What does the new quay cost, per Okafor?", ("okafor",)),
    ("At what price did Okafor say the scheme starts?", ("okafor",)),
    ("How much did fuel add to income, as Okafor put it in June 2015?", ("okafor",)),
    ("Okafor said how many berths would open?", ("okafor",)),
    ("What was the rate per June 2015 briefing?", ()),  # a time, not a person
    ("What was Lumio's share price in May?", ()),  # the thing asked about, not who said it
    ("Which minister joined Okafor to open the quay?", ()),
])
def test_the_name_an_answer_is_attributed_to_is_kept_apart(question, names):
    assert analyse(question).attributed == names


def test_an_attributed_name_the_corpus_never_says_is_no_sign_it_is_silent():
    from qa.scoring import TermWeights, unknown_share

    weights = TermWeights.of(["The harbour levy will raise fares by 2 percent.", "PM: Fares rise."])
    attributed = analyse("By how much will the harbour levy raise fares, according to Okafor?")
    assert unknown_share(attributed, weights) == 0.0
    # The same unknown word as the thing asked about does count.
    asked = analyse("By how much will the Okafor levy raise fares?")
    assert unknown_share(asked, weights) > 0.2


def test_words_of_titles_and_speaker_labels_are_known_to_the_term_weights():
    from qa.scoring import TermWeights

    weights = TermWeights.of(["The harbour levy will raise fares by 2 percent."])
    named = weights.with_names(["okafor", "harbour"])
    assert named.known("okafor") and not weights.known("okafor")
    assert named.weight("okafor") == weights.default and named.weight("harbour") == weights.weight("harbour")
    assert weights.with_names([]) is weights


@pytest.mark.parametrize("question, expect", [
    ("Which UN General Assembly resolution did the spokesperson cite?", "list"),  # "general" names no person here
    ("Which general led the harbour drill?", "speaker"),
    ("Which foreign minister will visit the port in May?", "speaker"),
    ("Which ambassadors attended the opening?", "speaker"),
])
def test_a_person_noun_asks_for_a_person_only_when_it_ends_the_noun_phrase(question, expect):
    assert analyse(question).expect == expect


@pytest.mark.parametrize("question, sentence, figure_text, ruled_out", [
    ("How many secondary schools will get new labs?", "We will build labs in 7,500 primary schools.", "7,500", True),
    ("How many secondary schools will get new labs?", "We will build labs in 7,500 schools.", "7,500", False),
    # The question's qualifier said in the sentence: "secondary" may qualify the count there.
    ("How many secondary schools will get new labs?", "Of secondary schools, 900 rural schools get labs.", "900",
     False),
    ("How many new jobs were added?", "The port added 1,000 dock jobs.", "1,000", False),  # "new" is no kind
    ("How many rail jobs were added?", "The port added 1,000 dock jobs.", "1,000", True),
    # a rate of another kind: the question's "participation" is said nowhere in the sentence
    ("What was the dock participation rate in May?", "The dock vacancy rate was 5.5 percent in May.", "5.5 percent",
     True),
    ("What was the dock vacancy rate in May?", "The dock vacancy rate was 5.5 percent in May.", "5.5 percent", False),
    ("What was the participation rate in May?", "The rate was 5.5 percent in May.", "5.5 percent", False),
    ("What was the dock participation rate in May?", "The dock vacancy rate, at 5.5 percent, was flat, and the dock "
     "participation rate rose.", "5.5 percent", True),
])
def test_a_count_of_another_kind_of_the_counted_noun_is_ruled_out(question, sentence, figure_text, ruled_out):
    from corpus.figures import extract_figures
    from qa.scoring import counts_another_kind

    figure = next(f for f in extract_figures(sentence) if f.text == figure_text)
    assert counts_another_kind(analyse(question), figure, sentence) is ruled_out


@pytest.mark.parametrize("question", ["By what vote did the council confirm her?", "What was the vote on the bill?",
                                      "What was the final score?"])
def test_a_vote_or_score_question_asks_for_a_figure(question):
    assert analyse(question).expect == "figure"


def test_a_vote_question_prefers_the_tally_to_a_number_beside_it():
    from corpus.figures import extract_figures
    from qa.scoring import kind_fit

    slip, tally = extract_figures("The council confirmed her in a vote of 97 — 91 to 7.")
    question = analyse("By what vote did the council confirm her?")
    assert kind_fit(question, tally) > kind_fit(question, slip) > 0
    other = analyse("How many members did the council confirm?")
    assert kind_fit(other, tally) == kind_fit(other, slip)  # no tally asked: no preference


@pytest.mark.parametrize("question", ["How many deckhands did the ferry company add in 2031?",
                                      "How many more deckhands does the ferry company employ?"])
def test_a_question_asking_what_was_added_prefers_the_increment(question):
    from corpus.figures import extract_figures
    from qa.scoring import kind_fit

    level, added = extract_figures("The ferry company employed 1,300 deckhands, 40 more than a year before.")
    assert added.change and not level.change
    assert kind_fit(analyse(question), added) > kind_fit(analyse(question), level)
    plain = analyse("How many deckhands does the ferry company employ?")
    assert kind_fit(plain, level) > kind_fit(plain, added)  # a level asked: the level


@pytest.mark.parametrize("question, text, found", [
    ("CPI 12-month change May 2022", "the 12-month change in the consumer price index", {"cpi"}),
    ("How much is set aside for R&D?", "a research and development fund", {"r", "d"}),
    ("What was GDP growth?", "real gross domestic product growth", {"gdp"}),
    ("What was GDP growth?", "the growth of harbour fees", set()),
    ("What was US growth?", "the united states economy", set()),  # two letters: too many chance pairs
])
def test_an_acronym_of_the_question_is_found_spelled_out(question, text, found):
    from qa.scoring import spelled_out

    assert spelled_out(question, text) == found


def test_the_engine_knows_the_words_of_titles_and_speaker_labels(fake_engine):
    from index import tokenize

    state = fake_engine._state()
    counts, _ = state.index.term_counts
    labels = [d.title for d in state.index.corpus.catalogue()] + list(state.index.corpus.columns().speakers)
    unsaid = {t for t in tokenize(" ".join(labels)) if t not in counts}
    assert unsaid  # e.g. a speaker's name no paragraph says
    assert all(state.weights.known(t) for t in unsaid)


@pytest.mark.parametrize("question, expect", [
    ("At what price did the board say the harbour scheme starts?", "money"),
    ("What carbon price will ferry firms pay?", "money"),
    ("What was the price tag of the quay plan?", "money"),
    ("What was the consumer price index in May?", "text"),  # an index, not a sum of money
    ("How large were the special funds for harbour repairs?", "money"),
    ("What was GDP growth, per the budget call?", "text"),  # "budget" names the call here
    ("How many funds did the board set up?", "count"),
    # a figure the question states says nothing of what it asks: the 21 percent is the levy's
    ("How much revenue would raising the harbour levy to 21 percent bring in?", "money"),
])
def test_a_question_about_a_price_asks_for_money(question, expect):
    assert analyse(question).expect == expect


@pytest.mark.parametrize("question, group", [
    ("What was the jobless rate for young dock workers in May?", ("young", "dock", "worker")),
    ("What is the tax rate for backpackers?", ("backpacker",)),
    ("What share among small firms is owned abroad?", ("small", "firm")),
    ("What was the growth rate for 2021?", ()),  # a year, not a group
    ("What was the jobless rate in May?", ()),
])
def test_the_group_a_rate_is_asked_for(question, group):
    assert analyse(question).group == group


def _briefing(tmp_path, embedder, topic: str, body: str):
    """An engine over one invented Harbour Office briefing on `topic` whose turns are `body`."""
    from qa import QA

    (tmp_path / "port.txt").write_text(
        f"Harbour Office holds press conference on {topic}\n\nPress conference on {topic} | May 21, 2024\n\n{body}",
        encoding="utf-8")
    return QA(corpus=tmp_path / "port.txt", index_dir=tmp_path / "index", embedder=embedder, progress=False)


def test_a_rate_said_of_no_such_group_does_not_answer_for_the_group(tmp_path, fake_embedder):
    engine = _briefing(tmp_path, fake_embedder, "port jobs", (
        "Li Ming:\n\nThe harbour jobless rate was 4 percent in April.\n\nLi Ming:\n\nFerry crews saw "
        "2,000 new hires.\n"))
    assert engine.ask("What was the harbour jobless rate in April?").answer == "4 percent"
    assert engine.ask("What was the harbour jobless rate for young dock workers in April?").abstained


def test_a_figure_whose_subject_points_back_measures_what_the_sentence_before_names(tmp_path, fake_embedder):
    engine = _briefing(tmp_path, fake_embedder, "port trade", (
        "Li Ming:\n\nCargo volumes have been weak since the storm. It's averaged only about 1.5 "
        "percent a year for the last six years. Growth in fleet cargo capacity was around 4 "
        "percent.\n"))
    # "It's averaged only": what averaged 1.5 percent is the sentence before's cargo volumes
    _, picks = engine.figure_candidates("How fast have cargo volumes grown per year?")
    assert picks[0].figure.text == "1.5 percent"


@pytest.mark.parametrize("question, expect", [
    ("On what date will the harbour reopen?", "date"),
    ("Which days will the trade fair be held?", "date"),
    ("When will the port summit be held?", "date"),
    ("When asked about fees, what did Li say?", "text"),  # "when asked" is no date
    ("When did Li expect the ferry timetable to be published again?", "date"),  # a day or a month
    ("By when will the port take bids for the new berths?", "date"),
    ("In which month of 2032 will the levy be reviewed?", "date"),
    ("What was the grant application deadline Li gave?", "date"),
    ("When Li spoke in June, how many ferries were running?", "count"),  # a clause, not a time asked
    ("How many days a week do ferries run?", "count"),
    ("What day of the week is market day?", "text"),
])
def test_a_question_about_a_day_of_the_calendar_asks_for_a_date(question, expect):
    assert analyse(question).expect == expect


def test_a_date_question_is_answered_with_the_date_said_not_the_one_it_gives(tmp_path, fake_embedder):
    engine = _briefing(tmp_path, fake_embedder, "port trade", (
        "Li Ming:\n\nThe new ferry terminal will open on the 19th of June. The trade fair will be "
        "held from 14 to 16 July at the old docks. After this briefing on May 21, our next "
        "briefing is on Monday, May 27.\n"))
    answer = engine.ask("On what date will the new ferry terminal open?")
    assert answer.answer == "the 19th of June"
    assert answer.citations[0].quote == "The new ferry terminal will open on the 19th of June."
    assert engine.ask("On which days will the trade fair be held at the old docks?").answer == "from 14 to 16 July"
    # the date the question gives itself (the briefing's) is not its answer
    assert engine.ask("On what date, after May 21, is our next briefing?").answer == "Monday, May 27"


def test_a_day_said_as_tomorrow_is_answered_with_its_date_read_from_the_briefing(tmp_path, fake_embedder):
    from qa.faithfulness import number_faithful

    engine = _briefing(tmp_path, fake_embedder, "port trade", (
        "Li Ming:\n\nToday we open the trade hall. Tomorrow, the harbour master will unveil the new "
        "ferry pier.\n"))
    answer = engine.ask("On what date will the harbour master unveil the new ferry pier?")
    assert answer.answer == "Tomorrow (on May 22, 2024, said as 'Tomorrow' on 2024-05-21)"
    assert answer.citations[0].quote == "Tomorrow, the harbour master will unveil the new ferry pier."
    assert number_faithful(answer)  # the date is read from the briefing's date, not quoted
    # "today" is the briefing's own date: it tells no day of an event
    assert engine.ask("On what date will the trade hall open?").abstained


def test_when_and_which_month_are_answered_by_a_month_said(tmp_path, fake_embedder):
    engine = _briefing(tmp_path, fake_embedder, "port trade", (
        "Li Ming:\n\nToday we open the new ferry terminal. We expect to publish the winter ferry "
        "timetable again in November, once the berths are repaired.\n"))
    assert engine.ask("When will the port publish the winter ferry timetable again?").answer == "November"
    assert engine.ask("In which month will the winter ferry timetable be published again?").answer == "November"
    # a date question still wants a day: a month alone does not answer it
    assert engine.ask("On what date will the winter ferry timetable be published again?").abstained


def test_a_figure_of_the_month_asked_is_looked_for_beyond_the_best_passages(tmp_path, fake_embedder):
    decoys = "".join(f"Li Ming:\n\nThe harbour jobless rate matters to harbour workers, and the harbour jobless rate "
                     f"was {n} percent in 2019 for harbour crews.\n\n" for n in (7, 8, 9, 6))
    engine = _briefing(tmp_path, fake_embedder, "port jobs", decoys + (
        "Li Ming:\n\nAmong dock staff, joblessness was 4.5 percent in March, the lowest on record.\n"))
    _, picks = engine.figure_candidates("harbour jobless rate March 2024")
    # the passages matching best all give other years; the one saying March's is read too
    assert [p.figure.text for p in picks if p.period > 0] == ["4.5 percent"]


def test_a_month_holding_a_briefing_is_still_searched_as_a_readings_month():
    from datetime import date

    from qa.question import name_briefings
    from qa.scoring import reading_periods

    question = name_briefings(analyse("harbour jobless rate May 2031", date(2031, 6, 1)), [date(2031, 5, 12)])
    assert [p.text for p in question.briefings] == ["May 2031"]  # it may name the May 12 briefing...
    assert [p.text for p in reading_periods(question)] == ["May 2031"]  # ...or May's reading
    assert reading_periods(analyse("harbour jobless rate on May 3, 2031")) == []  # a day is an event's


def test_a_year_the_level_is_compared_with_is_not_the_period_asked():
    from datetime import date

    asked = analyse("What is the harbour levy now, down from its 2001 level, per the May 21, 2024 briefing?",
                    date(2024, 5, 21))
    assert all(p.start.year == 2024 for p in asked.periods + asked.relative_periods)
    assert [p.text for p in analyse("What was the harbour levy in 2001?").periods] == ["2001"]


@pytest.mark.parametrize("question, expect", [
    ("Which session of the harbour assembly opens in May?", "ordinal"),
    ("Which round of fee talks starts on Monday?", "ordinal"),
    ("Which anniversary does the port mark this year?", "ordinal"),
    ("Which ports reopened?", "list"),
])
def test_a_question_about_a_place_in_a_series_asks_for_an_ordinal(question, expect):
    assert analyse(question).expect == expect


@pytest.mark.parametrize("question, expect", [
    ("In what year did harbour traffic peak at 9 million tonnes, according to the minister?", "year"),
    ("Which year will the new breakwater open?", "year"),
    ("What year-on-year growth did the docks post?", "change"),
])
def test_a_question_about_a_year_asks_for_one(question, expect):
    assert analyse(question).expect == expect


def test_a_year_question_is_answered_with_the_year_said_not_one_it_names(tmp_path, fake_embedder):
    engine = _briefing(tmp_path, fake_embedder, "port trade", (
        "Li Ming:\n\nHarbour traffic peaked at 9 million tonnes in 2010.\n\nHarbour traffic in 2019 was well "
        "below the peak it reached in 2010.\n"))
    assert engine.ask("In what year did harbour traffic peak at 9 million tonnes?").answer == "2010"
    # the year the question names is never the answer, though its sentence says it first
    assert engine.ask("Harbour traffic in 2019 was well below the peak: in what year was it reached?").answer == "2010"


def test_an_ordinal_question_is_answered_with_the_ordinal_said(tmp_path, fake_embedder):
    engine = _briefing(tmp_path, fake_embedder, "port trade", (
        "Li Ming:\n\nFirst, the 41st session of the harbour assembly will be held on June 3. It has "
        "300 members.\n"))
    answer = engine.ask("Which session of the harbour assembly will be held on June 3?")
    assert answer.answer == "41st"  # not the word "First", nor the count of members
    assert "41st session" in answer.citations[0].quote


def test_basis_points_the_question_states_are_also_their_percentage_points():
    """"After the 75 basis point hike": a rise of 0.75 percentage point restates the question."""
    assert set(analyse("What is the harbour rate after the 75 basis point hike?").stated) == {75.0, 0.75}
    assert analyse("What is the harbour rate after the 75 ton shipment?").stated == (75.0,)


@pytest.mark.parametrize("question", ["What was harbour throughput growth in 2031, according to official Yuan Mei?",
                                      "How fast did fares rise, per Mr. Yuan?"])
def test_a_person_named_yuan_asks_for_no_sum_in_yuan(question):
    assert analyse(question).expect != "money"
    assert analyse("How much was invested, in yuan?").expect == "money"


def test_how_many_countries_is_not_answered_by_the_cases_beside_them():
    from corpus.figures import extract_figures
    from qa.scoring import counts_other_nouns

    figures = extract_figures("More than 12,400 cases have been reported from 37 countries and territories.")
    cases, countries = figures
    question = analyse("From how many countries had cases been reported?")
    assert counts_other_nouns(question, cases, figures) and not counts_other_nouns(question, countries, figures)
    alone = extract_figures("More than 12,400 cases have been reported.")
    assert not counts_other_nouns(question, alone[0], alone)  # no count of countries said: not ruled out


def test_a_change_on_another_basis_is_another_measure():
    from corpus.figures import extract_figures
    from qa.scoring import measured_on_another_basis

    sentence = "Harbour output grew by 4.7% year on year and 1.2% quarter on quarter."
    yearly, quarterly = extract_figures(sentence)
    question = analyse("What was harbour output growth year on year?")
    assert not measured_on_another_basis(question, yearly, sentence, 0)
    assert measured_on_another_basis(question, quarterly, sentence, 0)
    plain = analyse("How fast did harbour output grow?")
    assert not measured_on_another_basis(plain, quarterly, sentence, 0)  # no basis asked: either may answer


def test_a_subject_head_spelled_out_meets_the_acronym_asked():
    from corpus.figures import extract_figures
    from qa.scoring import TermWeights, figure_relevance

    (figure,) = extract_figures("In the first quarter, the city's gross domestic product grew by 4.7%.")
    question = analyse("What was harbour GDP growth?")
    assert figure_relevance(question, figure, 0.5, TermWeights({}, 1)).head > 0


def test_a_change_alone_after_that_points_back_to_the_sentence_before():
    from corpus.figures import extract_figures
    from qa.scoring import points_back

    sentence = "That is a 2.6 increase — 2.6 percent increase from last year."  # a speaker correcting himself
    (figure,) = [f for f in extract_figures(sentence) if f.kind == "percent"]
    assert figure.subject.strip() == "increase"
    assert points_back(figure, sentence[: figure.start])
    other = "Harbour fees saw a 2.6 percent increase from last year."
    (fees,) = [f for f in extract_figures(other) if f.kind == "percent"]
    assert not points_back(fees, other[: fees.start])  # the sentence names what rose


@pytest.mark.parametrize("question, phrase, searched", [
    ("At the Harbour Board's June 2031 Ferry Outlook press conference, what growth was projected?",
     "At the Harbour Board's June 2031 Ferry Outlook press conference", "what growth was projected?"),
    ("How low was the toll, per Marlow's first news conference as chair?", "per Marlow's first news conference",
     "How low was the toll, as chair?"),
    ("What did the minister say at the media briefing on ferries about fares?", "at the media briefing",
     "What did the minister say on ferries about fares?"),  # the topic after the briefing noun stays
    ("How many berths opened, according to the 3 May briefing?", "according to the 3 May briefing",
     "How many berths opened?"),
    ("How many reporters attended the briefing?", "", "How many reporters attended the briefing?"),
    ("In the briefing, how many?", "", "In the briefing, how many?"),  # nothing would be left to search
])
def test_the_phrase_naming_the_briefing_is_left_out_of_the_search(question, phrase, searched):
    parsed = analyse(question)
    assert parsed.briefing_phrase == phrase
    assert parsed.searched_text == searched
