"""Figures for issue 11 (a hostile world), each beside the plain alternative, same run:

1. Peak memory (the child's VmHWM) and time reading generated hostile files with
   read_table, beside pandas.read_csv / calamine reading the same file directly; every
   child runs under a 3 GB address limit, so a runaway ends as MemoryError or a crash.
2. Stop times against a hostile loopback server: how long a request held by a server
   trickling one byte every 0.5 s lasts with the client's deadline, beside plain httpx
   (read timeout 60 s), and how long SendEngine.cancel() takes to return while the
   server never answers (grace 1.5 s, and 0 as the CLI's second Ctrl+C does).

    .venv/bin/python tests/benchmarks/bench_hostile.py [--memory] [--stops]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "hostile"))

import hostile_files as hf  # noqa: E402
from hostile_server import HostileServer, Silent, Trickle  # noqa: E402

_PLAIN = r"""
import json, resource, sys, time
limit = int(sys.argv[2]); resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
path = sys.argv[1]
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
start = time.perf_counter()
try:
    if path.endswith((".csv", ".tsv")):
        import pandas as pd
        frame = pd.read_csv(path, dtype=str, header=None, keep_default_na=False)
        outcome = f"read {frame.shape[0]} x {frame.shape[1]}"
    else:
        import python_calamine as c
        sheet = c.CalamineWorkbook.from_path(path).get_sheet_by_name(
            c.CalamineWorkbook.from_path(path).sheet_names[0])
        rows = sheet.to_python()
        outcome = f"read {len(rows)} rows"
except MemoryError:
    outcome = "MemoryError"
except Exception as exc:
    outcome = f"{type(exc).__name__}: {str(exc)[:80]}"
print(json.dumps({"outcome": outcome, "seconds": time.perf_counter() - start,
                  "peak_mb": peak()}))
"""


def plain_read(path: Path, timeout: float = 300) -> dict:
    try:
        done = subprocess.run(
            [sys.executable, "-c", _PLAIN, str(path), str(3 * hf.GB)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {
            "outcome": f"still running after {timeout:.0f} s",
            "peak_mb": float("nan"),
            "seconds": timeout,
        }
    if done.returncode != 0:
        return {
            "outcome": f"crashed ({done.returncode})",
            "peak_mb": float("nan"),
            "seconds": float("nan"),
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


def memory() -> None:
    print(
        "shape                 file MB | ours: peak MB   s  outcome"
        "                              | plain: peak MB   s  outcome"
    )
    with tempfile.TemporaryDirectory() as folder:
        for name, (suffix, make) in hf.SHAPES.items():
            path = make(Path(folder) / f"{name}{suffix}")
            ours = hf.read_in_child(path)
            plain = plain_read(path, timeout=120)
            print(
                f"{name:20s} {path.stat().st_size / hf.MB:8.2f} | "
                f"{ours['peak_mb']:8.0f} {ours['seconds']:5.1f}  {ours['outcome'][:40]:40s} | "
                f"{plain['peak_mb']:8.0f} {plain['seconds']:5.1f}  {plain['outcome'][:40]}",
                flush=True,
            )
            path.unlink()


def stops() -> None:
    import httpx

    from trackly_desktop.api.client import TracklyClient
    from trackly_desktop.api.errors import TransientError
    from trackly_desktop.core.campaign.spec import (
        CampaignSpec,
        RecipientRecord,
        SendOptions,
    )
    from trackly_desktop.core.journal.store import Journal
    from trackly_desktop.core.sending.engine import SendEngine

    key, body = "trk_bench_0123456789", b'{"list_number":"+18005551000","messages":[]}'
    with HostileServer() as server:
        server.behaviour = Trickle(every_s=0.5)
        start = time.monotonic()
        with TracklyClient(key, server.base_url, deadline=2.0, max_attempts=1) as client:
            try:
                client.send_bulk_encoded("+18005551000", ['{"to":"+1","body":"x"}'])
            except TransientError as exc:
                code = exc.code
        ours = time.monotonic() - start
        box: dict = {}

        def plain() -> None:
            t0 = time.monotonic()
            try:
                httpx.post(f"{server.base_url}/v2/send/bulk", content=body, timeout=60.0)
            except httpx.HTTPError as exc:
                box["error"] = type(exc).__name__
            box["s"] = time.monotonic() - t0

        thread = threading.Thread(target=plain, daemon=True)
        thread.start()
        thread.join(20.0)
        plain_s = f"{box['s']:.2f} s" if "s" in box else "not ended after 20 s"
        print(
            f"trickling server: with a 2 s deadline the request ended in {ours:.2f} s "
            f"({code}); plain httpx (read timeout 60 s): {plain_s}"
        )
        server.stop()

    for grace in (1.5, 0.0):
        with HostileServer() as server, tempfile.TemporaryDirectory() as folder:
            server.behaviour = Silent()
            with Journal(Path(folder) / "j.sqlite3") as journal:
                spec = CampaignSpec(
                    Path("c.csv"),
                    None,
                    {"phone": "Phone"},
                    "Hi",
                    "+18005551000",
                    "US",
                    SendOptions(),
                )
                cid = journal.create_campaign(
                    spec,
                    (RecipientRecord(r, f"+1415555{r:04d}", "Hi", "", {}) for r in range(2000)),
                )
                with TracklyClient(key, server.base_url) as client:
                    engine = SendEngine(journal, cid, client, concurrency=2)
                    done = threading.Event()
                    thread = threading.Thread(target=lambda e=engine, d=done: (e.run(), d.set()))
                    thread.start()
                    while len(server.requests) < 2:
                        time.sleep(0.01)
                    asked = time.monotonic()
                    engine.cancel(grace_s=grace)
                    done.wait(30)
                    took = time.monotonic() - asked
                    thread.join()
                    counts = journal.counts(cid)
            print(
                f"server never answers: cancel(grace {grace:.1f} s) returned in {took:.2f} s; "
                f"{counts.uncertain:,} rows not sure, {counts.pending:,} still to send"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--stops", action="store_true")
    args = parser.parse_args()
    both = not (args.memory or args.stops)
    if args.stops or both:
        stops()
    if args.memory or both:
        memory()


if __name__ == "__main__":
    main()
