"""The sandbox's HTTP plumbing: request handler, threaded server, one-piece answers.

One thread per connection (named "trackly-sandbox-conn-N"), HTTP/1.1 keep-alive,
TCP_NODELAY, a receive buffer that holds a whole bulk request, and every answer written
with one sendall (status line, headers and body together), so a keep-alive connection
never stalls on Nagle's algorithm and delayed ACKs. What an answer says is decided by
`SandboxServer.answer_api` (faults, then the backend) and `control_routes`.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from trackly_desktop.contract import MAX_REQUEST_BYTES
from trackly_desktop.sandbox import control_routes
from trackly_desktop.sandbox.backend import Answer, error_answer, is_api_path
from trackly_desktop.sandbox.served import DROP, ServedSandbox

_logger = logging.getLogger(__name__)
_REASONS = {200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized",
            403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
            413: "Payload Too Large", 500: "Internal Server Error", 502: "Bad Gateway",
            503: "Service Unavailable"}  # fmt: skip
# A body larger than this is not read at all: the connection is closed after the answer.
_MAX_DRAIN_BYTES = 4 * MAX_REQUEST_BYTES


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


class SandboxRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SandboxHttpServer

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
        if answer is DROP:
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


class SandboxHttpServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # SandboxServer.stop joins its own threads
    request_queue_size = 128  # many batches may connect at once

    def __init__(self, address: tuple[str, int], sandbox: ServedSandbox) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.sandbox = sandbox
        self.connection_threads: set[threading.Thread] = set()
        self.open_sockets: set[socket.socket] = set()
        self.tracking_lock = threading.Lock()
        self._thread_numbers = itertools.count(1)
        super().__init__(address, SandboxRequestHandler)

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
