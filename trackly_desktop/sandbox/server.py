"""The sandbox HTTP server: the Trackly API on loopback, with a ledger and fault injection.

Serves in a background thread named "trackly-sandbox-server" (HTTP plumbing in
`http_handler`); `stop()` closes every open connection and joins every thread it started.

    with SandboxServer() as server:          # started on an ephemeral port
        client = TracklyClient(DEMO_API_KEY, server.base_url)
        ...
        assert len(server.ledger) == 1000

Control endpoints for a sandbox in another process are in `sandbox.control_routes`.
"""

from __future__ import annotations

import contextlib
import gc
import socket
import sys
import threading
import time
from collections.abc import Callable

from trackly_desktop.sandbox.backend import Answer, SandboxBackend, error_answer
from trackly_desktop.sandbox.faults import FaultConfig, FaultDecider, FaultPlan
from trackly_desktop.sandbox.http_handler import SandboxHttpServer
from trackly_desktop.sandbox.ledger import Ledger
from trackly_desktop.sandbox.served import DROP

OWN_PROCESS_SWITCH_INTERVAL_S = 0.001
OWN_PROCESS_YOUNG_GC_THRESHOLD = 50_000


class SandboxServer:
    """A Trackly API emulation on loopback; see the module docstring.

    `faults` (a mutable FaultConfig) may be changed while running. `duplicate_window_s`
    is the duplicate check's window; `seed` makes ids, links and fault draws repeatable;
    `clock` (epoch seconds) is what the duplicate window and the ledger's times read.
    `opted_out`, `voip_numbers`, `answer_lost_once` and `carrier_trouble_once` are mutable
    sets of E.164 numbers (the last two: see `backend`).

    `freeze_gc=True` (for a sandbox in its own process, as `trackly sandbox` runs it) moves
    everything to the garbage collector's permanent generation after each API request, so
    full collections stop re-scanning a ledger of millions of entries. It is process-wide,
    hence off by default. A sandbox that has its process to itself also switches the GIL
    every 1 ms (as the app does for itself), restored on `stop`: with the default 5 ms, a
    connection thread waking from its added latency, or from a socket read, waited up to
    5 ms behind another request's processing each time (100 ms latency, 8 in flight, a
    million messages: 1.24-1.28x of ideal, 1.19-1.21x at 1 ms). It also lets 50,000
    container allocations, not 700, start a young collection: parsing a 1,000-message app
    bulk makes ~5,000 dicts that die with the request; at 700, the young collections they
    set off cost 0.24 ms of a request's ~4 ms CPU (in-process, 200 such requests).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        faults: FaultConfig | None = None,
        duplicate_window_s: float = 600.0,
        seed: int | None = None,
        freeze_gc: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.host = host
        self._freeze_gc = freeze_gc
        self.port = port
        self.faults = faults or FaultConfig()
        self.backend = SandboxBackend(duplicate_window_s=duplicate_window_s, seed=seed, clock=clock)
        self.decider = FaultDecider(self.faults, seed)
        self._stopping = threading.Event()
        self._httpd: SandboxHttpServer | None = None
        self._serve_thread: threading.Thread | None = None
        self._base_url = ""
        self._switch_interval_before: float | None = None
        self._gc_threshold_before: tuple[int, int, int] | None = None

    # -- life cycle --------------------------------------------------------------------

    def start(self) -> str:
        """Bind, serve in a background thread, and return the base URL (…/api)."""
        if self._httpd is not None:
            return self._base_url
        self._stopping.clear()
        self._httpd = SandboxHttpServer((self.host, self.port), self)
        if self._freeze_gc:
            self._switch_interval_before = sys.getswitchinterval()
            sys.setswitchinterval(OWN_PROCESS_SWITCH_INTERVAL_S)
            self._gc_threshold_before = gc.get_threshold()
            gc.set_threshold(OWN_PROCESS_YOUNG_GC_THRESHOLD, *self._gc_threshold_before[1:])
        self.port = self._httpd.server_address[1]
        host = f"[{self.host}]" if ":" in self.host else self.host
        self._base_url = f"http://{host}:{self.port}/api"
        self._serve_thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="trackly-sandbox-server",
            daemon=True,
        )
        self._serve_thread.start()
        return self._base_url

    def stop(self) -> None:
        """Close every connection and join every thread (idempotent)."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()  # wakes handlers waiting out latency or a slow answer
        httpd.shutdown()
        if self._serve_thread is not None:
            self._serve_thread.join()
        with httpd.tracking_lock:
            sockets = list(httpd.open_sockets)
            threads = list(httpd.connection_threads)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(timeout=10.0)
        httpd.server_close()
        if self._switch_interval_before is not None:
            sys.setswitchinterval(self._switch_interval_before)
            self._switch_interval_before = None
        if self._gc_threshold_before is not None:
            gc.set_threshold(*self._gc_threshold_before)
            self._gc_threshold_before = None

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"SandboxServer(base_url={self._base_url!r})"

    @property
    def base_url(self) -> str:
        """http://HOST:PORT/api once started (empty before)."""
        return self._base_url

    @property
    def running(self) -> bool:
        return self._httpd is not None

    # -- state -------------------------------------------------------------------------

    @property
    def ledger(self) -> Ledger:
        return self.backend.ledger

    @property
    def opted_out(self) -> set[str]:
        return self.backend.opted_out

    @property
    def voip_numbers(self) -> set[str]:
        return self.backend.voip_numbers

    @property
    def answer_lost_once(self) -> set[str]:
        return self.backend.answer_lost_once

    @property
    def carrier_trouble_once(self) -> set[str]:
        return self.backend.carrier_trouble_once

    def reset(self) -> None:
        """Empty the ledger and duplicate memory, un-revoke keys (faults are kept)."""
        self.backend.reset()

    # -- one API request ---------------------------------------------------------------

    def answer_api(
        self, plan: FaultPlan, path: str, api_key: str | None, body: bytes
    ) -> Answer | object:
        """The answer to one API request under a fault plan, or DROP to close silently."""
        if plan.delay_s and self._stopping.wait(plan.delay_s):
            return DROP
        if plan.drop_before:
            return DROP
        if plan.fail_status is not None:
            headers: tuple[tuple[str, str], ...] = ()
            if self.faults.retry_after_s is not None:
                headers = (("Retry-After", f"{self.faults.retry_after_s:g}"),)
            code = "service_unavailable" if plan.fail_status == 503 else "internal_error"
            answer = error_answer(plan.fail_status, code, headers)
            return answer
        answer = self.backend.handle(path, api_key, body, self.faults.revoke_key_after)
        if self._freeze_gc:
            gc.freeze()
        if plan.drop_after or answer.lost:
            return DROP
        if plan.slow and self._stopping.wait(self.faults.slow_seconds):
            return DROP
        return answer
