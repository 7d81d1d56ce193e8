"""Python's cycle collector around million-row data: paused while it is built, then held.

A million-row file becomes a few lists of a million values each (checked recipients,
display columns, review rows) that live until the next file; every collection that reaches
them walks all their values while holding the GIL (111 ms for the first pass after the
check at 1,048,576 rows; full collections during a send, 0.5-1 s before they were held),
which stalls the window's thread. So whatever is alive when such data has just been built
is moved out of the collector's sight (`gc.freeze`, O(1)). It is never handed back: a
dropped load leaves no reference cycles, and reference counting still frees held objects
as soon as nothing uses them. Measured by tests/benchmarks/bench_gui_stall.py.
"""

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


_freeze_lock = threading.Lock()


def hold_current_objects() -> None:
    """Hide every object alive now from future collections (they are long-lived data)."""
    with _freeze_lock:
        gc.freeze()


@contextmanager
def building_held_data() -> Iterator[None]:
    """Pause the collector while a bulk step builds data that lives until the next file,
    then hold it, so the collector's first pass afterwards does not walk it all."""
    with collector_paused():
        yield
        hold_current_objects()
