"""Progress reporting and cancellation for long core steps.

The window runs core functions in a worker thread; they report through a plain callback
and stop between chunks when the shared flag is set. No Qt here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from trackly_desktop.core.errors import Cancelled

# progress(done, total, what): `what` is a short plain phrase ("Reading", "Checking numbers").
ProgressCallback = Callable[[int, int, str], None]


def no_progress(done: int, total: int, what: str) -> None:
    """The default callback: report nowhere."""


class CancelToken:
    """A flag a worker checks between chunks; thread-safe, set once."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()
