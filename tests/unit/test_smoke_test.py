"""`trackly-desktop --smoke-test` from the source tree (the .deb test runs it frozen).

The full run is a subprocess, as an installer's test starts it: its own Qt application,
its own sandbox on loopback, its own exit code.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from trackly_desktop.ui import smoke_test
from trackly_desktop.ui.smoke_test import CHECKS, SmokeContext, run_checks


def _run_smoke_test(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trackly_desktop", "--smoke-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_smoke_test_passes_and_reports_every_check(tmp_path):
    report = tmp_path / "report.txt"
    env = {**os.environ, "TRACKLY_SMOKE_TEST_REPORT": str(report)}
    result = _run_smoke_test(env)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":", 1)[0] for line in lines[:-1]] == [f"ok    {n}" for n, _ in CHECKS]
    assert lines[-1] == f"smoke test passed: {len(CHECKS)} checks"
    assert "3 queued" in result.stdout
    assert "3 messages recorded" in result.stdout
    assert report.read_text(encoding="utf-8") == result.stdout
    # Qt may note harmless platform details on stderr; a crash would leave a traceback.
    assert "Traceback" not in result.stderr


def test_smoke_test_leaves_nothing_in_the_users_folders(tmp_path):
    home = tmp_path / "user"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "TRACKLY_"))},
        "HOME": str(home),
    }
    home.mkdir()
    result = _run_smoke_test(env)
    assert result.returncode == 0, result.stdout + result.stderr
    left = [p for p in home.rglob("*") if "trackly" in p.name.lower()]
    assert left == []


def test_first_failure_stops_the_run_with_its_reason():
    ran_after: list[str] = []
    checks = (
        # Real checks given what a broken bundle would give them: no numbers, no sandbox.
        ("phone numbers", smoke_test.check_phone_numbers),
        ("later", lambda ctx: ran_after.append("later") or "ran"),
    )
    out = io.StringIO()
    code = run_checks(checks, SmokeContext(phones=[]), out)
    assert code == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "FAIL  phone numbers: fewer than 3 sendable numbers in sample_contacts.csv [RuntimeError]"
    )
    assert lines[1] == "smoke test FAILED at “phone numbers”"
    assert ran_after == []


def test_a_missing_sandbox_is_reported_not_raised():
    out = io.StringIO()
    code = run_checks((("sandbox send", smoke_test.check_sandbox_send),), SmokeContext(), out)
    assert code == 1
    assert "the demo's practice server is not running" in out.getvalue()


def test_process_age_is_measured_from_the_process_start():
    age = smoke_test.process_age_s()
    if not Path("/proc/self/stat").exists():
        assert age is None
        return
    # This test process has been running for a while (pytest started, collected, imported).
    assert age is not None
    assert 0.05 < age < 24 * 3600
