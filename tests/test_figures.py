"""Tests for corpus.figures: every statistic of the seed transcript, plus tricky forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus.figures import extract_figures, parse_number
from corpus.models import STATISTIC_KINDS, Figure

ROOT = Path(__file__).resolve().parents[1]
SEED_PATH = ROOT / "corpus" / "transcripts" / "2022-06-18_industry-and-it-achievements.txt"
SEED = SEED_PATH.read_text(encoding="utf-8")
RURAL_PATH = ROOT / "tests" / "fixtures" / "2023-03-09_rural-energy-briefing.txt"

# The answer body of the seed: from the first answer sentence to the end of the answer.
BODY_START = SEED.index("Thank you for your questions.")
BODY_END = SEED.index("Efforts will be made")
BODY = SEED[BODY_START:BODY_END]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def seed_figures() -> list[Figure]:
    return extract_figures(BODY, offset=BODY_START)


@pytest.fixture(scope="module")
def seed_stats(seed_figures: list[Figure]) -> list[Figure]:
    return [f for f in seed_figures if f.is_statistic]


def _find(figures: list[Figure], text: str, nth: int = 0) -> Figure:
    matches = [f for f in figures if f.text == text]
    assert len(matches) > nth, f"no figure {text!r} (#{nth}) in {[f.text for f in figures]}"
    return matches[nth]


def _one(text: str, figure_text: str) -> Figure:
    return _find(extract_figures(text), figure_text)


# ---------------------------------------------------------------------------
# The seed transcript: every statistic, in order
# ---------------------------------------------------------------------------

SEED_STATISTICS = [
    "51.3%", "74.7%", "30.7 percentage points", "25.9 percentage points",
    "42", "300", "97.5%", "700", "48%", "38%", "35%", "6,000",
    "three", "45", "300", "five", "150", "78 million",
    "10.7 trillion yuan", "14.1 trillion yuan", "2.5 trillion yuan", "9.5 trillion yuan",
    "600,000", "70%",
]


def test_seed_statistics_are_exactly_these_in_order(seed_stats: list[Figure]) -> None:
    assert [f.text for f in seed_stats] == SEED_STATISTICS


def test_seed_offsets_point_at_the_figure_text(seed_figures: list[Figure]) -> None:
    assert seed_figures
    for f in seed_figures:
        assert SEED[f.start : f.end] == f.text
        assert BODY_START <= f.start < f.end <= BODY_END


# (text, nth occurrence, value, unit, scale, qualifier, kind, period, role, change,
#  words the subject must contain, words it must not contain)
SEED_EXPECTATIONS = [
    ("51.3%", 0, 51.3, "percent", None, None, "percent", "By the end of 2021", None, False,
     ["numerical control rate of key processes"], ["penetration"]),
    ("74.7%", 0, 74.7, "percent", None, None, "percent", "By the end of 2021", None, False,
     ["penetration rate of R&D and design tools"], ["numerical control"]),
    ("30.7 percentage points", 0, 30.7, "percentage points", None, None, "percentage_points",
     "over 2012", None, True, ["numerical control rate"], ["penetration"]),
    ("25.9 percentage points", 0, 25.9, "percentage points", None, None, "percentage_points",
     "over 2012", None, True, ["penetration rate of R&D"], ["numerical control"]),
    ("42", 0, 42, "international standards", None, None, "count", None, None, False,
     ["international standards", "for smart manufacturing"], ["300", "more than"]),
    ("300", 0, 300, "national standards", None, "more than", "count", None, None, False,
     ["national standards"], ["international"]),
    ("97.5%", 0, 97.5, "percent", None, None, "percent", None, None, False,
     ["penetration rate of national standards"], ["reached", "fundamental"]),
    ("700", 0, 700, "digital workshops and intelligent factories", None, "over", "count", None,
     None, False, ["digital workshops and intelligent factories"], []),
    ("48%", 0, 48, "percent", None, None, "percent", None, None, True,
     ["average production efficiency of smart manufacturing demonstration projects"],
     ["increased"]),
    ("38%", 0, 38, "percent", None, None, "percent", None, None, True,
     ["R&D period of products"], ["lessened", "efficiency", " and "]),
    ("35%", 0, 35, "percent", None, None, "percent", None, None, True,
     ["non-performing rate of products"], ["dropping", "with", "average"]),
    ("6,000", 0, 6000, "smart manufacturing system solution suppliers", None, "more than",
     "count", "So far", None, False, ["smart manufacturing system solution suppliers"], []),
    ("three", 0, 3, "systems", None, None, "count", None, None, False, ["systems"], []),
    ("45", 0, 45, "major national economic categories", None, None, "count", None, None,
     False, ["major national economic categories"], []),
    ("300", 1, 300, "cities", None, "more than", "count", "So far", None, False,
     ["cities in China", "connected to the high-quality extranets"], []),
    ("five", 0, 5, "major top-level nodes", None, None, "count", None, None, False,
     ["major top-level nodes"], ["operated"]),
    ("150", 0, 150, "large industrial internet platforms", None, "more than", "count", None,
     None, False, ["large industrial internet platforms"], ["connecting"]),
    ("78 million", 0, 78, "units (sets)", "million", "over", "count", None, None, False,
     ["units (sets)", "industrial equipment"], []),
    ("10.7 trillion yuan", 0, 10.7, "yuan", "trillion", None, "money", "From 2012 to 2021",
     "from", False, ["industry scale of China's electronic information manufacturing sector"],
     ["increased", "From 2012"]),
    ("14.1 trillion yuan", 0, 14.1, "yuan", "trillion", None, "money", "From 2012 to 2021",
     "to", False, ["industry scale of China's electronic information manufacturing sector"],
     []),
    ("2.5 trillion yuan", 0, 2.5, "yuan", "trillion", None, "money", "From 2012 to 2021",
     "from", False, ["software industry"], ["electronic", "that of"]),
    ("9.5 trillion yuan", 0, 9.5, "yuan", "trillion", None, "money", "From 2012 to 2021",
     "to", False, ["software industry"], ["electronic"]),
    ("600,000", 0, 600000, "", None, "exceeded", "count", None, None, False,
     ["The number of industrial apps"], ["exceeded"]),
    ("70%", 0, 70, "percent", None, None, "percent", None, None, False,
     ["related to operation and management"], ["accounting", "with", "apps"]),
]


@pytest.mark.parametrize(
    "text,nth,value,unit,scale,qualifier,kind,period,role,change,contains,excludes",
    SEED_EXPECTATIONS,
    ids=[f"{e[0]}#{e[1]}" for e in SEED_EXPECTATIONS],
)
def test_seed_statistic(seed_stats, text, nth, value, unit, scale, qualifier, kind, period,
                        role, change, contains, excludes) -> None:
    f = _find(seed_stats, text, nth)
    assert f.value == pytest.approx(value)
    assert f.unit == unit
    assert f.scale == scale
    assert f.qualifier == qualifier
    assert f.kind == kind
    assert f.period == period
    assert f.role == role
    assert f.change is change
    for word in contains:
        assert word in f.subject, f"{word!r} not in subject {f.subject!r}"
    for word in excludes:
        assert word not in f.subject, f"{word!r} in subject {f.subject!r}"


def test_seed_magnitudes(seed_stats: list[Figure]) -> None:
    assert _find(seed_stats, "78 million").magnitude == pytest.approx(78e6)
    assert _find(seed_stats, "10.7 trillion yuan").magnitude == pytest.approx(10.7e12)
    assert _find(seed_stats, "600,000").magnitude == pytest.approx(600_000)


def test_seed_subjects_use_the_transcripts_words(seed_stats: list[Figure]) -> None:
    body = _norm(BODY)
    for f in seed_stats:
        assert f.subject, f"empty subject for {f.text!r}"
        # Verbatim, except that coordinated counts share a trailing complement.
        pieces = f.subject.split(" for ") if f.kind == "count" else [f.subject]
        assert all(_norm(piece) in body for piece in pieces), f.subject


def test_seed_count_subjects_stay_short(seed_stats: list[Figure]) -> None:
    for f in seed_stats:
        if f.kind == "count":
            assert len(f.subject.split()) <= 15, f.subject


# ---------------------------------------------------------------------------
# Years and ordinals are found but are not statistics
# ---------------------------------------------------------------------------


def test_years_in_seed_are_years(seed_figures: list[Figure]) -> None:
    years = [f for f in seed_figures if f.kind == "year"]
    assert [f.text for f in years] == ["2021", "2012", "2012", "2021"]
    assert all(not f.is_statistic for f in years)
    assert [f.value for f in years] == [2021, 2012, 2012, 2021]


def test_ordinal_list_starts_are_ordinals(seed_figures: list[Figure]) -> None:
    ordinals = [f for f in seed_figures if f.kind == "ordinal"]
    assert [(f.text, f.value) for f in ordinals] == [
        ("First", 1), ("Second", 2), ("Third", 3), ("Fourth", 4)]
    assert all(not f.is_statistic for f in ordinals)


def test_header_has_no_statistics() -> None:
    header = SEED[:BODY_START]
    figures = extract_figures(header)
    assert not [f for f in figures if f.is_statistic], figures
    kinds = {(f.text, f.kind) for f in figures}
    assert ("18th", "ordinal") in kinds  # "18th CPC National Congress", "18th Party Congress"
    assert ("2022", "year") in kinds  # "June 18, 2022"
    assert sum(1 for f in figures if f.text == "18th") == 2
    assert "18" not in {f.text for f in figures}  # the day of "June 18" is part of the date


@pytest.mark.parametrize("sentence,year", [
    ("In 2021, output grew.", "2021"),
    ("From 2012 to 2021, output grew.", "2012"),
    ("The plan was released on June 18, 2022.", "2022"),
    ("2012 was a turning point.", "2012"),
    ("Since 2017, we have built roads.", "2017"),
])
def test_years_are_not_statistics(sentence: str, year: str) -> None:
    figures = extract_figures(sentence)
    assert _find(figures, year).kind == "year"
    assert not [f for f in figures if f.is_statistic]


def test_year_shaped_amounts_are_not_years() -> None:
    assert _one("The fee was 2021 yuan.", "2021 yuan").kind == "money"
    assert _one("It rose 2012%.", "2012%").kind == "percent"
    counted = _one("Over 2000 companies joined in 2019.", "2000")
    assert (counted.kind, counted.unit, counted.qualifier) == ("count", "companies", "over")
    assert _one("Some 2,021 cities took part.", "2,021").kind == "count"


def test_ordinal_congress_and_list_words() -> None:
    figures = extract_figures("Since the 20th CPC National Congress, two things happened.")
    congress = _find(figures, "20th")
    assert congress.kind == "ordinal" and congress.value == 20
    assert "CPC National Congress" in congress.subject
    second = _one("Second, we cut costs by 5%.", "Second")
    assert second.kind == "ordinal" and second.value == 2
    # "second-level nodes" is an adjective, not an enumeration
    assert not extract_figures("The second-level nodes cover all regions.")


# ---------------------------------------------------------------------------
# Tricky forms
# ---------------------------------------------------------------------------


def test_percent_written_as_word() -> None:
    f = _one("The rate reached 51.3 percent in 2021.", "51.3 percent")
    assert (f.kind, f.unit, f.value, f.change) == ("percent", "percent", 51.3, False)
    assert f.subject == "The rate"
    assert f.period == "in 2021"
    g = _one("The share was 12.5 per cent.", "12.5 per cent")
    assert g.kind == "percent" and g.value == 12.5


def test_percent_in_real_terms_is_a_change() -> None:
    f = _one("GDP grew 6.3 percent in real terms.", "6.3 percent")
    assert (f.kind, f.value, f.change, f.subject) == ("percent", 6.3, True, "GDP")


def test_money_with_rmb_prefix() -> None:
    f = _one("Revenue hit RMB 1.2 trillion in 2021.", "RMB 1.2 trillion")
    assert (f.kind, f.unit, f.value, f.scale) == ("money", "yuan", 1.2, "trillion")
    assert f.magnitude == pytest.approx(1.2e12)
    assert f.subject == "Revenue"


@pytest.mark.parametrize("sentence,text", [
    ("Exports were $3 billion.", "$3 billion"),
    ("Exports were 3 billion US dollars.", "3 billion US dollars"),
])
def test_money_in_us_dollars(sentence: str, text: str) -> None:
    f = _one(sentence, text)
    assert (f.kind, f.unit, f.value, f.scale) == ("money", "US dollars", 3, "billion")
    assert f.subject == "Exports"


def test_money_with_qualifier() -> None:
    f = _one("They invested almost 10 billion yuan in research.", "10 billion yuan")
    assert (f.kind, f.qualifier, f.value, f.scale) == ("money", "almost", 10, "billion")


def test_bare_numbers() -> None:
    f = _one("The total reached 1,480.", "1,480")
    assert (f.kind, f.unit, f.value) == ("number", "", 1480)
    assert f.subject == "The total"
    g = _one("The Gini coefficient was 0.568.", "0.568")
    assert (g.kind, g.unit, g.value, g.subject) == ("number", "", 0.568, "The Gini coefficient")


def test_fold_increase_is_a_multiple_and_a_change() -> None:
    f = _one("Exports saw a 15-fold increase over 2012.", "15-fold")
    assert (f.kind, f.unit, f.value, f.change) == ("multiple", "times", 15, True)
    assert f.period == "over 2012"
    assert f.subject == "Exports"


def test_times_is_a_multiple() -> None:
    f = _one("Output was 3.8 times that of 2012.", "3.8 times")
    assert (f.kind, f.unit, f.value) == ("multiple", "times", 3.8)


def test_up_percentage_points_is_a_change() -> None:
    f = _one("The share was up 7 percentage points.", "7 percentage points")
    assert (f.kind, f.value, f.change) == ("percentage_points", 7, True)
    assert f.subject == "The share"
    single = _one("It fell 1 percentage point.", "1 percentage point")
    assert single.kind == "percentage_points"


def test_qualified_count() -> None:
    f = _one("We now work with nearly 2,000 companies.", "2,000")
    assert (f.kind, f.unit, f.value, f.qualifier) == ("count", "companies", 2000, "nearly")


def test_qualified_percent() -> None:
    f = _one("About 40 percent of firms export.", "40 percent")
    assert (f.kind, f.qualifier, f.value) == ("percent", "about", 40)
    assert "firms" in f.subject


def test_qualifier_at_sentence_start_is_lowercased() -> None:
    f = _one("More than 150 platforms have been established.", "150")
    assert f.qualifier == "more than"
    assert f.unit == "platforms"


@pytest.mark.parametrize("sentence,text,change", [
    ("Profits increased by 48% last year.", "48%", True),
    ("Profits reached 48% of the total.", "48%", False),
    ("Sales were down 3%.", "3%", True),
    ("Sales grew 8.1% year on year.", "8.1%", True),
    ("There was an increase of 12% in sales.", "12%", True),
    ("The project was supported by 300 companies.", "300", False),
])
def test_change_flag(sentence: str, text: str, change: bool) -> None:
    assert _one(sentence, text).change is change


def test_change_prefers_baseline_period() -> None:
    sentence = "In 2021, the rate reached 40%, up 5 percentage points over 2012."
    figures = extract_figures(sentence)
    assert _find(figures, "40%").period == "In 2021"
    assert _find(figures, "5 percentage points").period == "over 2012"
    assert _find(figures, "5 percentage points").subject == "the rate"


def test_from_to_counts_measure_the_clause_subject() -> None:
    sentence = "The average outage time dropped from 52 hours to 9 hours a year."
    figures = extract_figures(sentence)
    a, b = _find(figures, "52"), _find(figures, "9")
    assert (a.role, b.role) == ("from", "to")
    assert a.unit == b.unit == "hours"
    assert a.subject == b.subject == "The average outage time"


def test_respectively_pairs_three_subjects() -> None:
    sentence = ("The rate of A and the share of B and the level of C reached 1%, 2% and 3%, "
                "respectively.")
    figures = extract_figures(sentence)
    assert [f.subject for f in figures] == ["The rate of A", "the share of B", "the level of C"]


@pytest.mark.parametrize("sentence, text, subject", [
    # A figure used as a modifier measures the noun after it, not the clause before it.
    ("The board confirmed that the current 3 to 3½ percent target band for the lending rate remains.",
     "3 to 3½ percent", "target band for the lending rate"),
    ("Trials showed an impressive 72 percent reduction in hospital stays among the patients.",
     "72 percent", "reduction in hospital stays among the patients"),
    ("The council is proposing a 12 percent harbour levy, which shippers oppose.", "12 percent", "harbour levy"),
    ("The city unveiled a $9 billion river works plan yesterday.", "$9 billion", "river works plan"),
])
def test_a_figure_that_modifies_a_noun_measures_that_noun(sentence: str, text: str, subject: str) -> None:
    assert _find(extract_figures(sentence), text).subject == subject


@pytest.mark.parametrize("sentence, text", [
    ("Fares were 5 percent above the old level.", "5 percent"),
    ("Fares rose 5 percent in May.", "5 percent"),
    ("Fares rose 5 percent annually.", "5 percent"),
])
def test_words_after_a_figure_that_start_no_noun_leave_the_subject_before_it(sentence: str, text: str) -> None:
    assert _find(extract_figures(sentence), text).subject.startswith("Fares")


def test_a_sum_said_with_nothing_before_it_measures_what_it_is_in() -> None:
    figures = extract_figures("So far, we have awarded over $31 billion in grants for 900 projects.")
    assert _find(figures, "$31 billion").subject == "grants"
    # A time after "in" is no measured thing.
    assert _find(extract_figures("We spent $4 billion in 2020."), "$4 billion").subject == ""


def test_an_opening_phrase_before_a_comma_is_not_part_of_the_subject() -> None:
    sentence = ("Over the year, total fares rose 4.1 percent; leaving out the seasonal routes, "
                "core fares rose 2.9 percent.")
    assert _find(extract_figures(sentence), "2.9 percent").subject == "core fares"


def test_a_bare_count_of_part_of_a_whole_keeps_what_tells_it_apart() -> None:
    sentence = "Fares rose on 310 routes, of which 42 had double-digit rises."
    figures = extract_figures(sentence)
    assert _find(figures, "310").subject == "routes"
    assert _find(figures, "42").subject == "routes double-digit rises"


def test_a_leading_conjunction_is_no_part_of_the_subject() -> None:
    sentence = "Although the jobless rate, at 4.2 percent in March, was unchanged, hiring slowed."
    assert _find(extract_figures(sentence), "4.2 percent").subject == "the jobless rate"


def test_respectively_after_a_listed_subject_gives_each_item() -> None:
    sentence = ("Rail traffic grew by 0.4% while the figure for Norway, Chile and the UK stood at "
                "5.1%, 4.2% and 3.3% respectively.")
    figures = extract_figures(sentence)
    assert [_find(figures, t).subject for t in ("5.1%", "4.2%", "3.3%")] == ["Norway", "Chile", "the UK"]


def test_from_a_described_level_to_another_marks_both_ends() -> None:
    sentence = "The jobless rate is forecast to rise from where it is now at 3.5 per cent to 6 per cent."
    figures = extract_figures(sentence)
    assert (_find(figures, "3.5 per cent").role, _find(figures, "6 per cent").role) == ("from", "to")


def test_number_words() -> None:
    f = _one("The five major nodes have operated steadily.", "five")
    assert (f.kind, f.value, f.unit) == ("count", 5, "major nodes")
    g = _one("Twenty-one projects were built.", "Twenty-one")
    assert (g.kind, g.value, g.unit) == ("count", 21, "projects")
    h = _one("We opened a dozen parks.", "a dozen")
    assert (h.kind, h.value, h.unit) == ("count", 12, "parks")


def test_number_words_without_a_noun_are_ignored() -> None:
    assert not extract_figures("One of the five is here.")
    assert not extract_figures("We did it, and we will do it again, one by one.")
    assert not extract_figures("The five-year plan was adopted.")


def test_words_glued_to_names_are_not_numbers() -> None:
    assert not extract_figures("COVID-19 slowed the G20 and 5G rollout.")


def test_sentence_split_keeps_decimals_and_abbreviations() -> None:
    text = "Mr. Li said it was 51.3%. In 2021, sales were 3 billion U.S. dollars. Fine."
    figures = extract_figures(text)
    pct = _find(figures, "51.3%")
    assert pct.subject == "Mr. Li said it"  # one sentence: "Mr." does not end it
    money = _find(figures, "3 billion U.S. dollars")
    assert (money.unit, money.period) == ("US dollars", "In 2021")


def test_month_period_and_number_of_count() -> None:
    f = _one("As of the end of May, the number of users exceeded 400 million.", "400 million")
    assert (f.kind, f.unit, f.scale, f.qualifier) == ("count", "", "million", "exceeded")
    assert f.period == "As of the end of May"
    assert f.subject == "the number of users"
    # "may" the verb is no month
    assert _one("Sales in may rise 5%.", "5%").period is None


def test_period_is_limited_to_its_sentence() -> None:
    figures = extract_figures("By 2021, we had 40 parks. Sales rose 5%.")
    assert _find(figures, "40").period == "By 2021"
    assert _find(figures, "5%").period is None


def test_rural_fixture_respectively_and_change() -> None:
    text = RURAL_PATH.read_text(encoding="utf-8")
    figures = extract_figures(text)
    heating = _find(figures, "38.6%")
    share = _find(figures, "61.2%")
    assert "clean heating rate" in heating.subject and "electricity" not in heating.subject
    assert "share of electricity" in share.subject and "heating" not in share.subject
    assert _find(figures, "9.8 percentage points").subject == share.subject
    fold = _find(figures, "15-fold")
    assert (fold.change, fold.period) == (True, "over 2017")
    investment = _find(figures, "RMB 860 billion")
    assert (investment.unit, investment.period) == ("yuan", "From 2017 to 2022")
    villages = _find(figures, "90 percent")
    assert villages.qualifier == "nearly" and "administrative villages" in villages.subject


# ---------------------------------------------------------------------------
# Offsets and robustness
# ---------------------------------------------------------------------------

MESSY = [
    "",
    "%%%",
    "1.2.3",
    "..., 5",
    "10-",
    "-5%",
    "５０％ of ｆｉｇｕｒｅｓ, 中国 grew 5% 😀 in 2021.",
    "  \n\n  RMB1.2 trillion;;; up  7  percentage   points\tover 2012 ",
    "(((3))) [4] {5} $ $$ 6$ ¥",
    "It rose from to 5% and , respectively, respectively.",
    "and and and 3 and 4 and",
    "over over 5 more than more than 6",
    "a 15-fold 3.8 times 2,021 cities, 1,48 and 1,480,000.5",
    "First, Second, third, the 18th, June 18, 2022 18 June",
    "Mr. Dr. U.S. e.g. i.e. 5. 6! 7? 8",
    "One hundred and five, a hundred, twenty one, ninety-nine, zero",
    "-",
    "—5% −5% 5−",
    "\x00\x01 12 \u200b 13",
]


@pytest.mark.parametrize("text", MESSY)
def test_messy_input_never_raises_and_offsets_hold(text: str) -> None:
    for offset in (0, 1000):
        for f in extract_figures(text, offset=offset):
            assert text[f.start - offset : f.end - offset] == f.text
            assert f.kind in STATISTIC_KINDS | {"year", "ordinal"}


def test_negative_percent() -> None:
    f = _one("Growth was -5% last year.", "-5%")
    assert (f.kind, f.value) == ("percent", -5)


@pytest.mark.parametrize("path", [SEED_PATH, RURAL_PATH], ids=["seed", "rural"])
def test_whole_file_offsets(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    figures = extract_figures(text, offset=7)
    assert figures
    for f in figures:
        assert text[f.start - 7 : f.end - 7] == f.text
    assert [f.start for f in figures] == sorted(f.start for f in figures)


def test_random_text_never_raises() -> None:
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    pieces = st.sampled_from([
        " ", ", ", ". ", "; ", "5", "1,480", "51.3", "%", " percent", " trillion", " yuan",
        "RMB ", "$", "-fold", " times", " and ", " more than ", " over ", " from ", " to ",
        " by ", "the rate", " reached ", "2021", "June", "18th", "First", "five", "(sets)",
        " respectively", "\n", "-", "Mr.", " cities", " of ", " which ", "é", "中",
    ])

    @hypothesis.settings(max_examples=300, deadline=None, database=None)
    @hypothesis.given(st.lists(pieces, max_size=40).map("".join), st.integers(0, 50))
    def check(text: str, offset: int) -> None:
        for f in extract_figures(text, offset):
            assert text[f.start - offset : f.end - offset] == f.text

    check()


# ---------------------------------------------------------------------------
# parse_number
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("text,value", [
    ("1,480", 1480), ("0.568", 0.568), ("51.3", 51.3), ("15", 15), ("600,000", 600000),
    ("five", 5), ("Five", 5), ("twenty-one", 21), ("twenty one", 21), ("ninety-nine", 99),
    ("zero", 0), ("fifteen", 15), ("a hundred", 100), ("two hundred and five", 205),
    ("a dozen", 12), ("1.2 trillion", 1.2e12), ("78 million", 78e6), (" 42 ", 42),
])
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "1,48", "%", "five apples", "12a", "a"])
def test_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize("sentence, subject", [
    ("By the end of 2022, the irrigated area reached 40.1 million hectares.", "the irrigated area"),
    ("The area of eroded land shrank by 1,200 square kilometres.", "The area of eroded land"),
    ("Ports had 30 berths for vessels of 10,000 tonnes.", "vessels tonnes"),  # sizes a noun: not the clause
    ("The new quay will open, adding capacity of 2 million tonnes.", "capacity tonnes"),
    ("We built 2,100 kilometres of river embankments.", "kilometres of river embankments"),
])
def test_a_unit_of_measure_alone_measures_the_clause_before_it(sentence: str, subject: str) -> None:
    figure = [f for f in extract_figures(sentence) if f.unit][-1]
    assert figure.subject == subject


def test_vulgar_fractions_are_numbers() -> None:
    """Central banks print quarter points as fractions: "2¼ percent", "¾ percentage point"."""
    assert parse_number("2¼") == 2.25 and parse_number("¾") == 0.75 and parse_number("1½") == 1.5
    (figure,) = extract_figures("The Committee raised its policy rate by ¾ percentage point.")
    assert (figure.text, figure.value, figure.kind) == ("¾ percentage point", 0.75, "percentage_points")


@pytest.mark.parametrize(("sentence", "text", "value", "unit"), [
    ("The target range for the policy rate is now 2¼ to 2½ percent.", "2¼ to 2½ percent", 2.25, "percent"),
    ("We kept the 0 to ¼ percent range for the policy rate.", "0 to ¼ percent", 0.0, "percent"),
    ("Members see output growing 1.5-1.9 percent next year.", "1.5-1.9 percent", 1.5, "percent"),
])
def test_a_range_with_its_unit_said_once_is_one_figure(sentence: str, text: str, value: float, unit: str) -> None:
    (figure,) = [f for f in extract_figures(sentence) if f.is_statistic]
    assert (figure.text, figure.value, figure.unit) == (text, value, unit)
    assert sentence[figure.start:figure.end] == figure.text


def test_from_a_bare_number_to_one_with_a_unit_keeps_both_ends_in_that_unit() -> None:
    start, end = extract_figures("The share rose from 10 to 15 percent.")
    assert (start.role, start.unit, start.kind) == ("from", "percent", "percent")
    assert (end.role, end.text) == ("to", "15 percent")


def test_spoken_hedges_are_qualifiers_and_asides_measure_nothing() -> None:
    f = _one("The cheaper fuel means an improvement in ferry income, on average, of something like $500 per boat.",
             "$500")
    assert f.qualifier == "something like"
    assert f.subject.endswith("an improvement in ferry income")  # not "on average"
    g = _one("Harbour fees, you know, rose to about 4 percent.", "4 percent")
    assert g.subject == "Harbour fees"
    h = _one("The rate is in the order of 3 percent.", "3 percent")
    assert h.qualifier == "in the order of"


def test_cutting_something_by_tonnes_measures_what_is_cut() -> None:
    f = _one("The aim will be to reduce total harbour emissions by some 12 million tonnes of CO2.", "12 million")
    assert (f.unit, f.qualifier, f.subject) == ("tonnes", "some", "total harbour emissions")
    g = _one("Harbour emissions fell by 3 million tonnes.", "3 million")
    assert g.subject == "Harbour emissions"
    # A base form that is no verb here keeps its words: "total" is an adjective.
    h = _one("The works cut total dredging costs by 5 percent.", "5 percent")
    assert h.subject == "total dredging costs"
    # "of N tonnes" still sizes a noun.
    assert _one("Vessels of 10,000 tonnes can berth.", "10,000").subject != "Vessels"


def test_a_duration_compound_is_part_of_the_measure_not_a_figure() -> None:
    figures = extract_figures("In May, the 12-month change in the harbour price index came in above "
                              "expectations at 8.6 percent.")
    assert [f.text for f in figures] == ["8.6 percent"]
    assert figures[0].subject == "the 12-month change in the harbour price index"
    assert [f.text for f in extract_figures("Fees hit a 30-year low, 2.1 on a 12-month basis.")] == ["2.1"]
    assert [f.text for f in extract_figures("A 3-year-old pilot boat sank.")] == []
    # Without the hyphen the number still counts: "the 12 months to May".
    assert "12" in [f.text for f in extract_figures("The 12 months to May saw 4 percent.")]


def test_a_duration_compound_before_a_thing_is_how_long_it_lasts() -> None:
    figure = _one("We are in the middle of a 60-day review of the harbour board.", "60")
    assert (figure.kind, figure.unit) == ("count", "day review")
    assert _one("The port signed a 12-month freeze on fees.", "12").unit == "month freeze"


def test_how_a_figure_compared_with_forecasts_is_no_part_of_its_subject() -> None:
    assert _one("Harbour fees came in below forecasts at 3 percent.", "3 percent").subject == "Harbour fees"
    assert _one("Port revenue was ahead of market expectations at $4 billion.", "$4 billion").subject == "Port revenue"


@pytest.mark.parametrize("sentence, text, subject", [
    ("Fees will rise by another 2 percent.", "2 percent", "Fees"),
    ("Fees rose by an extra 2 percent.", "2 percent", "Fees"),
    ("The state will extend the harbour scheme, known as HPS, by a further $4.2 billion.", "$4.2 billion",
     "the harbour scheme, known as HPS"),
    ("We will lift the harbour fee by 2 percent.", "2 percent", "the harbour fee"),
    ("Exports to ports rose by 5 percent.", "5 percent", "Exports to ports"),  # "to ports" is no verb
])
def test_an_amount_added_by_a_further_figure_is_a_change_of_what_is_acted_on(sentence, text, subject) -> None:
    f = _one(sentence, text)
    assert (f.subject, f.change) == (subject, True)


def test_a_figure_in_an_opening_phrase_measures_the_main_clause_subject() -> None:
    figures = extract_figures("After falling from 15% to 10% in 2005, tariffs on imported ferries will stay low.")
    assert [(f.text, f.subject) for f in figures if f.is_statistic] == [
        ("15%", "tariffs on imported ferries"), ("10%", "tariffs on imported ferries")]
    assert _one("Rising by 4 percent, harbour fees hit a record.", "4 percent").subject == "harbour fees"
    # A figure with its own noun keeps it, and one after the comma is not in the opening phrase.
    assert _one("After 3 years of work, the quay opened.", "3").subject == "years of work"
    assert _one("In 2020, 40 percent of ships were late.", "40 percent").subject == "ships were late"


def test_a_level_down_from_an_earlier_one_shares_its_measure() -> None:
    figures = extract_figures("Over the past three months, ferry trips averaged 2,100 a week, down from an "
                              "average pace of 2,800 a week over the second half of last year.")
    assert [(f.text, f.subject) for f in figures] == [("2,100", "ferry trips"), ("2,800", "ferry trips")]
    assert _one("Fares rose to $3.10, up from an average of $2.90.", "$2.90").subject == "Fares"
    # Another clause with its own subject keeps it.
    assert _one("Fees are 5 percent, and down from there, tolls fell 3 percent.", "3 percent").subject != "Fees"


def test_a_pronoun_subject_keeps_the_opening_phrase_it_refers_to() -> None:
    assert _one("For a pensioner couple, they will receive $226 more.", "$226").subject.startswith(
        "For a pensioner couple, they")
    assert _one("For small ferry firms, it is 12 percent.", "12 percent").subject == "For small ferry firms, it"
    # A noun subject after an opening phrase stands alone, as before.
    assert _one("Leaving out seasonal routes, core fares rose 3 percent.", "3 percent").subject == "core fares"


def test_a_duration_after_for_measures_the_clause_that_lasted() -> None:
    f = _one("After the storm, the board held harbour fees near zero for seven years to help shippers.", "seven")
    assert (f.unit, f.subject) == ("years", "the board held harbour fees near zero")
    assert _one("The quay will close for about 10 days in May.", "10").subject == "The quay will close"
    assert _one("It took 5 years to build.", "5").subject == "years to build"  # no "for": as before
    # "for a period of", "for periods up to", "for a term of": the same duration
    assert _one("Ferry firms that take the grant cannot build depots abroad for a period of 12 years.",
                "12").subject == "Ferry firms that take the grant cannot build depots abroad"
    assert _one("The port will also offer berth loans for periods up to 45 days.", "45").subject == \
        "The port will also offer berth loans"


def test_a_sum_said_by_who_spends_it_measures_what_it_goes_to() -> None:
    assert _one("Second, we will invest about $10 million in new berth cranes for the river port.",
                "$10 million").subject == "we will invest in new berth cranes for the river port"
    assert _one("The port will spend $4 million on tug boats.", "$4 million").subject == \
        "The port will spend on tug boats"
    assert _one("We are providing $3 million for harbour pilots.", "$3 million").subject == "for harbour pilots"
    # what a sum buys, and who buys it: the clause after an opening purpose clause
    assert _one("To steady the dock market, we will also buy at least $40 million of harbour bonds.",
                "$40 million").subject == "we will also buy of harbour bonds"
    # a named subject keeps its own words, and what the sum is adds to them; a year after "in"
    # is the sum's time, not its use
    assert _one("The harbour fund has $2 million in reserves.", "$2 million").subject == "The harbour fund in reserves"
    assert _one("We spent $5 million in 2031.", "$5 million").subject == ""


def test_a_vote_tally_is_one_figure() -> None:
    f = _one("The harbour bill passed by a vote of 61 to 39.", "61 to 39")
    assert (f.kind, f.value, f.role) == ("number", 61, None)
    # A slip before the tally stays apart ("97 — 91 to 7"), and a plain "from 3 to 5" is no tally.
    texts = [g.text for g in extract_figures("The board confirmed her in a vote of 97 — 91 to 7.")]
    assert texts == ["97", "91 to 7"]
    assert [g.text for g in extract_figures("Fees rose from 3 to 5.")] == ["3", "5"]


def test_the_level_a_change_reached_measures_the_changed_thing():
    figures = extract_figures("In the past week, average daily fares fell 25 percent to about 6,400 tickets per day.")
    assert [(f.text, f.subject, f.unit) for f in figures] == [
        ("25 percent", "average daily fares", "percent"), ("6,400", "average daily fares", "tickets")]


@pytest.mark.parametrize("sentence, subject", [
    ("The board will propose to raise that 15 percent rate to 21 percent for ferry operators.", "rate"),
    ("We will cut the 32.5 percent levy for small firms to 15 percent.", "levy for small firms"),
])
def test_a_level_moved_to_another_gives_both_ends(sentence, subject):
    old, new = extract_figures(sentence)
    assert (old.role, new.role) == ("from", "to")
    assert old.subject.endswith(subject) and new.subject == old.subject


@pytest.mark.parametrize("sentence, years", [
    ("Growth is weakest in the 09/10 financial year.", ["09", "10"]),
    ("The plan supports 90,000 jobs in ‘09 and ‘10.", ["09", "10"]),
    ("Fares were cut in '21.", ["21"]),
])
def test_a_year_said_in_two_digits_is_no_statistic(sentence, years):
    figures = extract_figures(sentence)
    assert [f.text for f in figures if f.kind == "year"] == years
    assert all(f.kind != "number" for f in figures)


def test_a_fraction_of_two_numbers_stays_numbers():
    assert [f.kind for f in extract_figures("We sold 12/15 lots.")] == ["number", "count"]


def test_a_range_with_the_first_ends_year_between_keeps_both_ends_and_their_own_periods():
    old, year, new = extract_figures("The average harbour levy was reduced from 15.3 percent in 2001 to 9.8 percent.")
    assert (old.role, new.role) == ("from", "to") and year.kind == "year"
    assert old.subject == new.subject == "The average harbour levy"
    assert (old.period, new.period) == ("in 2001", None)  # the new level is not 2001's


@pytest.mark.parametrize("text, figure, value, unit, scale", [
    ("The council gave a 7-billion-dollar grant to harbour schools.", "7-billion-dollar", 7.0,
     "US dollars", "billion"),
    ("The 3-million-euro grant went to the ferry yards.", "3-million-euro", 3.0, "euros", "million"),
    ("Each pilot got a 5 dollar voucher.", "5 dollar", 5.0, "US dollars", None),
])
def test_a_sum_said_as_a_compound_adjective_is_money(text, figure, value, unit, scale):
    (found,) = [f for f in extract_figures(text) if f.is_statistic]
    assert (found.text, found.kind, found.value, found.unit, found.scale) == (figure, "money", value, unit, scale)
    assert text[found.start:found.end] == figure


def test_a_count_of_things_a_figure_measures_counts_them():
    """"two 50 basis point fee cuts": two counts the 50 basis point fee cuts; the 50 is their size."""
    text = "This spring the harbour board made two 50 basis point fee cuts."
    found = {f.text: f for f in extract_figures(text) if f.is_statistic}
    assert (found["two"].kind, found["two"].unit, found["two"].value) == ("count", "50 basis point fee cuts", 2.0)
    assert found["50"].unit == "basis point fee cuts"


@pytest.mark.parametrize("text, kept", [
    ("The ferry leaves at 6:00 a.m. tomorrow — no, 6:30 a.m.", ["6:30 a.m."]),
    ("We opened 12, sorry, 14 new ports this year.", ["14"]),
    ("Freight grew about 40 — I mean 45 percent.", ["45 percent"]),
    ("Exports rose 3 percent, not 4 percent.", ["3 percent", "4 percent"]),  # a contrast, no correction
    ("Prices fell from 5 percent to 3 percent.", ["5 percent", "3 percent"]),
])
def test_a_figure_the_speaker_takes_back_is_no_figure(text, kept):
    assert [f.text for f in extract_figures(text)] == kept


@pytest.mark.parametrize("text, unit", [
    ("The fund holds A$3 billion.", "Australian dollars"), ("The fund holds NZ$2 billion.", "New Zealand dollars"),
    ("The fund holds C$1 billion.", "Canadian dollars"), ("The fund holds 5 trillion yen.", "yen"),
    ("The fund holds US$7 million.", "US dollars"),
])
def test_dollars_of_other_countries_and_yen_are_money(text, unit):
    [figure] = extract_figures(text)
    assert (figure.kind, figure.unit) == ("money", unit)


@pytest.mark.parametrize("sentence, text, subject", [
    # a linking verb before a count: what is measured, then what is counted
    ("In May alone, ferry traffic was 2.4 million passengers.", "2.4 million", "ferry traffic passengers"),
    ("Visitors to the lighthouse topped 90,000 people.", "90,000", "Visitors to the lighthouse people"),
    # no linking verb: the counted noun alone
    ("The ferry company employed 1,300 deckhands.", "1,300", "deckhands"),
])
def test_a_count_after_a_linking_verb_keeps_what_it_measures(sentence: str, text: str, subject: str) -> None:
    figure = next(f for f in extract_figures(sentence) if f.text == text)
    assert figure.subject == subject


def test_a_change_set_after_a_figure_by_a_comma_is_of_that_figures_measure() -> None:
    sentence = "Last year, the ferry line carried 6.2 million passengers, an increase of 4.1 percent over 2030."
    change = next(f for f in extract_figures(sentence) if f.text == "4.1 percent")
    assert "carried" in change.subject and "passengers" in change.subject and "increase" in change.subject


@pytest.mark.parametrize("sentence, year", [
    ("So, the Harbour Board's 2031 budget builds on that growth.", "2031"),
    ("Its 2030 plan calls for 40 new berths.", "2030"),
])
def test_a_year_after_a_possessive_is_no_count(sentence: str, year: str) -> None:
    figure = next(f for f in extract_figures(sentence) if f.text == year)
    assert figure.kind == "year" and not figure.is_statistic


def test_a_possessive_before_a_number_and_a_plural_noun_counts_it() -> None:
    (figure,) = extract_figures("The company's 2000 employees went home.")
    assert figure.kind == "count"


@pytest.mark.parametrize("sentence, text, subject", [
    ("Ferry traffic grew 0.7%, with demand recovering, accounting for 48.3% of all harbour traffic.", "48.3%",
     "Ferry traffic share of all harbour traffic"),
    ("The east quay handled 3 million TEUs, representing 40 percent of the port total.", "40 percent",
     "The east quay handled TEUs share of the port total"),
])
def test_a_share_said_after_a_figure_is_its_measures_share_of_the_whole(sentence: str, text: str,
                                                                        subject: str) -> None:
    figure = next(f for f in extract_figures(sentence) if f.text == text)
    assert figure.subject == subject and not figure.change


def test_a_share_opening_its_sentence_keeps_its_subject() -> None:
    (figure,) = extract_figures("Ferries accounted for 54.6% of harbour traffic.")
    assert figure.subject == "Ferries"


def test_a_revised_figure_shares_its_measure_with_the_earlier_level() -> None:
    sentence = ("Harbour traffic is projected to grow by 1.4 per cent in 2031, revised up from the 0.8 per cent "
                "expected in June.")
    now, earlier = (f for f in extract_figures(sentence) if f.kind == "percent")
    assert earlier.subject == now.subject == "Harbour traffic"


@pytest.mark.parametrize("sentence", ["She visited the harbour from 14 to 16 July.", "The fair runs 3-5 June.",
                                      "The fair runs from June 3 to 5.", "Talks were held between 10 and 12 May."])
def test_the_days_of_a_date_range_are_no_figures(sentence: str) -> None:
    assert not [f for f in extract_figures(sentence) if f.is_statistic]


def test_a_range_of_counts_before_a_noun_is_still_a_figure() -> None:
    assert [f.text for f in extract_figures("We hired 25 to 28 deckhands in May.")] == ["25 to 28"]


@pytest.mark.parametrize("sentence, second", [
    ("Ferry fares and berth fees rose 3.1 percent and 2.4 percent respectively.", "2.4 percent"),
    ("Cargo grew 5.1 percent in January and 3.2 percent in February.", "3.2 percent"),
    ("Pilots expect growth of 1.8 percent this year, 1.6 percent next year.", "1.6 percent"),
])
def test_a_figure_coordinated_with_a_change_is_a_change(sentence: str, second: str) -> None:
    figure = next(f for f in extract_figures(sentence) if f.text == second)
    assert figure.change


def test_a_share_after_a_change_is_no_change() -> None:
    figures = extract_figures("Cargo grew 5 percent in the east basin, and 40 percent of berths are full.")
    assert [f.change for f in figures] == [True, False]


@pytest.mark.parametrize("sentence, subjects", [
    ("A poll found that 61 percent of pilots, 54 percent of deckhands and 40 percent of clerks backed the plan.",
     ["pilots backed the plan", "deckhands backed the plan", "clerks backed the plan"]),
    ("About 30 percent of the quays and 45 percent of warehouses have solar panels.",
     ["the quays have solar panels", "warehouses have solar panels"]),
    ("The audit said that 42 percent of the U.S. fleet is idle.", ["the U.S. fleet is idle"]),
])
def test_shares_of_groups_measure_their_groups(sentence: str, subjects: list[str]) -> None:
    assert [f.subject for f in extract_figures(sentence)] == subjects


def test_a_share_after_a_comma_is_said_of_the_clause_before() -> None:
    (figure,) = extract_figures("The effect on fares will be small, 0.7 percent of the average ticket.")
    assert figure.subject.startswith("The effect on fares")


@pytest.mark.parametrize("sentence, subjects", [
    ("The jobless rates for pilots and clerks were 5.0 percent and 4.7 percent, respectively.",
     ["The jobless rates for pilots", "The jobless rates for clerks"]),
    ("Fees in inner and outer harbours reached $3.1 million and $0.9 million respectively.",
     ["Fees in inner harbours", "Fees in outer harbours"]),
    ("Headline and core fares stood at 2.4 percent and 2.8 percent respectively.", ["Headline fares", "core fares"]),
    ("Exports and imports of grain rose 12% and 9% respectively.", ["Exports of grain", "imports of grain"]),
    ("Shipments of cars and fishing boats rose 12% and 9% respectively.",
     ["Shipments of cars", "Shipments of fishing boats"]),
    ("Trips by ferry and by bus reached 410 million and 62 million respectively.",
     ["Trips by ferry", "Trips by bus"]),
    ("The berth rate of the north quay and the idle rate of cranes were 51% and 20%, respectively.",
     ["The berth rate of the north quay", "the idle rate of cranes"]),
])
def test_respectively_gives_each_item_the_words_the_items_share(sentence: str, subjects: list[str]) -> None:
    assert [f.subject for f in extract_figures(sentence) if f.is_statistic] == subjects


def test_a_duration_compound_before_a_participle_and_its_noun_is_a_figure() -> None:
    (figure,) = extract_figures("The board approved a 16-week paid training scheme.")
    assert (figure.text, figure.kind, figure.unit) == ("16", "count", "week paid training scheme")


def test_thousands_groups_spaced_as_captions_write_them_are_one_number() -> None:
    figures = extract_figures("Inspectors counted 4, 028 crates and over 310, 000 pallets.")
    assert [(f.text, f.value) for f in figures] == [("4, 028", 4028.0), ("310, 000", 310000.0)]
    # a group that does not open with 0 may be the next figure of a list
    assert [f.value for f in extract_figures("In 2031, 300 pilots came.") if f.is_statistic] == [300.0]


def test_figures_glued_to_the_word_before_as_captions_run_them_are_read() -> None:
    figures = extract_figures("The plan gives up to$14 billion, a levy equal to12 percent and more than4 percent.")
    assert [(f.text, f.kind) for f in figures] == [("$14 billion", "money"), ("12 percent", "percent"),
                                                   ("4 percent", "percent")]
    # a currency code keeps its letters, and a name with digits is no figure
    assert [f.text for f in extract_figures("It cost NZ$5 million at the G20.") if f.is_statistic] == ["NZ$5 million"]


def test_what_a_sum_is_for_joins_its_subject() -> None:
    (figure,) = extract_figures("The Board said the port is providing nearly $450 million in new dredging works.")
    assert figure.subject.endswith("in new dredging works")
    (funding,) = extract_figures("So far, the Board has set aside over $180 billion in funding.")
    assert funding.subject.count("funding") == 1
