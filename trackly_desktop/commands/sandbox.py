"""`trackly sandbox`: run the local Trackly server in the foreground until Ctrl+C or SIGTERM.

Prints, flushed, one fact a line so a parent process can parse them:

    Base URL: http://127.0.0.1:PORT/api
    Demo API key: trk_demo_...
    Demo sending number: +18005551000
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.sandbox import demo_data
from trackly_desktop.sandbox.faults import FaultConfig
from trackly_desktop.sandbox.server import SandboxServer


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("a rate is a number between 0 and 1")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added delay per answer")
    parser.add_argument("--latency-jitter-ms", type=float, default=0.0,
                        help="random extra delay, up to this many ms")  # fmt: skip
    parser.add_argument("--fail-rate", type=_rate, default=0.0,
                        help="share of requests answered 500/502/503 (0-1)")  # fmt: skip
    parser.add_argument("--retry-after", type=float, default=None,
                        help="Retry-After seconds on injected 5xx answers")  # fmt: skip
    parser.add_argument("--drop-before-rate", type=_rate, default=0.0,
                        help="share of connections dropped before processing")  # fmt: skip
    parser.add_argument("--drop-after-rate", type=_rate, default=0.0,
                        help="share of connections dropped after queueing")  # fmt: skip
    parser.add_argument("--slow-rate", type=_rate, default=0.0,
                        help="share of answers delayed by --slow-seconds")  # fmt: skip
    parser.add_argument("--slow-seconds", type=float, default=5.0)
    parser.add_argument("--revoke-key-after", type=int, default=None,
                        help="revoke a key after this many requests with it")  # fmt: skip
    parser.add_argument("--duplicate-window", type=float, default=600.0,
                        help="seconds within which the same message is a duplicate")  # fmt: skip
    parser.add_argument("--seed", type=int, default=None, help="seed for ids and fault draws")


def _faults(args: argparse.Namespace) -> FaultConfig:
    return FaultConfig(
        latency_ms=args.latency_ms,
        latency_jitter_ms=args.latency_jitter_ms,
        fail_rate=args.fail_rate,
        retry_after_s=args.retry_after,
        drop_before_rate=args.drop_before_rate,
        drop_after_rate=args.drop_after_rate,
        slow_rate=args.slow_rate,
        slow_seconds=args.slow_seconds,
        revoke_key_after=args.revoke_key_after,
    )


def run(args: argparse.Namespace) -> int:
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    server = SandboxServer(
        args.host,
        args.port,
        faults=_faults(args),
        duplicate_window_s=args.duplicate_window,
        seed=args.seed,
        freeze_gc=True,  # this process is only the sandbox
    )
    try:
        base_url = server.start()
    except OSError as exc:
        raise TracklyDesktopError(
            f"The sandbox could not listen on {args.host}:{args.port} ({exc.strerror or exc})."
        ) from None
    # Both handled explicitly: a parent that started us in the background (where SIGINT is
    # inherited as ignored) can still stop us with either.
    previous = {}
    if threading.current_thread() is threading.main_thread():  # only it may set handlers
        previous = {
            sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)
        }
    try:
        print("Trackly sandbox running: nobody receives its messages.")
        print(f"Base URL: {base_url}")
        print(f"Demo API key: {demo_data.DEMO_API_KEY}")
        print(f"Demo sending number: {demo_data.DEMO_LIST_NUMBER}")
        print("Press Ctrl+C to stop.", flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.stop()
    print(f"Sandbox stopped after queueing {len(server.ledger)} messages.", file=sys.stderr)
    return 0
