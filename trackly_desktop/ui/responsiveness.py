"""Keep the GUI thread answering while worker threads churn through a million rows.

Two CPython behaviours let busy worker threads hold the GUI thread back, measured with
tests/benchmarks/bench_gui_stall.py:

- Garbage collections. A million-row file becomes a few lists of a million values each
  (checked recipients, display columns, review rows) that live until the next file; every
  collection that reaches them walks all their values while holding the GIL (111 ms for
  the first pass after the check at 1,048,576 rows; full collections during a send, 0.5-1 s
  before they were held). So whatever is alive when such data has just been built is moved
  out of the collector's sight (`gc.freeze`, O(1)) before the collector runs again.
  They are never handed back: a dropped load leaves no reference cycles (`gc.collect()`
  finds 0 unreachable objects once a 200,000-row load is dropped), and reference counting
  still frees held objects as soon as nothing uses them.
- The GIL hand-over. A thread waiting for the GIL asks for it after the switch interval
  (5 ms by default) and may then lose the race to another busy thread; app.py sets 1 ms
  for the whole app (`GUI_SWITCH_INTERVAL_S`).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# How soon a thread waiting for the GIL (the GUI thread) asks a busy one to let go.
GUI_SWITCH_INTERVAL_S = 0.001

_lock = threading.Lock()


def hold_current_objects() -> None:
    """Hide every object alive now from future collections (they are long-lived data)."""
    with _lock:
        gc.freeze()


@contextmanager
def building_held_data() -> Iterator[None]:
    """Pause the collector while a bulk step builds data that lives until the next file,
    then hold it, so the collector's first pass afterwards does not walk it all."""
    from trackly_desktop.core.collector_pause import collector_paused  # noqa: PLC0415

    with collector_paused():
        yield
        hold_current_objects()
