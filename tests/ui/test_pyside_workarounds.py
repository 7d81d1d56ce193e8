"""The PySide6 6.12.0 emit bug: without the workaround a busy window aborts; with it, not."""

from __future__ import annotations

import subprocess
import sys

import pytest

from trackly_desktop.ui import pyside_workarounds

EMIT_MANY = """
import sys
from PySide6.QtCore import QObject, Signal
{setup}
class Source(QObject):
    progressed = Signal(int, int, str)
source = Source()
source.progressed.connect(lambda *args: None)
for i in range(200_000):
    source.progressed.emit(i, 200_000, "Checking numbers")
print("survived")
"""


def _run(setup: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", EMIT_MANY.format(setup=setup)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_many_emits_survive_with_the_workaround():
    result = _run("import trackly_desktop.ui.pyside_workarounds")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "survived"


def test_the_bug_is_real_on_this_pyside_or_the_workaround_stays_off():
    if not pyside_workarounds._applied:
        # A fixed PySide6: the probe found nothing and nothing was changed.
        assert not pyside_workarounds.emit_takes_a_reference_from_true()
        return
    result = _run("")
    assert result.returncode != 0
    assert "deallocating True or False" in result.stderr


def test_the_probe_gives_back_what_it_took():
    if not pyside_workarounds._applied:
        pytest.skip("this PySide6 does not have the emit bug")
    before = sys.getrefcount(True)
    assert pyside_workarounds.emit_takes_a_reference_from_true()
    assert abs(sys.getrefcount(True) - before) <= 2
