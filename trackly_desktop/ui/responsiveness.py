"""Keep the GUI thread answering while worker threads churn through a million rows.

Two CPython behaviours let busy worker threads hold the GUI thread back, measured with
tests/benchmarks/bench_gui_stall.py:

- Full garbage collections. A million-row campaign keeps tens of millions of references
  alive (the table, the checked recipients, the review rows); a full collection walks all
  of them while holding the GIL, 0.5-1 s each on the benchmark machine (`--gc-log`). These
  objects live until the operator opens another file, so they are moved out of the
  collector's sight (`gc.freeze`) when a send starts and handed back (`gc.unfreeze`) when
  the data is replaced, so cycles among the old objects can still be found. Both O(1).
- The GIL hand-over. A thread waiting for the GIL asks for it after the switch interval
  (5 ms by default) and may then lose the race to another busy thread; with the send
  engine's threads and the HTTP client busy, the 10 ms heartbeat missed beats in a row.
  While a send runs, the interval is 1 ms (`--switch-interval-ms 1` in the benchmark).
"""

from __future__ import annotations

import gc
import sys
import threading

SENDING_SWITCH_INTERVAL_S = 0.001

_lock = threading.Lock()
_state: dict[str, object] = {"frozen": False, "interval": None}


def hold_current_objects() -> None:
    """Hide every object alive now from future collections (they are long-lived data)."""
    with _lock:
        gc.freeze()
        _state["frozen"] = True


def release_held_objects() -> None:
    """Let the collector see the held objects again (call when the big data is replaced)."""
    with _lock:
        if _state["frozen"]:
            gc.unfreeze()
            _state["frozen"] = False


def holding() -> bool:
    return bool(_state["frozen"])


def quick_gil_handoff() -> None:
    """While sending: a thread waiting for the GIL (the GUI thread) gets it within ~1 ms."""
    with _lock:
        if _state["interval"] is None:
            _state["interval"] = sys.getswitchinterval()
            sys.setswitchinterval(min(SENDING_SWITCH_INTERVAL_S, sys.getswitchinterval()))


def normal_gil_handoff() -> None:
    with _lock:
        previous = _state["interval"]
        if isinstance(previous, float):
            sys.setswitchinterval(previous)
        _state["interval"] = None
