"""The sandbox HTTP server: the Trackly API on loopback, with a ledger and fault injection.

Threaded (one thread per connection, named "trackly-sandbox-..."), HTTP/1.1 keep-alive,
TCP_NODELAY, and every answer written with one sendall (status line, headers and body
together) so a keep-alive connection never stalls on Nagle's algorithm and delayed ACKs.
`stop()` closes every open connection and joins every thread it started.

    with SandboxServer() as server:          # started on an ephemeral port
        client = TracklyClient(DEMO_API_KEY, server.base_url)
        ...
        assert len(server.ledger) == 1000

Control endpoints for a sandbox in another process are in `sandbox.control_routes`.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from trackly_desktop.sandbox import control_routes
from trackly_desktop.sandbox.backend import Answer, SandboxBackend, error_answer, is_api_path
from trackly_desktop.sandbox.faults import FaultConfig, FaultDecider, FaultPlan
from trackly_desktop.sandbox.ledger import Ledger
from trackly_desktop.sandbox.message_checks import MAX_REQUEST_BYTES

_logger = logging.getLogger(__name__)
_REASONS = {200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized",
            403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
            413: "Payload Too Large", 500: "Internal Server Error", 502: "Bad Gateway",
            503: "Service Unavailable"}  # fmt: skip
# A body larger than this is not read at all: the connection is closed after the answer.
_MAX_DRAIN_BYTES = 4 * MAX_REQUEST_BYTES
_DROP = object()  # a handler's signal to close the connection without answering


def encode_answer(answer: Answer, keep_alive: bool) -> bytes:
    """Status line, headers and body as one byte string (written with one sendall)."""
    body = json.dumps(answer.payload, ensure_ascii=False, separators=(",", ":")).encode()
    lines = [
        f"HTTP/1.1 {answer.status} {_REASONS.get(answer.status, 'Unknown')}",
        "Server: trackly-sandbox",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        "Connection: keep-alive" if keep_alive else "Connection: close",
    ]
    lines += [f"{name}: {value}" for name, value in answer.headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HttpServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        _logger.debug("sandbox: " + format, *args)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _read_body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > _MAX_DRAIN_BYTES:
            return None
        return self.rfile.read(length) if length else b""

    def _dispatch(self, method: str) -> None:
        sandbox = self.server.sandbox
        path, _, query = self.path.partition("?")
        body = self._read_body()
        if body is None:
            self._write(error_answer(413, "request_too_large"), keep_alive=False)
            return
        if path.startswith("/sandbox/"):
            self._write(control_routes.handle(sandbox, method, path, query, body))
            return
        if not is_api_path(path):
            self._write(error_answer(404, "not_found"))
            return
        if method != "POST":
            self._write(error_answer(405, "method_not_allowed"))
            return
        plan = sandbox.decider.plan()
        try:
            answer = sandbox.answer_api(plan, path, self.headers.get("X-Api-Key"), body)
        except Exception:  # a sandbox bug: answer like a real server would, and say so
            _logger.exception("sandbox: error answering %s", path)
            answer = error_answer(500, "internal_error")
        if answer is _DROP:
            self._drop()
            return
        assert isinstance(answer, Answer)
        self._write(answer)

    def _write(self, answer: Answer, keep_alive: bool = True) -> None:
        if not keep_alive:
            self.close_connection = True
        try:
            self.wfile.write(encode_answer(answer, keep_alive and not self.close_connection))
        except OSError:  # the client went away; nothing to tell it
            self.close_connection = True

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # SandboxServer.stop joins its own threads
    request_queue_size = 128  # many batches may connect at once

    def __init__(self, address: tuple[str, int], sandbox: SandboxServer) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.sandbox = sandbox
        self.connection_threads: set[threading.Thread] = set()
        self.open_sockets: set[socket.socket] = set()
        self.tracking_lock = threading.Lock()
        self._thread_numbers = itertools.count(1)
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # A receive buffer that holds a whole bulk request, inherited by accepted sockets:
        # the handler then reads a body in one or two system calls instead of winning the
        # GIL back from a busy thread between every 64 KB chunk.
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        super().server_bind()

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._serve_connection,
            args=(request, client_address),
            name=f"trackly-sandbox-conn-{next(self._thread_numbers)}",
            daemon=True,
        )
        with self.tracking_lock:
            self.connection_threads.add(thread)
            self.open_sockets.add(request)
        thread.start()

    def _serve_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self.tracking_lock:
                self.open_sockets.discard(request)
                self.connection_threads.discard(threading.current_thread())

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that vanished mid-request is normal here (tests drop connections).
        _logger.debug("sandbox: error serving %s", client_address, exc_info=True)


class SandboxServer:
    """A Trackly API emulation on loopback; see the module docstring.

    `faults` (a mutable FaultConfig) may be changed while running. `duplicate_window_s`
    is the duplicate check's window; `seed` makes ids, links and fault draws repeatable;
    `clock` (epoch seconds) is what the duplicate window and the ledger's times read.
    `opted_out` and `voip_numbers` are mutable sets of E.164 numbers.

    `freeze_gc=True` (for a sandbox in its own process, as `trackly sandbox` runs it) moves
    everything to the garbage collector's permanent generation after each API request, so
    full collections stop re-scanning a ledger of millions of entries. It is process-wide,
    hence off by default.
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
        self._httpd: _HttpServer | None = None
        self._serve_thread: threading.Thread | None = None
        self._base_url = ""

    # -- life cycle --------------------------------------------------------------------

    def start(self) -> str:
        """Bind, serve in a background thread, and return the base URL (…/api)."""
        if self._httpd is not None:
            return self._base_url
        self._stopping.clear()
        self._httpd = _HttpServer((self.host, self.port), self)
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

    def reset(self) -> None:
        """Empty the ledger and duplicate memory, un-revoke keys (faults are kept)."""
        self.backend.reset()

    # -- one API request ---------------------------------------------------------------

    def answer_api(
        self, plan: FaultPlan, path: str, api_key: str | None, body: bytes
    ) -> Answer | object:
        """The answer to one API request under a fault plan, or _DROP to close silently."""
        if plan.delay_s and self._stopping.wait(plan.delay_s):
            return _DROP
        if plan.drop_before:
            return _DROP
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
        if plan.drop_after:
            return _DROP
        if plan.slow and self._stopping.wait(self.faults.slow_seconds):
            return _DROP
        return answer
