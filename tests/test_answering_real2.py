"""Second pass on answering real briefings: question kinds, basis points, subjects of bare
figures and "respectively" lists. Invented sentences only."""

from corpus.figures import extract_figures
from qa.question import analyse
from qa.scoring import answer_kind, kind_fit


def _figure(sentence: str, text: str):
    return next(f for f in extract_figures(sentence) if f.text == text)


def test_a_question_led_by_how_many_counts_its_noun_whatever_else_it_says() -> None:
    question = analyse("Over how many sessions did the board keep lifting the rate?")
    assert question.expect == "count"
    assert "session" in " ".join(question.focus)
    assert analyse("By how many points did the rate rise?").expect == "change"
    assert analyse("How many times larger was the harbour?").expect == "multiple"


def test_basis_points_answer_as_percentage_points() -> None:
    figure = _figure("The council approved a 40 basis point cut on Monday.", "40")
    assert figure.kind == "count"
    assert answer_kind(figure) == "percentage_points"
    question = analyse("How big was the cut the council approved, in basis points?")
    assert kind_fit(question, figure) > 0
    # A count of other things still cannot answer a percent question.
    ships = _figure("The council approved 40 ships on Monday.", "40")
    share = analyse("What share of the budget did the council approve?")
    assert kind_fit(share, ships) == 0
    assert kind_fit(share, figure) > 0


def test_a_bare_share_measures_the_predicate_after_it() -> None:
    sentence = "And of those over 70, only 22 percent have collected their second allowance."
    figure = _figure(sentence, "22 percent")
    assert figure.subject == "collected their second allowance"


def test_a_later_figure_after_a_time_phrase_keeps_the_earlier_subject() -> None:
    sentence = "The forecast puts harbour traffic at 2.0 percent this year and 2.6 percent next year."
    assert _figure(sentence, "2.6 percent").subject == _figure(sentence, "2.0 percent").subject


def test_respectively_pairs_each_figure_with_an_item_listed_before_the_measure() -> None:
    sentence = ("Before the rules for ferries, trams, and cable cars, the yearly reported accidents "
                "from these services were 4, 9, and 21, respectively.")
    subjects = [f.subject for f in extract_figures(sentence) if f.is_statistic]
    assert [s.rsplit("(", 1)[-1] for s in subjects] == ["ferries)", "trams)", "cable cars)"]
    assert all("accidents" in s for s in subjects)


def test_a_question_asking_by_what_percentage_is_answered_by_a_percentage_only() -> None:
    sentence = "Harbour investment reached 79.8 billion yuan, a year-on-year increase of 17.3%."
    question = analyse("By what percentage did harbour investment rise year on year?")
    assert kind_fit(question, _figure(sentence, "79.8 billion yuan")) == 0
    assert kind_fit(question, _figure(sentence, "17.3%")) > 0
    # "by how much" may still be a sum
    assert kind_fit(analyse("By how much did harbour investment rise?"), _figure(sentence, "79.8 billion yuan")) > 0


def test_a_question_naming_a_currency_is_answered_in_that_currency() -> None:
    sentence = "Harbour investment reached RMB79.8 billion, equivalent to USD11.2 billion, up by 21.5%."
    in_dollars = analyse("How much harbour investment was there, in US dollars?")
    assert kind_fit(in_dollars, _figure(sentence, "RMB79.8 billion")) == 0
    assert kind_fit(in_dollars, _figure(sentence, "USD11.2 billion")) > 0
    unnamed = analyse("How much harbour investment was there?")
    assert kind_fit(unnamed, _figure(sentence, "RMB79.8 billion")) > 0


def test_a_count_of_time_in_the_unit_asked_fits_better_than_in_another() -> None:
    question = analyse("For how many days must arriving crews stay aboard?")
    days = _figure("Arriving crews must stay aboard for 21 days.", "21")
    weeks = _figure("Arriving crews must stay aboard for three weeks.", "three")
    assert kind_fit(question, days) > kind_fit(question, weeks) > 0


def test_a_length_of_time_answers_no_question_about_people_or_pay() -> None:
    stay = _figure("The minister will visit the port for two days.", "two")
    assert kind_fit(analyse("How many people attended the port reception?"), stay) == 0
    assert kind_fit(analyse("How much per week would the crew allowance pay?"), stay) == 0
    # asked about time, it answers
    assert kind_fit(analyse("For how many days will the minister visit?"), stay) > 0
    assert kind_fit(analyse("How long will the minister stay?"), stay) > 0
