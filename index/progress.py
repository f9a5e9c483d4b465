"""Progress bars for work a user waits on, shown only once it has taken a second: a bar that
flashes past for sub-second work is noise, and a quick rebuild or a small evaluation stays quiet."""

from __future__ import annotations

from collections.abc import Iterable

from tqdm.auto import tqdm

# tqdm's own `delay`: nothing is drawn until the work has run this long.
PROGRESS_DELAY_SECONDS = 1.0


def progress_bar(iterable: Iterable | None = None, *, shown: bool = True, **options) -> tqdm:
    """A tqdm bar over `iterable` (or updated by hand) that appears after PROGRESS_DELAY_SECONDS,
    and never when not `shown`."""
    return tqdm(iterable, delay=PROGRESS_DELAY_SECONDS, disable=not shown, **options)
