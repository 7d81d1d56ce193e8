"""Keep Python's full garbage collections from freezing the window during a long send.

A million-row campaign keeps tens of millions of references alive (the table, the checked
recipients, the review rows). CPython's full collection walks all of them while holding
the GIL, so each one blocked the GUI thread for 0.5-1 s on the benchmark machine
(tests/benchmarks/bench_gui_stall.py --gc-log). These objects live until the operator opens
another file, so they are moved out of the collector's sight (`gc.freeze`) when a send
starts, and handed back (`gc.unfreeze`) when that data is replaced: then the collector can
find any cycles among the old objects again. Both calls are O(1).
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_state = {"frozen": False}


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
    return _state["frozen"]
