"""A hostile HTTP server on loopback: real sockets, answers no honest server would give.

Each request is read whole (headers and Content-Length body) and recorded; what happens
next is the server's current `behaviour`, which a test may change at any moment:

- `Answer(status, body, headers)`: answer at once (odd JSON, HTML, a gzip bomb...).
- `Trickle(headers_first=True)`: send a 200's headers, then one body byte every
  `every_s` seconds for ever (httpx's read timeout restarts at every byte).
- `Silent()`: never answer; hold the connection open.
- `Delayed(seconds, then)`: wait, then behave as `then`.
- A callable(request) -> behaviour: decide per request (e.g. by its body).

`stop()` ends every connection; the fixture in conftest.py calls it.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, status: int = 200, **headers: str) -> Answer:
        kind = {"Content-Type": "application/json"}
        return cls(status, json.dumps(data).encode(), {**kind, **headers})


@dataclass
class Trickle:
    every_s: float = 2.0


@dataclass
class Silent:
    pass


@dataclass
class Delayed:
    """Wait `seconds`, then act as `then` (a behaviour or a callable(request))."""

    seconds: float
    then: Any


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


_REASONS = {200: "OK", 400: "Bad Request", 429: "Too Many Requests", 500: "Error",
            502: "Bad Gateway", 503: "Service Unavailable"}  # fmt: skip


class HostileServer:
    def __init__(self) -> None:
        self.behaviour: Any = Answer.json({"queued_count": 0, "error_count": 0, "errors": []})
        self.requests: list[Request] = []
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}/api"
        self._threads: list[threading.Thread] = []
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self.bytes_trickled = 0
        accept = threading.Thread(target=self._accept, name="hostile-accept", daemon=True)
        accept.start()
        self._threads.append(accept)

    # -- life cycle --------------------------------------------------------------------
    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            for conn in self._conns:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- serving -----------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._conns.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(0.2)
        buffer = b""
        try:
            while not self._stop.is_set():
                request, buffer = self._read_request(conn, buffer)
                if request is None:
                    return
                self.requests.append(request)
                behaviour = self._resolve(self.behaviour, request)
                if isinstance(behaviour, Delayed):
                    if self._stop.wait(behaviour.seconds):
                        return
                    behaviour = self._resolve(behaviour.then, request)
                if not self._act(conn, behaviour):
                    return
        except OSError:
            return
        finally:
            conn.close()

    @staticmethod
    def _resolve(behaviour: Any, request: Request) -> Any:
        while callable(behaviour) and not isinstance(behaviour, (Answer, Trickle, Silent, Delayed)):
            behaviour = behaviour(request)  # a callable may hand over to another
        return behaviour

    def _read_request(self, conn: socket.socket, buffer: bytes) -> tuple[Request | None, bytes]:
        while b"\r\n\r\n" not in buffer:
            chunk = self._recv(conn)
            if not chunk:
                return None, b""
            buffer += chunk
        head, buffer = buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        path = lines[0].split(" ")[1]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(buffer) < length:
            chunk = self._recv(conn)
            if not chunk:
                return None, b""
            buffer += chunk
        return Request(path, headers, buffer[:length]), buffer[length:]

    def _recv(self, conn: socket.socket) -> bytes:
        while not self._stop.is_set():
            try:
                return conn.recv(65536)
            except TimeoutError:
                continue
        return b""

    def _act(self, conn: socket.socket, behaviour: Any) -> bool:
        """Carry out one behaviour; False when the connection is finished."""
        if isinstance(behaviour, Answer):
            head = [f"HTTP/1.1 {behaviour.status} {_REASONS.get(behaviour.status, 'X')}"]
            headers = {"Content-Length": str(len(behaviour.body)), **behaviour.headers}
            head += [f"{k}: {v}" for k, v in headers.items()]
            conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + behaviour.body)
            return True
        if isinstance(behaviour, Trickle):
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: 1000000\r\n\r\n"
            )
            while not self._stop.wait(behaviour.every_s):
                conn.sendall(b" ")
                self.bytes_trickled += 1
            return False
        if isinstance(behaviour, Silent):
            self._stop.wait()
            return False
        raise TypeError(f"unknown behaviour {behaviour!r}")


def bulk_answer(request: Request) -> Answer:
    """An honest answer: every message of the request queued."""
    count = len(request.json().get("messages", []))
    return Answer.json({"success": True, "queued_count": count, "error_count": 0, "errors": []})


BehaviourFn = Callable[[Request], Any]
