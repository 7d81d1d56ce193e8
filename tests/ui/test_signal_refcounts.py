"""Regression: emitting a signal must not take references away from `True`.

PySide6 6.12.0's `SignalInstance.emit()` returned `True` without owning a reference, so
each emit from Python took one away; Python 3.11 then aborts the whole app
("deallocating True or False") after enough progress signals. pyproject.toml excludes that
release; this test makes a future PySide6 with the same bug fail CI instead of crashing
users. It runs in a subprocess, since the bug kills the interpreter.
"""

from __future__ import annotations

import subprocess
import sys

EMITS = 200_000  # far more than the few thousand references True starts with

EMIT_MANY = f"""
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Source(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    ping = Signal()

app = QCoreApplication([])
source = Source()
seen = []
source.progressed.connect(lambda done, total, what: seen.append(done) if done == 0 else None)
source.finished.connect(lambda value: None)
source.ping.connect(lambda: None)

def emit_all(count):
    for i in range(count):
        source.progressed.emit(i, count, "Checking numbers")
        source.finished.emit(i)
        source.ping.emit()

emit_all(1_000)  # warm-up: caches that keep a reference of their own are filled now
before = sys.getrefcount(True)
emit_all({EMITS})
after = sys.getrefcount(True)
print(before, after, len(seen))
"""


def test_many_emits_leave_the_reference_count_of_true_alone():
    result = subprocess.run(
        [sys.executable, "-c", EMIT_MANY],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, f"the interpreter aborted: {result.stderr[-2000:]}"
    before, after, slots_ran = (int(v) for v in result.stdout.split())
    assert slots_ran == 2  # the slots really ran: once in the warm-up, once in the run
    assert after == before, f"{before - after} references to True lost in {EMITS:,} emits"
