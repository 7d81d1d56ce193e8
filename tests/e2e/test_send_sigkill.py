"""A `trackly send` process killed with SIGKILL at 20 random moments of a 20,000-message
campaign, resumed each time: the sandbox queues every ready row exactly once.

The sandbox runs in this process (so its ledger can be read); each `trackly send` is a
real child process talking to it over loopback. Latency on every answer spreads the
sending over several seconds so the kills land before, during and between requests.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from trackly_desktop import paths
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER
from trackly_desktop.sandbox.faults import FaultConfig
from trackly_desktop.sandbox.server import SandboxServer

ROWS = 20_000
KILLS = 20


def _command(source, base_url: str, campaign_id: int | None) -> list[str]:
    base = [sys.executable, "-m", "trackly_desktop.cli", "send", "--quiet"]
    common = ["--base-url", base_url, "--concurrency", "1"]
    if campaign_id is not None:
        return [*base, "--resume", str(campaign_id), *common]
    return [*base, str(source), "--list-number", DEMO_LIST_NUMBER, "--template",
            "Order {{Order}} is ready.", "--yes", *common]  # fmt: skip


def _read(sql: str) -> int | None:
    path = paths.journal_path()
    if not path.exists():
        return None
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        row = conn.execute(sql).fetchone()
    except sqlite3.OperationalError:  # the tables are not created yet
        return None
    finally:
        conn.close()
    return None if row is None else row[0]


def _batches_claimed() -> int:
    return _read("SELECT COUNT(*) FROM batches") or 0


def _campaign_id() -> int | None:
    return _read("SELECT MAX(id) FROM campaigns")


@pytest.mark.slow
def test_sigkill_twenty_times_then_resume_exactly_once(tmp_path):
    source = tmp_path / "big.csv"
    lines = ["Phone,Order"] + [f"+1415{2_000_000 + i},{i}" for i in range(ROWS)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "TRACKLY_API_KEY": DEMO_API_KEY}
    rng = random.Random(20_000)
    faults = FaultConfig(latency_ms=500, latency_jitter_ms=600)
    killed_while_sending = 0
    with SandboxServer(seed=9, faults=faults) as server:
        kills = 0
        while kills < KILLS:
            campaign_id = _campaign_id()
            claimed_before = _batches_claimed()
            log = (tmp_path / f"run-{kills}.log").open("wb")
            proc = subprocess.Popen(
                _command(source, server.base_url, campaign_id),
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
            if kills == 0:
                # The first kill lands anywhere in start-up: reading, checking, recording.
                moment = rng.uniform(0.2, 2.5)
            else:
                # The others land at a random moment after the process began sending, so
                # they hit requests in flight, answers being recorded, and the gaps between.
                deadline = time.monotonic() + 120
                while (
                    proc.poll() is None
                    and _batches_claimed() == claimed_before
                    and time.monotonic() < deadline
                ):
                    time.sleep(0.01)
                moment = rng.uniform(0.0, 1.0)
            try:
                proc.wait(timeout=moment)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                log.close()
                kills += 1
                # It had claimed a batch (committed it as in flight) before it died.
                killed_while_sending += _batches_claimed() > claimed_before
                continue
            log.close()
            err = (tmp_path / f"run-{kills}.log").read_text(errors="replace")
            assert proc.returncode == 0, err
            break  # finished before the next kill: nothing left to interrupt
        assert kills == KILLS, f"the campaign finished after only {kills} kills"
        # Most kills must hit a process that was sending, not one still starting up.
        print(f"{killed_while_sending} of {KILLS} kills hit a process that was sending")
        assert killed_while_sending >= KILLS - 2, killed_while_sending
        final = subprocess.run(
            _command(source, server.base_url, _campaign_id()),
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        assert final.returncode == 0, final.stderr
        sent = server.ledger.count_by("metadata.row")
    # Batches a killed process left in flight, found and resent by the next run.
    recovered = _read("SELECT COUNT(*) FROM batches WHERE state='uncertain'") or 0
    print(f"{recovered} batches were in flight when their process was killed")
    assert recovered >= KILLS // 2
    assert len(sent) == ROWS, f"{ROWS - len(sent)} rows never sent"
    repeated = {row: n for row, n in sent.items() if n != 1}
    assert not repeated, f"sent more than once: {sorted(repeated.items())[:10]}"
    with Journal() as journal:
        counts = journal.counts(_campaign_id())
    assert counts.queued == ROWS and counts.total == ROWS
