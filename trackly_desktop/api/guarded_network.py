"""Sockets that give up when the request's overall deadline passes or the caller aborts.

httpx's timeouts are per socket operation: a server that sends one byte every two seconds
restarts the read timeout at every byte and holds a request forever. Here every blocking
socket call (connect, each write, each read) waits in short slices, and between slices
looks at the calling thread's `Guard`: past its deadline or with its abort event set, the
call fails at once. So a request ends within a slice of its deadline, and within a slice
of Cancel, whatever the server does (DNS resolution is the one wait left to the system).

A cut during connect or write raises httpcore's ConnectError/WriteError (the request did
not arrive whole: safe to resend); a cut while reading raises ReadError (it may have
arrived). The session reads `Guard.cut` to tell the operator which limit ended it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import socket
import threading
import time
import typing
from collections.abc import Iterator
from dataclasses import dataclass

import httpcore
import httpx

# How long one blocking socket call waits before looking at the guard again.
SLICE_S = 0.1

_local = threading.local()
_IN_PROGRESS = {errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EALREADY}


@dataclass
class Guard:
    """One attempt's limits: a `time.monotonic()` deadline and an optional abort event."""

    deadline: float
    abort: threading.Event | None = None
    cut: str = ""  # "", "deadline" or "abort" once a socket call gave up because of it

    def check(self) -> bool:
        """True (and `cut` set) when the attempt must end now."""
        if self.abort is not None and self.abort.is_set():
            self.cut = "abort"
        elif time.monotonic() >= self.deadline:
            self.cut = "deadline"
        return bool(self.cut)

    def slice(self, end: float | None) -> float:
        """The next wait: a slice, shortened to the deadline and the operation's own end."""
        now = time.monotonic()
        limit = min(self.deadline, end) if end is not None else self.deadline
        return max(0.0, min(SLICE_S, limit - now))


@contextlib.contextmanager
def guarded(guard: Guard) -> Iterator[Guard]:
    """Every guarded socket call this thread makes inside the block obeys `guard`."""
    previous = getattr(_local, "guard", None)
    _local.guard = guard
    try:
        yield guard
    finally:
        _local.guard = previous


def _current() -> Guard:
    guard = getattr(_local, "guard", None)
    # Outside `guarded` (never in the client) a call still ends, in slices, at its timeout.
    return guard if guard is not None else Guard(deadline=float("inf"))


def _end(timeout: float | None) -> float | None:
    return None if timeout is None else time.monotonic() + timeout


class GuardedStream(httpcore.NetworkStream):
    """A connected socket (plain or TLS) whose reads and writes obey the thread's guard."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner
        self._sock: socket.socket = inner.get_extra_info("socket")

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        guard, end = _current(), _end(timeout)
        while True:
            if guard.check():
                raise httpcore.ReadError(f"stopped: {guard.cut}")
            if end is not None and time.monotonic() >= end:
                raise httpcore.ReadTimeout("timed out")
            try:
                return self._inner.read(max_bytes, timeout=max(guard.slice(end), 0.001))
            except httpcore.ReadTimeout:
                continue  # a slice passed with nothing to read (nothing was consumed)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        guard, end = _current(), _end(timeout)
        view = memoryview(buffer)
        while view:
            if guard.check():
                raise httpcore.WriteError(f"stopped: {guard.cut}")
            if end is not None and time.monotonic() >= end:
                raise httpcore.WriteTimeout("timed out")
            try:
                self._sock.settimeout(max(guard.slice(end), 0.001))
                sent = self._sock.send(view)
            except TimeoutError:
                continue
            except OSError as exc:
                raise httpcore.WriteError(str(exc)) from None
            view = view[sent:]

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: typing.Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        # The handshake is bounded by the connect timeout (and by the deadline below).
        guard = _current()
        if timeout is not None:
            timeout = max(0.001, min(timeout, guard.deadline - time.monotonic()))
        return GuardedStream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's network backend with guarded, sliced connects and guarded streams."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        guard, end = _current(), _end(timeout)
        source = None if local_address is None else (local_address, 0)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from None
        last: Exception = httpcore.ConnectError("no address")
        for family, kind, proto, _name, address in infos:
            sock = socket.socket(family, kind, proto)
            try:
                for option in socket_options or ():
                    sock.setsockopt(*option)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if source is not None:
                    sock.bind(source)
                self._connect(sock, address, guard, end)
            except (httpcore.ConnectError, httpcore.ConnectTimeout, OSError) as exc:
                sock.close()
                last = exc
                if guard.cut or isinstance(exc, httpcore.ConnectTimeout):
                    break
                continue
            sock.setblocking(True)
            return GuardedStream(_wrap(sock))
        if isinstance(last, (httpcore.ConnectError, httpcore.ConnectTimeout)):
            raise last
        raise httpcore.ConnectError(str(last))

    @staticmethod
    def _connect(sock: socket.socket, address: typing.Any, guard: Guard, end: float | None):
        sock.setblocking(False)
        error = sock.connect_ex(address)
        if error == 0:
            return
        if error not in _IN_PROGRESS:
            raise httpcore.ConnectError(os.strerror(error))
        while True:
            if guard.check():
                raise httpcore.ConnectError(f"stopped: {guard.cut}")
            if end is not None and time.monotonic() >= end:
                raise httpcore.ConnectTimeout("timed out")
            _, writable, _ = select.select([], [sock], [], max(guard.slice(end), 0.001))
            if writable:
                error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if error:
                    raise httpcore.ConnectError(os.strerror(error))
                return


def _wrap(sock: socket.socket) -> httpcore.NetworkStream:
    from httpcore._backends.sync import SyncStream  # noqa: PLC0415 - not re-exported

    return SyncStream(sock)


def guarded_transport(
    *, limits: httpx.Limits, socket_options: list[tuple[int, int, int]]
) -> httpx.HTTPTransport:
    """httpx's transport with its connection pool on the guarded backend."""
    transport = httpx.HTTPTransport(verify=True, limits=limits, retries=0)
    # httpx has no option for the network backend: its pool is replaced by an equal one.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(verify=True),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        retries=0,
        socket_options=socket_options,
        network_backend=GuardedBackend(),
    )
    return transport
