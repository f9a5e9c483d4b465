"""Question answering over press-conference transcripts, with cited figures.

    from qa import ask
    a = ask("What share of ... reached by the end of 2021?")
    a.answer     # the figure, e.g. "12.5%"; a.citations locate it in the transcript
"""

from qa.engine import QA, ask, default_engine, figures, retrieve, trend
from qa.explorer import FigureRow, TrendPoint
from qa.models import Answer, Citation, Computed, Hit

__all__ = ["QA", "Answer", "Citation", "Computed", "FigureRow", "Hit", "TrendPoint", "ask", "default_engine",
           "figures", "retrieve", "trend"]
