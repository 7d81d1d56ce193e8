"""Send-engine benchmark: a million messages to a sandbox running in another process.

    .venv/bin/python tests/benchmarks/bench_send.py                      # both scenarios
    .venv/bin/python tests/benchmarks/bench_send.py --messages 200000 --latency-ms 0

Scenario 1: 1,048,576 messages, no added latency: end-to-end messages per second
(target 50,000/s). Scenario 2: 100 ms added per request, 8 in flight: wall time against
the ideal (batches x 0.1 s / 8; target within 1.25x). The sandbox runs as a `trackly
sandbox` child process so the client's CPU (time.process_time of this process) is
measured apart from the server's; it is reported per 1,000-message batch. The rows are
checked and rendered once (`build_recipients`, "validate_s", not counted below); creating
the campaign from them in the journal (`create_campaign`, as the app does) is timed
separately from sending it.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from trackly_desktop.api.client import TracklyClient
from trackly_desktop.core.campaign.spec import CampaignSpec
from trackly_desktop.core.contacts.mapping import ColumnMapping
from trackly_desktop.core.journal.record import create_campaign
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.reading.table import Table
from trackly_desktop.core.recipients.build import Recipients, build_recipients
from trackly_desktop.core.sending.engine import SendEngine
from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER


def start_sandbox(latency_ms: float) -> tuple[subprocess.Popen, str]:
    cmd = [sys.executable, "-m", "trackly_desktop.cli", "sandbox", "--latency-ms", str(latency_ms)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("Base URL:"):
            return proc, line.split(":", 1)[1].strip()
    raise RuntimeError("the sandbox did not start")


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of another process (Linux /proc), 0.0 where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ledger_count(base_url: str) -> int:
    root = base_url.rsplit("/api", 1)[0]
    with urllib.request.urlopen(f"{root}/sandbox/health", timeout=30) as answer:
        return int(json.load(answer)["ledger_count"])


TEMPLATE = "Hi {{First}}, your order #{{Order}} is ready for pick-up. Reply STOP to opt out."


def recipients(count: int) -> tuple[Recipients, float]:
    """`count` ready rows checked and rendered as the app does (from a Table), and the
    seconds that took (not part of the campaign-creation figure)."""
    import numpy as np
    import pandas as pd

    t0 = time.perf_counter()
    rows = range(2, count + 2)
    frame = pd.DataFrame(
        {
            # (415) 2xx-xxxx and up: distinct numbers that all pass the phone check.
            "Phone": [f"+1415{200 + row // 10000:03d}{row % 10000:04d}" for row in rows],
            "First": [f"C{row}" for row in rows],
            "Order": [str(row) for row in rows],
        },
        dtype=object,
    )
    table = Table(Path("bench.csv"), None, list(frame.columns), frame, np.arange(2, count + 2))
    built = build_recipients(
        table, ColumnMapping(phone="Phone", first_name="First"), TEMPLATE, "US"
    )
    assert built.summary().ready == count
    return built, time.perf_counter() - t0


def scenario(ready: Recipients, latency_ms: float, concurrency: int) -> dict[str, float]:
    messages = len(ready)
    proc, base_url = start_sandbox(latency_ms)
    try:
        with tempfile.TemporaryDirectory() as home:
            journal = Journal(Path(home) / "journal.sqlite3")
            mapping = {"phone": "Phone", "first_name": "First"}
            spec = CampaignSpec("bench.csv", None, mapping, TEMPLATE, DEMO_LIST_NUMBER, "US")
            t0, c0 = time.perf_counter(), time.process_time()
            cid = create_campaign(journal, spec, ready)
            create_s, create_cpu = time.perf_counter() - t0, time.process_time() - c0
            with TracklyClient(DEMO_API_KEY, base_url, max_in_flight=concurrency) as client:
                engine = SendEngine(journal, cid, client, concurrency=concurrency)
                t0, c0, s0 = time.perf_counter(), time.process_time(), process_cpu_s(proc.pid)
                report = engine.run()
                send_s, send_cpu = time.perf_counter() - t0, time.process_time() - c0
                server_cpu = process_cpu_s(proc.pid) - s0
            journal.close()
        queued = ledger_count(base_url)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert report.sent == messages and queued == messages, (report, queued)
    batches = report.batches
    ideal = batches * (latency_ms / 1000.0) / concurrency
    return {
        "messages": messages,
        "latency_ms": latency_ms,
        "concurrency": concurrency,
        "batches": batches,
        "create_s": round(create_s, 2),
        "create_cpu_s": round(create_cpu, 2),
        "send_s": round(send_s, 2),
        "msgs_per_s_send": round(messages / send_s),
        "msgs_per_s_create_and_send": round(messages / (create_s + send_s)),
        "client_cpu_ms_per_batch": round(send_cpu * 1000 / batches, 2),
        "server_cpu_ms_per_batch": round(server_cpu * 1000 / batches, 2),
        # What the CPU work alone allows when client and server each get a free core: a
        # projection for an idle machine, not a measurement.
        "cpu_bound_msgs_per_s": round(messages / max(send_cpu, server_cpu, 1e-9)),
        "ideal_s": round(ideal, 2),
        "vs_ideal": round(send_s / ideal, 3) if ideal else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_048_576)
    parser.add_argument("--latency-ms", type=float, action="append")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--no-freeze", action="store_true", help="leave the checked rows in the collector's sight"
    )
    args = parser.parse_args()
    os.environ.pop("TRACKLY_API_KEY", None)
    ready, validate_s = recipients(args.messages)
    if not args.no_freeze:
        # As the window does once a file is checked (core.collector.hold_current_objects):
        # the million-row columns are kept out of every later garbage collection.
        gc.freeze()
    print(json.dumps({"messages": args.messages, "validate_s": round(validate_s, 2)}), flush=True)
    for latency in args.latency_ms or [0.0, 100.0]:
        figures = scenario(ready, latency, args.concurrency)
        print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
