"""Muting Wagtail's per-page review notices for a bulk operation (the spreadsheet import), which sends
one summary instead. Per thread, so a bulk import never silences another request's notices; the
editorial app's notifiers ask `is_muted()` before sending."""

import threading
from contextlib import contextmanager

_state = threading.local()


@contextmanager
def muted():
    previous = getattr(_state, "muted", False)
    _state.muted = True
    try:
        yield
    finally:
        _state.muted = previous


def is_muted() -> bool:
    return getattr(_state, "muted", False)
