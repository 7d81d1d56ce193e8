"""Benchmark: the sandbox timings its tests used to assert, printed instead.

Run:  .venv/bin/python tests/benchmarks/bench_sandbox_timings.py [--repeat 5]

Medians of --repeat runs:
- start: SandboxServer().start() until it answers (was asserted < 1 s);
- stop while a handler waits out a slow answer (was asserted < 2 s);
- one keep-alive request answered, TCP_NODELAY on the client, side by side with the same
  request on a fresh connection each time (an answer written in pieces would stall ~40 ms
  behind Nagle's algorithm on the keep-alive connection; was asserted < 20 ms);
- Ledger.repeated over a million entries (was asserted < 10 s).
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import statistics
import threading
import time

from trackly_desktop.api.client import TracklyClient
from trackly_desktop.sandbox import demo_data as demo
from trackly_desktop.sandbox.faults import FaultConfig
from trackly_desktop.sandbox.ledger import Ledger
from trackly_desktop.sandbox.server import SandboxServer


def start_time() -> float:
    started = time.perf_counter()
    server = SandboxServer()
    server.start()
    elapsed = time.perf_counter() - started
    server.stop()
    return elapsed


def stop_during_slow_answer() -> float:
    server = SandboxServer(faults=FaultConfig(slow_next=1, slow_seconds=3600))
    server.start()
    client = TracklyClient(demo.DEMO_API_KEY, server.base_url, timeout=30.0)

    def send() -> None:
        with contextlib.suppress(Exception):  # the stop cuts it: expected
            client.send_bulk(demo.DEMO_LIST_NUMBER, [{"to": "+14155550100", "body": "Hi"}])

    sender = threading.Thread(target=send)
    sender.start()
    while len(server.ledger) == 0:
        time.sleep(0.001)
    started = time.perf_counter()
    server.stop()
    elapsed = time.perf_counter() - started
    sender.join()
    client.close()
    return elapsed


def answer_times(server: SandboxServer, keep_alive: bool, count: int = 50) -> float:
    host, port = server.host, server.port
    request = (
        f"POST /api/v2/send/bulk HTTP/1.1\r\nHost: {host}\r\nX-Api-Key: {demo.DEMO_API_KEY}\r\n"
        "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
    ).encode()
    durations = []
    conn = None
    for _ in range(count):
        if conn is None or not keep_alive:
            if conn is not None:
                conn.close()
            conn = socket.create_connection((host, port))
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        started = time.perf_counter()
        conn.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.endswith(b"}"):
            answer += conn.recv(65536)
        durations.append(time.perf_counter() - started)
    conn.close()
    return statistics.median(durations)


def ledger_repeated() -> float:
    ledger = Ledger()
    ledger.extend(
        (f"id{i:06d}", f"+1415{i % 999_983:07d}", "L", "b", {"row": i}, 0.0, "/api/v2/send/bulk")
        for i in range(1_000_000)
    )
    started = time.perf_counter()
    ledger.repeated(("to", "metadata.row"))
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    starts = [start_time() for _ in range(args.repeat)]
    print(f"start: median {statistics.median(starts) * 1000:.1f} ms")
    stops = [stop_during_slow_answer() for _ in range(args.repeat)]
    print(f"stop during an hour-long answer: median {statistics.median(stops) * 1000:.1f} ms")
    with SandboxServer() as server:
        kept, fresh = [], []
        for _ in range(args.repeat):
            kept.append(answer_times(server, keep_alive=True))
            fresh.append(answer_times(server, keep_alive=False))
    print(
        f"answer on a keep-alive connection: median {statistics.median(kept) * 1000:.2f} ms; "
        f"on a fresh connection each time: {statistics.median(fresh) * 1000:.2f} ms "
        "(a Nagle stall would be ~40 ms)"
    )
    print(f"Ledger.repeated over 1,000,000 entries: {ledger_repeated():.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
