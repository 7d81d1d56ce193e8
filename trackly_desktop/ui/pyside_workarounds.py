"""Work around a reference-counting bug of PySide6 6.12.0 that aborts the app.

`SignalInstance.emit()` in PySide6 6.12.0 returns `True` without taking a reference to it,
so every `signal.emit(...)` made from Python takes one reference away from `True`. Python
3.11 aborts the whole process ("bool_dealloc: deallocating True or False") once that count
reaches zero, which a window emitting progress signals reaches within minutes; Python 3.12
and later are immune because `True` is immortal there (PEP 683).

`protect_true()` measures whether the installed PySide6 has the bug and, only if it does,
gives `True` the same immortality: a reference count so large no run can use it up. Every
module of the window that emits signals imports this module, so the fix is in place before
the first emit.
"""

from __future__ import annotations

import ctypes
import sys

# Far more emits than any run makes (one per microsecond would take 13 days), far below
# the ceiling of a signed 64-bit count.
_RESERVE = 1 << 40
_applied = False


def emit_takes_a_reference_from_true() -> bool:
    """Whether `Signal.emit` on this PySide6 drops a reference to `True` it never took."""
    from PySide6.QtCore import QObject, Signal  # noqa: PLC0415

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(16):
        probe.ping.emit()
    after = sys.getrefcount(True)
    if after < before:
        # Give back what the probe itself took before deciding anything else.
        _add_references(before - after)
        return True
    return False


def _add_references(count: int) -> None:
    # CPython's object header starts with ob_refcnt (Py_ssize_t) on every 3.11 build.
    refcount = ctypes.c_ssize_t.from_address(id(True))
    refcount.value += count


def protect_true() -> bool:
    """Apply the workaround once if this PySide6 needs it; True when it was applied."""
    global _applied  # noqa: PLW0603 - one process-wide fix
    if _applied:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False  # True is immortal there; nothing to protect
    if emit_takes_a_reference_from_true():
        _add_references(_RESERVE)
        _applied = True
    return _applied


protect_true()
