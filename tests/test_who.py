"""Who-questions answered from the turn structure, on two invented briefings (fake embedder):
a plain-text press room with outlet labels alone on a line, and a Markdown press call where a
moderator introduces reporters in words."""

from __future__ import annotations

import pytest

from corpus import document_text
from qa.names import introductions, person_names
from qa.question import analyse
from tests.conftest import FIXTURES

WHO = FIXTURES / "who"


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    from qa import QA
    from tests.conftest import FakeEmbedder

    return QA(corpus=WHO, index_dir=tmp_path_factory.mktemp("who-index"), embedder=FakeEmbedder(),
              progress=False).load()


def _answered(bot, question: str):
    answer = bot.ask(question)
    assert not answer.abstained, answer.text
    for citation in answer.citations:
        assert document_text(citation.source)[citation.start : citation.end] == citation.quote
    return answer


@pytest.mark.parametrize("question, kind", [
    ("Which outlet asked about radar coverage?", "asker_outlet"),
    ("What outlet was Jane Roe with when she asked about ports?", "asker_outlet"),
    ("Which newspaper does Jane Roe work for?", "asker_outlet"),
    ("Which Daily Ledger reporter asked about locomotives?", "asker"),
    ("Who asked the first question?", "asker"),
    ("Who from the Freight Weekly asked about noise?", "asker"),
    ("Who answered the question on safety beacons?", "answerer"),
    ("Who fielded the question on radar towers?", "answerer"),
    ("Who moderated the Q&A at the briefing?", "chair"),
    ("Which ministry official answered the Harbour Daily question on fares?", "answerer"),
    ("Which minister responded to the question about berths?", "answerer"),
    ("Who chaired the press conference?", "chair"),
    ("Who was the chairperson of the harbour briefing?", "chair"),
    ("Who chaired the press conference on harbour trade?", "chair"),  # a briefing about trade, no trade conference
    ("Who co-chaired the regional summit on fisheries?", "named"),
    ("Who spoke at the harbour safety briefing?", "speakers"),
    ("Who said that fishing boats get a subsidy?", "said"),
    ("Whom did the minister thank for the tender?", "named"),
    ("Which Maldivian foreign minister visited?", "named"),
    ("Who answered for the port authority when reporters asked about fees?", "answerer"),  # the first verb
    ("Which vice minister co-chaired the fisheries summit?", "named"),
    # the person who said it, after a setting and with a few words before the title
    ("At the March harbour briefing, which Coastline Freight executive said the fleet was ageing?", "said"),
    ("Which senior port official said dredging would start?", "said"),
    ("Which economist did the minister quote on tariffs?", "named"),
    # who gave or held the briefing: its speakers
    ("Which spokesperson gave the harbour authority's daily press briefing?", "speakers"),
    ("Which port minister held the press conference on 15 May 2031?", "speakers"),
])
def test_who_questions_are_classified_by_grammar(question, kind):
    parsed = analyse(question)
    assert parsed.expect == "speaker" and parsed.who == kind


def test_other_questions_have_no_who_kind():
    assert analyse("Which sectors grew fastest?").who is None
    assert analyse("What did the minister say about ports?").who is None


def test_introductions_read_names_and_outlets():
    text = ("Next, we'll go to Ana Lima at the Daily Ledger. ANA LIMA. Thanks. Ana Lima, Daily Ledger. "
            "Bo Chen, a freelance writer reporting for Coast FM, asked next. Go ahead, Nadia. "
            "Thank you, Chair Varga, I have a question.")
    found = [(i.name, i.outlet) for i in introductions(text)]
    assert found == [("Ana Lima", "the Daily Ledger"), ("Ana Lima", "Daily Ledger"), ("Bo Chen", "Coast FM"),
                     ("Nadia", None)]
    for intro in introductions(text):
        assert text[intro.start : intro.end].startswith(intro.name)


def test_a_possessive_is_no_introduction():
    assert introductions("Thank you for joining us ahead of the President’s State of the Union tomorrow.") == []


def test_a_capitalised_body_after_for_is_no_person():
    assert person_names("We thank the Coalition for Harbour Safety Innovations and Ana Lima.") == [("Ana Lima", None)]


def test_person_names_skip_titles_and_organisations():
    text = "Deputy Transport Secretary Irena Halvorsen met Foreign Minister Bo Chen of Ruritania at the Daily Ledger."
    assert person_names(text) == [("Irena Halvorsen", "Deputy Secretary"), ("Bo Chen", "Foreign Minister")]


def test_a_surname_with_an_apostrophe_is_a_name():
    assert person_names("Talks with Harbour Secretary O'Connell and Dr. D'Arcy Vane went well.") == \
        [("O'Connell", "Secretary"), ("D'Arcy Vane", "Dr.")]


def test_whom_a_speaker_acted_on_is_not_the_speaker(tmp_path):
    from qa import QA
    from tests.conftest import FakeEmbedder

    (tmp_path / "2031-05-02_harbour-briefing.txt").write_text(
        "Harbour briefing\nMay 2, 2031\n\nLi Ming:\n\nThe mayor plans to call her to congratulate her, the new "
        "port commissioner, on the reopening of the eastern quay.\n", encoding="utf-8")
    bot = QA(corpus=tmp_path, index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False)
    # no name in the sentence: it answers, never the speaker of it
    answer = bot.ask("Which new port commissioner did the mayor plan to call to congratulate on the eastern quay?")
    assert "Li Ming" not in answer.answer
    assert bot.ask("Who said the mayor plans to call the new port commissioner?").answer == "Li Ming"


def test_handover_to_an_outlet_alone():
    from qa.names import handover_outlet

    assert handover_outlet("Okay, we’re going to go to the Harbour Gazette.  [Silence]") == "Harbour Gazette"
    assert handover_outlet("Next up is AP.") == "AP"
    assert handover_outlet("We will go to Heather.") is None  # a first name, not an outlet
    assert handover_outlet("Let us go to the next question.") is None


def test_a_labelled_reporter_after_a_handover_to_their_outlet(tmp_path):
    from qa import QA
    from tests.conftest import FakeEmbedder

    (tmp_path / "2031-05-02_chair-lee-press-conference.txt").write_text(
        "Transcript of Chair Lee’s Press Conference\nMay 2, 2031\n\n"
        "CHAIR LEE.  Good afternoon.  The board kept the harbour levy at 2 percent today.\n"
        "ANNA SMITH.  Okay, we’re going to go to the Harbour Gazette.\n"
        "Harbour Gazette, are you there?\n"
        "TOM VEIL.  Hi, sorry, I’m here.  Have you been tested for fog fever, and are you working from home?\n"
        "CHAIR LEE.  I have not been tested for fog fever, and I am working from the office.\n"
        "MIA ROE.  Hi, Chair Lee.  This is Mia Roe from the Daily Ledger.  Will ferry fares rise this summer?\n"
        "CHAIR LEE.  Ferry fares are set by the port board, not by us.\n", encoding="utf-8")
    bot = QA(corpus=tmp_path, index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False)
    # the moderator named the outlet, the label names the reporter
    assert bot.ask("Which Harbour Gazette reporter asked whether Lee had been tested for fog fever?").answer == \
        "Tom Veil (Harbour Gazette)"
    # a self-introduction after a greeting is read whichever sentence of the question matched
    assert bot.ask("Which reporter asked about ferry fares?").answer == "Mia Roe (the Daily Ledger)"


def test_which_outlet_asked_reads_the_outlet_label(bot):
    answer = _answered(bot, "Which outlet asked about radar coverage for the fog season?")
    assert answer.answer == "Harbour Daily"
    assert answer.citations[0].speaker == "Harbour Daily" and "Fog delays" in answer.citations[0].quote


def test_which_reporter_asked_reads_the_self_introduction(bot):
    answer = _answered(bot, "Which reporter asked about night-time noise limits for freight trains?")
    assert answer.answer == "Ruben Castellano (the Freight Weekly)"
    assert "Ruben Castellano with the Freight Weekly" in answer.citations[0].quote


def test_an_outlet_the_question_names_picks_its_reporter(bot):
    answer = _answered(bot, "Which Daily Ledger reporter asked about domestic factories building locomotives?")
    assert answer.answer.startswith("Marta Oyelaran")


def test_first_question_is_the_first_introduction(bot):
    answer = _answered(bot, "Who asked the first question on the rail freight call?")
    assert answer.answer == "Marta Oyelaran (the Daily Ledger)"
    assert "Marta Oyelaran at the Daily Ledger" in answer.citations[0].quote


def test_a_named_reporters_outlet(bot):
    answer = _answered(bot, "Which outlet was Marta Oyelaran with?")
    assert answer.answer in ("Daily Ledger", "the Daily Ledger")
    assert "Marta Oyelaran" in answer.citations[0].quote


def test_a_named_reporter_is_read_past_an_aside(bot):
    answer = _answered(bot, "Which outlet did Marta Oyelaran, a reporter on the September 3, 2024 call, work for?")
    assert answer.answer in ("Daily Ledger", "the Daily Ledger")
    # the reporter named past the aside never gave one: declined, not the label of her question
    assert bot.ask("Which outlet did Nadia, who asked about level crossings, work for?").abstained


def test_a_reporter_never_given_an_outlet_is_declined(bot):
    assert bot.ask("What outlet was Nadia with when she asked about level crossings?").abstained


def test_who_answered_is_the_answer_turns_speaker(bot):
    answer = _answered(bot, "Who answered the question about safety beacons for fishing boats?")
    assert answer.answer == "Dai Shengrong"
    assert "subsidy" in answer.citations[0].quote


def test_who_moderated_reads_the_sentence_that_says_so(bot):
    answer = _answered(bot, "Who moderated the questions on the rail freight call?")
    assert answer.answer == "Pavel Lindqvist"
    assert "Moderating the question session is Pavel Lindqvist" in answer.citations[0].quote


def test_who_chaired_falls_back_to_the_chair_turns(bot):
    assert _answered(bot, "Who chaired the harbour safety press conference?").answer == "Wen Qiaolin"


def test_who_spoke_lists_the_answering_officials(bot):
    answer = _answered(bot, "Who spoke at the harbour safety press conference?")
    assert "Dai Shengrong" in answer.answer and "Kuo Meilan" in answer.answer
    assert "Harbour Daily" not in answer.answer and "Coastline Radio" not in answer.answer


def test_who_said_is_the_speaker(bot):
    assert _answered(bot, "Who said that small fishing boats will receive a subsidy?").answer == "Dai Shengrong"


@pytest.mark.parametrize("question", [
    "Who asked about the price of submarine cables?",
    "Which outlet asked about volcanic ash at airports?",
])
def test_topics_the_transcripts_never_mention_are_declined(bot, question):
    assert bot.ask(question).abstained


def test_whom_the_text_names_is_looked_for_past_the_best_three_sentences(tmp_path):
    from qa import QA
    from tests.conftest import FakeEmbedder

    (tmp_path / "fish.txt").write_text(
        "Harbour Office holds press conference on fisheries\n\nPress conference on fisheries | May 21, 2024\n\n"
        "Li Ming:\n\nThe harbour summit on fisheries was a success. The harbour summit on fisheries drew many "
        "delegates. The harbour summit on fisheries ended on time. The harbour summit on fisheries will meet "
        "again. Ambassador Ana Lima attended as representative of the government.\n", encoding="utf-8")
    engine = QA(corpus=tmp_path / "fish.txt", index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False)
    answer = _answered(engine, "Who represented the government at the harbour summit on fisheries?")
    assert answer.answer == "Ana Lima"  # not the speaker of the best sentences


def test_who_talked_about_a_topic_asks_for_the_speaker():
    assert analyse("Who talked about recharging aquifers?").who == "speakers"


def test_a_reporter_label_with_the_outlet_in_brackets(tmp_path):
    from qa import QA
    from tests.conftest import FakeEmbedder

    (tmp_path / "2031-11-05_media-conference.txt").write_text(
        "Media Conference – 5 November 2031\n\nMAREN HOLTBY\n\nGood afternoon. The Board left the rate at 3.60 per "
        "cent.\n\nOwen Pell (Harbour Gazette)\n\nGovernor, when will the ferry levy fall?\n\nMAREN HOLTBY\n\n"
        "The ferry levy is set by the port board.\n\nRuth Abel (Coastal Radio)\n\nHow many board members dissented?"
        "\n\nMAREN HOLTBY\n\nNone of the nine members dissented.\n", encoding="utf-8")
    bot = QA(corpus=tmp_path, index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False)
    assert bot.ask("Which outlet asked about board members dissenting?").answer == "Coastal Radio"
    assert bot.ask("Who asked about the ferry levy?").answer == "Owen Pell (Harbour Gazette)"
    assert bot.ask("Who answered the question on dissent?").answer == "Maren Holtby"


def test_a_reporter_the_transcript_never_names_is_no_answer(tmp_path):
    from qa import QA
    from tests.conftest import FakeEmbedder

    (tmp_path / "2031-05-02_harbour-remarks.txt").write_text(
        "Harbour remarks\nMay 2, 2031\n\nSECRETARY VANCE:  The levy stays at 2 percent.\n\n"
        "QUESTION:  Will the ferry toll on cargo rise this summer?\n\n"
        "SECRETARY VANCE:  The ferry toll on cargo will not rise.\n", encoding="utf-8")
    bot = QA(corpus=tmp_path, index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False)
    assert bot.ask("Which outlet asked about the ferry toll on cargo?").abstained  # never "Reporter"
    assert bot.ask("Who answered the question about the ferry toll on cargo?").answer == "Secretary Vance"


def _bot_on(tmp_path, text: str, *, suffix: str = ".txt", **more: str):
    """An engine (fake embedder) on one invented briefing of `text`, and on any `more` briefings
    given by file stem; `suffix` is the files' kind (".txt", ".md")."""
    from qa import QA
    from tests.conftest import FakeEmbedder

    for stem, body in {"2031-04-18_ferry-briefing": text, **more}.items():
        (tmp_path / f"{stem}{suffix}").write_text(body, encoding="utf-8")
    return QA(corpus=tmp_path, index_dir=tmp_path / "index", embedder=FakeEmbedder(), progress=False)


def test_the_declared_chair_answers_not_an_office_named_in_a_sentence(tmp_path):
    bot = _bot_on(tmp_path, "SCIO briefing on ferry services\n\nSpeakers:\nMr. Pan Ruoda, vice chairman of the "
                  "Ferry Commission\nChairperson:\nMs. Wu Qing, spokesperson of the SCIO\nDate:\nApril 18, 2031\n\n"
                  "Wu Qing:\n\nWelcome. Joining us is Mr. Pan Ruoda, vice chairman of the Ferry Commission.\n\n"
                  "Pan Ruoda:\n\nFerries carried 61.4 million passengers this year.\n")
    assert _answered(bot, "Who chaired the SCIO briefing on ferry services?").answer == "Wu Qing"


def test_holding_a_chair_is_not_chairing():
    from qa.who import _chairs_in

    assert not _chairs_in("Joining us is Mr. Pan Ruoda, vice chairman of the Ferry Commission.")
    assert not _chairs_in("She is the deputy chairwoman.")
    assert _chairs_in("Moderating today is Jane Roe.") and _chairs_in("The briefing was chaired by Wu Qing.")


def test_who_said_a_passage_covers_the_words_a_question_attributes_it_with():
    from corpus.models import Passage
    from qa.answerer import said_by

    def passage(speaker: str, role: str) -> Passage:
        return Passage(id="d:p1", doc_id="d", speaker=speaker, role=role, turn=0, paragraph_no=1,
                       text="Fares rose 6 percent.", start=0, end=21, question_context=None)

    from index import token_set

    assert token_set("Chair Marlow") <= said_by(passage("Chair Marlow", "answer"))
    assert {"reporter"} <= said_by(passage("Harbour Daily", "question"))
    assert "reporter" not in said_by(passage("Wu Qing", "answer"))


def test_of_people_described_one_by_one_the_one_asked_about_answers(tmp_path):
    bot = _bot_on(tmp_path, "Ferry briefing\nApril 18, 2031\n\nWu Qing:\n\nToday we have Dr Lina Sorel, who is "
                  "Director of Ferry Safety, Dr Ivo Matt, who is Chief Adviser for harbour illness, and Dr Ada "
                  "Brenner, who is Manager of the island routes.\n\nThe ministry was represented by Minister Pan "
                  "Ruoda and Minister Tomas Vale.\n")
    assert _answered(bot, "Which official was introduced as Chief Adviser for harbour illness?").answer == "Ivo Matt"
    both = _answered(bot, "Which ministers represented the ministry?").answer
    assert "Pan Ruoda" in both and "Tomas Vale" in both  # named together: both answer


def test_who_held_a_briefing_named_by_its_day_is_its_speaker(tmp_path):
    weekly = "Weekly update\n15 May 2031\n\nMarta Lindqvist:\n\nGood afternoon. Cargo rose 3 percent.\n"
    fisheries = "Fisheries briefing\n2 June 2031\n\nTomas Varga:\n\nGood morning. Catches fell.\n"
    engine = _bot_on(tmp_path, weekly, **{"2031-06-02_fisheries": fisheries})
    # the title does not say "port minister": the day names the briefing, day first
    answer = _answered(engine, "Which port minister held the press conference on 15 May 2031?")
    assert answer.answer == "Marta Lindqvist"


PANEL = """<<

Harbour Policy Report press conference

Thursday 5 June 2031

Jane Roe, Daily Ledger: A question on the dredging plan. Will the levy rise?

Marta Lindqvist: Well, the levy will stay at 2 percent this year.
"""


def test_a_name_and_outlet_label_is_a_reporter_and_names_the_outlet(tmp_path):
    from corpus import load_corpus

    engine = _bot_on(tmp_path, PANEL)
    corpus = load_corpus(tmp_path)
    # the page's arrows are no title and the date line no question
    assert corpus.documents[0].title == "Harbour Policy Report press conference"
    assert [(p.speaker, p.role) for p in corpus.passages] == [("Jane Roe, Daily Ledger", "question"),
                                                              ("Marta Lindqvist", "answer")]
    assert _answered(engine, "Which newspaper was Jane Roe reporting for?").answer == "Daily Ledger"
    assert _answered(engine, "Who answered the question on the dredging plan?").answer == "Marta Lindqvist"



@pytest.mark.model
def test_a_name_said_at_another_briefing_than_the_one_named_is_no_answer(tmp_path, real_embedder):
    from qa import QA

    (tmp_path / "2031-05-15_weekly-update.txt").write_text(
        "Weekly harbour update\n15 May 2031\n\nMarta Lindqvist:\n\nGood afternoon. Cargo rose 3 percent.\n",
        encoding="utf-8")
    (tmp_path / "2031-06-02_fisheries.txt").write_text(
        "Fisheries briefing\n2 June 2031\n\nTomas Varga:\n\nThe weekly harbour update was hosted by Ines Marlow, "
        "who hosts the harbour press conferences.\n", encoding="utf-8")
    engine = QA(corpus=tmp_path, index_dir=tmp_path / "index", embedder=real_embedder, progress=False)
    # the fisheries briefing names a host; the update of 15 May, the briefing asked about, names none
    assert engine.ask("Who hosted the weekly harbour update press conference of 15 May 2031?").abstained


def test_an_outlet_and_its_app_label_is_no_name_and_outlet():
    from corpus.layouts.labels import split_affiliation

    assert split_affiliation("Jane Roe, Daily Ledger") == ("Jane Roe", "Daily Ledger")
    assert split_affiliation("Harbour Daily, Harbour Plus") == ("Harbour Daily, Harbour Plus", None)


def test_reporters_under_heading_labels_their_outlets_and_a_channel_number(tmp_path):
    """Names alone on a line label the turns (Markdown headings); reporters say their outlet as
    the turn opens, with their name ("Amy Vale from 4 News"), their first name ("Kit from the
    Ferry Times") or none ("Governor, from Harbour Radio"). "News" alone names no outlet."""
    from qa.names import own_outlet

    bot = _bot_on(
        tmp_path,
        "Media Conference Ferry Board Decision\n\n"
        "### Rosa Lind\n\nGood afternoon. The board kept the ferry levy at 3.1% today.\n\n"
        "### Ben Sole\n\nBen Sole from Coast News. Will the levy rise next year?\n\n"
        "### Rosa Lind\n\nWe do not give guidance on the ferry levy.\n\n"
        "### Amy Vale\n\nAmy Vale from 4 News. Will commuters see cheaper tickets this winter?\n\n"
        "### Rosa Lind\n\nTicket prices are for the operators.\n\n"
        "### Kit Moro\n\nKit from the Ferry Times. How many berths will close for repairs?\n\n"
        "### Rosa Lind\n\nTwo berths will close in July.\n\n"
        "### Ida Park\n\nGovernor, from Harbour Radio. Is the fuel surcharge ending?\n\n"
        "### Rosa Lind\n\nThe fuel surcharge ends in August.\n", suffix=".md")
    assert bot.ask("Which 4 News reporter asked about cheaper tickets this winter?").answer == "Amy Vale (4 News)"
    assert bot.ask("Which reporter asked how many berths will close for repairs?").answer == \
        "Kit Moro (the Ferry Times)"
    assert bot.ask("Which outlet was Ida Park from when she asked about the fuel surcharge?").answer == \
        "Harbour Radio"
    assert own_outlet("Hi, from the Ferry Times. Will fares rise?") == "the Ferry Times"
    assert own_outlet("Tickets from the operators rose.") is None
