"""The `trackly` dispatcher: help, unknown input and a reader that goes away."""

from __future__ import annotations

import subprocess
import sys


def _trackly(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "trackly_desktop.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_no_command_prints_help_and_exits_2():
    result = _trackly()
    assert result.returncode == 2
    assert "check" in result.stderr and "send" in result.stderr


def test_a_closed_pipe_ends_quietly_without_a_traceback(tmp_path):
    # Like `trackly check --json | head -c 100`: the reader stops after a few bytes, long
    # before the report (megabytes, far more than a pipe buffers) is written.
    contacts = tmp_path / "many.csv"
    rows = "".join(f"Customer {i},+1 415 555 {i % 10000:04d}\n" for i in range(30_000))
    contacts.write_text("Name,Phone\n" + rows, encoding="utf-8")
    command = [sys.executable, "-m", "trackly_desktop.cli", "check", "--json", str(contacts)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.read(100)
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0
    assert first.startswith(b"{")
    assert "Traceback" not in stderr
