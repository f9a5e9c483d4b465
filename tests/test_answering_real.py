"""Subjects of figures in long spoken sentences (own invented sentences, in the style of real briefings)."""

from corpus.figures import extract_figures


def _subjects(text: str) -> dict[str, str]:
    return {f.text: f.subject for f in extract_figures(text) if f.kind != "year"}


def test_later_figures_of_a_time_list_share_the_measured_thing() -> None:
    subjects = _subjects("The median forecast for harbour traffic is 3.1 percent this year, "
                         "2.6 percent next year, and 2.2 percent in 2031.")
    assert set(subjects.values()) == {"The median forecast for harbour traffic"}


def test_change_by_a_figure_measures_the_verbs_object() -> None:
    subjects = _subjects("This is a new filter that cuts the level of river pollution by 40 percent.")
    assert subjects["40 percent"] == "the level of river pollution"


def test_subordinate_clause_gives_its_own_subject() -> None:
    subjects = _subjects("We kept tariffs low for a long time to help the towns when vacancies were 12 percent.")
    assert subjects["12 percent"] == "vacancies"


def test_plain_subjects_are_unchanged() -> None:
    assert _subjects("Bicycle sales increased by 5% and 6%.") == {"5%": "Bicycle sales", "6%": "Bicycle sales"}
    assert _subjects("If we look at the fleet, the share of electric buses was 30 percent.")["30 percent"] \
        == "the share of electric buses"
