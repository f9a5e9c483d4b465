"""Question answering over press-conference transcripts, with cited figures.

    from qa import ask
    a = ask("What was the numerical control rate of key processes at the end of 2021?")
    a.answer  # "51.3%"
"""

from qa.engine import QA, ask, default_engine, retrieve
from qa.models import Answer, Citation, Computed, Hit

__all__ = ["QA", "Answer", "Citation", "Computed", "Hit", "ask", "default_engine", "retrieve"]
