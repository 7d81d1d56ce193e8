"""How many messages a second the sandbox accepts over loopback in 1,000-message bulk requests.

The sandbox runs as `trackly sandbox` in its own process; this process sends pre-built
1,000-message batches through TracklyClient from a thread pool (--in-flight of them at
once), then checks through the control endpoints that every (to, metadata.row) was queued
exactly once. Prints the figures; the target is >= 100,000 messages/s.

    .venv/bin/python tests/benchmarks/bench_sandbox.py [--messages 1048576] [--in-flight 3]
        [--pre-encoded]   # requests encoded before timing: the sandbox's own limit
        [--app-shaped]    # messages as the app sends them: contact_data, campaign metadata
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ThreadPoolExecutor

from trackly_desktop.api.client import TracklyClient
from trackly_desktop.api.records import assemble_bulk, encode_record
from trackly_desktop.api.response_parsing import parse_bulk
from trackly_desktop.api.results import BulkResult
from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER
from trackly_desktop.sandbox.remote import SandboxProcess

BATCH = 1000


def process_cpu_seconds(pid: int) -> float | None:
    """User+system CPU of another process (Linux /proc), to see which side is the limit."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def build_batches(total: int, app_shaped: bool = False) -> list[list[dict]]:
    messages = [
        {
            "to": f"+1{2000000000 + i * 7:010d}",
            "body": f"Hi customer {i}, our spring sale starts Monday. Ref {{{{messageId}}}}",
            "metadata": {"row": i + 2},
        }
        for i in range(total)
    ]
    if app_shaped:
        # The app's records (core.campaign): rendered body, contact data beside it, and
        # the campaign id in metadata: ~250 bytes a message, ~250 KB a request.
        for i, m in enumerate(messages):
            m["body"] = f"Hi C{i}, your order #{i} is ready for pick-up. Reply STOP to opt out."
            m["contact_data"] = {"first_name": f"C{i}", "custom_fields": {"Order": str(i)}}
            m["metadata"] = {"campaign_id": 1, "row": i + 2}
    return [messages[i : i + BATCH] for i in range(0, total, BATCH)]


def post_encoded(client: TracklyClient, body: bytes) -> BulkResult:
    """One pre-encoded bulk request through the client's own session (same pool, retries)."""
    response = client._session.post("/v2/send/bulk", body, retry_unknown=False)
    return parse_bulk(response, range(BATCH))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1_048_576)
    parser.add_argument("--in-flight", type=int, default=3)
    parser.add_argument(
        "--pre-encoded",
        action="store_true",
        help="encode every request before the clock starts, to load the sandbox alone",
    )
    parser.add_argument(
        "--app-shaped",
        action="store_true",
        help="messages as the app sends them (contact_data, campaign metadata)",
    )
    args = parser.parse_args()
    batches = build_batches(args.messages, args.app_shaped)
    bodies = [
        assemble_bulk([encode_record(m) for m in b], {"list_number": DEMO_LIST_NUMBER})
        for b in (batches if args.pre_encoded else [])
    ]
    with (
        SandboxProcess(["--seed", "7"]) as sandbox,
        TracklyClient(DEMO_API_KEY, sandbox.base_url, max_in_flight=args.in_flight) as client,
    ):
        client.send_bulk(DEMO_LIST_NUMBER, batches[0][:1])  # warm up the connection
        assert sandbox.control is not None
        sandbox.control.reset()
        assert sandbox.process is not None
        server_cpu_before = process_cpu_seconds(sandbox.process.pid)
        client_cpu_before = time.process_time()
        started = time.perf_counter()
        with ThreadPoolExecutor(args.in_flight, thread_name_prefix="bench") as pool:
            if bodies:
                results = list(pool.map(lambda body: post_encoded(client, body), bodies))
            else:
                results = list(pool.map(lambda b: client.send_bulk(DEMO_LIST_NUMBER, b), batches))
        elapsed = time.perf_counter() - started
        client_cpu = time.process_time() - client_cpu_before
        server_cpu_after = process_cpu_seconds(sandbox.process.pid)
        queued = sum(r.queued_count for r in results)
        errors = sum(r.error_count for r in results)
        stats = sandbox.control.ledger_stats("to,metadata.row")
    print(f"messages sent:        {args.messages:,} in {len(batches):,} bulk requests")
    shape = (" (pre-encoded)" if bodies else "") + (" (app-shaped)" if args.app_shaped else "")
    print(f"in flight:            {args.in_flight}{shape}")
    print(f"queued / errors:      {queued:,} / {errors:,}")
    print(f"ledger count:         {stats['count']:,} ({stats['repeated_count']} repeated)")
    print(f"elapsed:              {elapsed:.2f} s")
    print(f"throughput:           {queued / elapsed:,.0f} messages/s")
    print(f"per 1,000-msg batch:  {elapsed / len(batches) * 1000:.2f} ms wall")
    print(f"client CPU:           {client_cpu:.2f} s")
    if server_cpu_before is not None and server_cpu_after is not None:
        server_cpu = server_cpu_after - server_cpu_before
        print(f"sandbox CPU:          {server_cpu:.2f} s")
        print(f"sandbox CPU/request:  {server_cpu / len(batches) * 1000:.2f} ms")
        # Independent of how busy the shared machine is: what one sandbox CPU-second accepts.
        print(f"sandbox capacity:     {queued / server_cpu:,.0f} messages per CPU-second")


if __name__ == "__main__":
    main()
