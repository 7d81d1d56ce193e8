"""Pausing Python's cycle collector around bulk steps over a million rows."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class CollectorPause:
    """Pause Python's cycle collector while a million short-lived tuples are made.

    The bulk steps create no reference cycles, but every few hundred allocations the
    collector would walk the ever-growing columns again (about 1.5 s per million rows).
    Overlapping bulk steps (two worker threads) share one pause; the collector comes back
    on when the last one ends, if it was on before the first began.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._was_enabled = True

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0 and self._was_enabled:
                    gc.enable()


collector_paused = CollectorPause()
