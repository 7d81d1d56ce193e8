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
from collections.abc import Callable

import httpx

from trackly_desktop.api.errors import ApiError, InvalidBaseUrl, TransientError
from trackly_desktop.api.response_parsing import error_from_response, retry_after_seconds

DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=60.0, pool=120.0)
# A Retry-After longer than this is not waited for in one go (the attempt still counts).
MAX_RETRY_AFTER = 300.0

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
        sleep: Callable[[float], None],
        rng: random.Random | None,
        transport: httpx.BaseTransport | None,
    ) -> None:
        self.max_attempts = max_attempts
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
        transport = transport or httpx.HTTPTransport(
            verify=True,
            limits=limits,
            retries=0,  # our own retry loop decides, knowing what is safe to resend
            socket_options=_SOCKET_OPTIONS,
        )
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

    def post(self, url: str, body: bytes, *, retry_unknown: bool) -> httpx.Response:
        """POST `body` with retries; returns a 2xx response or raises an ApiError.

        Once an attempt ended with an unknown outcome, the messages may be queued whatever
        later attempts say: a final TransientError then has `outcome_unknown=True`, and any
        other final ApiError has `after_unknown_attempt=True`.
        """
        uncertain = False
        for attempt in range(self.max_attempts):
            try:
                error = self._attempt(url, body)
            except ApiError as final:
                final.after_unknown_attempt = uncertain
                raise
            if isinstance(error, httpx.Response):
                return error
            uncertain = uncertain or error.outcome_unknown
            if (error.outcome_unknown and not retry_unknown) or attempt + 1 >= self.max_attempts:
                if uncertain and not error.outcome_unknown:
                    error = TransientError(
                        error.code,
                        outcome_unknown=True,
                        status=error.status,
                        server_text=error.server_text,
                    )
                error.after_unknown_attempt = uncertain
                raise error
            delay = self._backoff(attempt, error.retry_after)
            _logger.info(
                "Trackly request failed (%s, attempt %d of %d); retrying in %.2f s",
                error.code,
                attempt + 1,
                self.max_attempts,
                delay,
            )
            self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(self, url: str, body: bytes) -> httpx.Response | TransientError:
        """One try: a 2xx response, a TransientError to maybe retry, or a raised ApiError."""
        try:
            response = self.http.post(url, content=body)
        except (*_NOT_RECEIVED, *_NOT_RECEIVED_WRITE) as exc:
            code = "timeout" if isinstance(exc, httpx.TimeoutException) else "connection_failed"
            return TransientError(code, outcome_unknown=False, server_text=type(exc).__name__)
        except _MAYBE_RECEIVED as exc:
            code = "timeout" if isinstance(exc, httpx.TimeoutException) else "outcome_unknown"
            return TransientError(code, outcome_unknown=True, server_text=type(exc).__name__)
        except httpx.HTTPError as exc:
            # Anything else httpx raises (a TLS failure, a bad redirect): treat as not sent
            # but not worth retrying, with the class name only (no URL, no headers).
            raise TransientError(
                "connection_failed", outcome_unknown=False, server_text=type(exc).__name__
            ) from None
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
