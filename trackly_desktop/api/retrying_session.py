"""The HTTP session under TracklyClient: one httpx pool, the retry loop, failure kinds.

What is safe to retry is decided here. 5xx (and 429) answers and failures where the
request certainly did not arrive (connection refused, connect/pool timeout, a write that
failed part-way) are retried with the provider's backoff, `2**attempt + uniform(0, 1)`
seconds scaled by `backoff_base`, capped by `backoff_cap`, never shorter than a
Retry-After. A failure after the request was written (read timeout, connection lost) is
"outcome unknown" and retried only when the caller says a resend is safe.
"""

from __future__ import annotations

import ipaddress
import logging
import random
import socket
import threading
import time
from collections.abc import Callable

import httpx

from trackly_desktop.api.answer_reading import (
    ACCEPT_ENCODING,
    MAX_ANSWER_BYTES,
    MAX_ERROR_ANSWER_BYTES,
    UnknownEncoding,
    plain_response,
    read_bounded,
)
from trackly_desktop.api.errors import ApiError, InvalidBaseUrl, TransientError
from trackly_desktop.api.guarded_network import Guard, guarded, guarded_transport
from trackly_desktop.api.response_parsing import error_from_response, retry_after_seconds

DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=60.0, pool=120.0)
# One attempt, from connecting to the last byte of the answer, never takes longer: httpx's
# read timeout restarts at every byte, so a server trickling bytes would hold it forever.
DEFAULT_DEADLINE = 90.0
# A Retry-After longer than this is not waited for in one go (the attempt still counts).
MAX_RETRY_AFTER = 60.0

_NOT_RECEIVED = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# A write that failed or timed out left the request incomplete: the server cannot act on it.
_NOT_RECEIVED_WRITE = (httpx.WriteError, httpx.WriteTimeout)
_MAYBE_RECEIVED = (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError)
# No Nagle delay; and a send buffer that takes a whole bulk request (about 150 KB for
# 1,000 short messages) in one system call, so a sending thread does not have to win the
# GIL back from busy encoder threads between chunks.
_SOCKET_OPTIONS = [
    (socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),
    (socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20),
]
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}
_JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}

_logger = logging.getLogger("trackly_desktop.api.client")
_quiet_lock = threading.Lock()


def _quiet_http_loggers() -> None:
    # httpx logs every request at INFO and httpcore its internals at DEBUG; keep both at
    # WARNING so an app-wide DEBUG level cannot ever put request details in a log file.
    with _quiet_lock:
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).setLevel(logging.WARNING)


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (where plain http:// is allowed)."""
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def checked_base_url(base_url: str) -> str:
    """`base_url` without a trailing slash; InvalidBaseUrl unless https or loopback http."""
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL:
        raise InvalidBaseUrl() from None
    if url.scheme == "https" and url.host:
        pass
    elif not (url.scheme == "http" and is_loopback(url.host)):
        raise InvalidBaseUrl()
    return base_url.rstrip("/")


class _AnswerTooLarge(Exception):  # noqa: N818
    """A 2xx answer over MAX_ANSWER_BYTES (unpacked): not read further."""


class RetryingSession:
    """POSTs JSON bodies to Trackly with retries; thread-safe; holds the key privately."""

    def __init__(
        self,
        api_key: str,
        base_url: str,
        *,
        max_in_flight: int,
        timeout: httpx.Timeout,
        max_attempts: int,
        backoff_cap: float,
        backoff_base: float,
        sleep: Callable[[float], None] | None,
        rng: random.Random | None,
        transport: httpx.BaseTransport | None,
        deadline: float = DEFAULT_DEADLINE,
    ) -> None:
        self.max_attempts = max_attempts
        self.deadline = deadline
        self.backoff_cap = backoff_cap
        self.backoff_base = backoff_base
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()
        _quiet_http_loggers()
        limits = httpx.Limits(
            max_connections=max_in_flight + 2,
            max_keepalive_connections=max_in_flight + 2,
            # Below common server idle timeouts, so a reused connection is rarely stale.
            keepalive_expiry=5.0,
        )
        # No retries in httpx: our own loop decides, knowing what is safe to resend.
        transport = transport or guarded_transport(limits=limits, socket_options=_SOCKET_OPTIONS)
        self.http = httpx.Client(
            base_url=base_url,
            headers={"X-Api-Key": api_key, **_JSON_HEADERS},
            timeout=timeout,
            transport=transport,
            # Proxy settings from the environment must not divert loopback traffic.
            trust_env=not is_loopback(httpx.URL(base_url).host),
            follow_redirects=False,
        )
        self._secret = api_key

    @property
    def secret(self) -> str:
        """The key, for blanking it out of the server's texts (never shown or logged)."""
        return self._secret

    def close(self) -> None:
        self.http.close()

    def __repr__(self) -> str:
        return f"RetryingSession(base_url={str(self.http.base_url)!r})"

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        with self._rng_lock:
            jitter = self._rng.uniform(0.0, 1.0)
        delay = min(self.backoff_cap, self.backoff_base * (2**attempt + jitter))
        if retry_after is not None:
            delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
        return delay

    def post(
        self,
        url: str,
        body: bytes,
        *,
        retry_unknown: bool,
        abort: threading.Event | None = None,
        interrupt: threading.Event | None = None,
    ) -> httpx.Response:
        """POST `body` with retries; returns a 2xx response or raises an ApiError.

        Once an attempt ended with an unknown outcome, the messages may be queued whatever
        later attempts say: a final TransientError then has `outcome_unknown=True`, and any
        other final ApiError has `after_unknown_attempt=True`. `abort` (Cancel, quit) ends
        the request in flight and any wait at once; `interrupt` (Pause) ends a wait between
        attempts. Either raises TransientError("cancelled").
        """
        uncertain = False
        for attempt in range(self.max_attempts):
            try:
                error = self._attempt(url, body, abort)
            except ApiError as final:
                final.after_unknown_attempt = uncertain
                raise
            if isinstance(error, httpx.Response):
                return error
            uncertain = uncertain or error.outcome_unknown
            last = attempt + 1 >= self.max_attempts or error.code == "cancelled"
            if (error.outcome_unknown and not retry_unknown) or last:
                raise self._final(error, uncertain)
            delay = self._backoff(attempt, error.retry_after)
            _logger.info(
                "Trackly request failed (%s, attempt %d of %d); retrying in %.2f s",
                error.code,
                attempt + 1,
                self.max_attempts,
                delay,
            )
            if self._wait(delay, abort, interrupt):
                raise self._final(TransientError("cancelled", outcome_unknown=False), uncertain)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _final(error: TransientError, uncertain: bool) -> TransientError:
        if uncertain and not error.outcome_unknown:
            error = TransientError(
                error.code, outcome_unknown=True, status=error.status, server_text=error.server_text
            )
        error.after_unknown_attempt = uncertain
        return error

    def _wait(
        self, delay: float, abort: threading.Event | None, interrupt: threading.Event | None
    ) -> bool:
        """Wait `delay` seconds between attempts; True when abort or interrupt ended it."""
        events = [e for e in (abort, interrupt) if e is not None]
        if self._sleep is not None:  # tests: record the wait instead of waiting
            self._sleep(delay)
            return any(e.is_set() for e in events)
        end = time.monotonic() + delay
        while True:
            if any(e.is_set() for e in events):
                return True
            left = end - time.monotonic()
            if left <= 0:
                return False
            # Slices, so that either event ends the wait promptly.
            (events[0] if events else threading.Event()).wait(min(left, 0.1))

    def _attempt(
        self, url: str, body: bytes, abort: threading.Event | None
    ) -> httpx.Response | TransientError:
        """One try: a 2xx response, a TransientError to maybe retry, or a raised ApiError."""
        guard = Guard(deadline=time.monotonic() + self.deadline, abort=abort)
        try:
            with guarded(guard):
                response = self._exchange(url, body)
        except (*_NOT_RECEIVED, *_NOT_RECEIVED_WRITE) as exc:
            if guard.cut:
                return self._cut(guard, outcome_unknown=False)
            code = "timeout" if isinstance(exc, httpx.TimeoutException) else "connection_failed"
            return TransientError(code, outcome_unknown=False, server_text=type(exc).__name__)
        except _MAYBE_RECEIVED as exc:
            if guard.cut:
                return self._cut(guard, outcome_unknown=True)
            code = "timeout" if isinstance(exc, httpx.TimeoutException) else "outcome_unknown"
            return TransientError(code, outcome_unknown=True, server_text=type(exc).__name__)
        except UnknownEncoding:
            text = "an answer compressed in a way the app did not ask for"
            return TransientError("malformed_response", outcome_unknown=True, server_text=text)
        except httpx.HTTPError as exc:
            # Anything else httpx raises (a TLS failure, a bad redirect): treat as not sent
            # but not worth retrying, with the class name only (no URL, no headers).
            raise TransientError(
                "connection_failed", outcome_unknown=False, server_text=type(exc).__name__
            ) from None
        except _AnswerTooLarge:
            return TransientError("answer_too_large", outcome_unknown=True)
        status = response.status_code
        if 200 <= status < 300:
            return response
        error = error_from_response(response, self._secret)
        if status >= 500 or status == 429:
            return TransientError(
                error.code,
                outcome_unknown=False,
                status=status,
                server_text=error.server_text,
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            )
        raise error

    def _exchange(self, url: str, body: bytes) -> httpx.Response:
        """Send the request and read the answer, bounded in size, unpacked by us."""
        request = self.http.build_request(
            "POST", url, content=body, headers={"Accept-Encoding": ACCEPT_ENCODING}
        )
        response = self.http.send(request, stream=True)
        try:
            ok = 200 <= response.status_code < 300
            limit = MAX_ANSWER_BYTES if ok else MAX_ERROR_ANSWER_BYTES
            try:
                content, cut = read_bounded(response, limit)
            except UnknownEncoding:
                if ok:
                    raise
                content, cut = b"", False  # an error answer's words are a courtesy
        finally:
            response.close()
        if cut and ok:
            raise _AnswerTooLarge()
        return plain_response(response, content)

    def _cut(self, guard: Guard, *, outcome_unknown: bool) -> TransientError:
        if guard.cut == "abort":
            return TransientError("cancelled", outcome_unknown=outcome_unknown)
        return TransientError(
            "deadline", outcome_unknown=outcome_unknown, server_text=f"{self.deadline:g}"
        )
