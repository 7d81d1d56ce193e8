"""The Trackly HTTP client: one keep-alive connection pool, typed results, errors by kind.

Thread-safe: several bulk batches may be in flight from a thread pool through one client
(the httpx pool holds at least `max_in_flight` connections). Retries follow the
provider's advice (`2**attempt + uniform(0, 1)` seconds, capped, Retry-After honoured)
for 5xx answers and for failures where the request certainly did not arrive. A failure
after the request was written ("outcome unknown") is retried only when the caller says
a resend is safe (`retry_unknown=True`, i.e. the provider's duplicate check is on).

The API key lives only in the httpx client's default headers: never in a repr, a log
line or an exception text.
"""

from __future__ import annotations

import ipaddress
import logging
import random
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx

from trackly_desktop.api import records as rec
from trackly_desktop.api.errors import AuthError, InvalidBaseUrl, RequestRejected, TransientError
from trackly_desktop.api.records import (
    MAX_BATCH_MESSAGES,
    MAX_RECORD_BYTES,
    MAX_REQUEST_BYTES,
    UnencodableRecord,
    encode_json,
    encode_record,
    record_size,
)
from trackly_desktop.api.response_parsing import (
    error_from_response,
    parse_bulk,
    parse_send,
    retry_after_seconds,
)
from trackly_desktop.api.results import BulkResult, SendResult

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_V1_BASE_URL",
    "MAX_BATCH_MESSAGES",
    "MAX_RECORD_BYTES",
    "MAX_REQUEST_BYTES",
    "TracklyClient",
    "encode_record",
    "record_size",
]

DEFAULT_BASE_URL = "https://app.tracklysms.com/api"
# The deprecated v1 API lives on another host; a custom base URL (the sandbox) serves both.
DEFAULT_V1_BASE_URL = "https://api.tracklysms.com/api"
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=60.0, pool=120.0)
# A Retry-After longer than this is not waited for in one go (the attempt still counts).
MAX_RETRY_AFTER = 300.0

_NOT_RECEIVED = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# A write that failed or timed out left the request incomplete: the server cannot act on it.
_NOT_RECEIVED_WRITE = (httpx.WriteError, httpx.WriteTimeout)
_MAYBE_RECEIVED = (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError)
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}
_JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}

_logger = logging.getLogger(__name__)
_quiet_lock = threading.Lock()


def _quiet_http_loggers() -> None:
    # httpx logs every request at INFO and httpcore its internals at DEBUG; keep both at
    # WARNING so an app-wide DEBUG level cannot ever put request details in a log file.
    with _quiet_lock:
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).setLevel(logging.WARNING)


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _checked_base_url(base_url: str) -> str:
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL:
        raise InvalidBaseUrl() from None
    if url.scheme == "https" and url.host:
        pass
    elif not (url.scheme == "http" and _is_loopback(url.host)):
        raise InvalidBaseUrl()
    return base_url.rstrip("/")


class TracklyClient:
    """A client for the Trackly SMS API (v2, plus the deprecated v1 bulk endpoint).

    `timeout` is an httpx.Timeout, one number for all four phases, or None for the
    defaults (connect 10 s, read/write 60 s, pool 120 s). `max_attempts` counts the first
    try. `backoff_base` scales the provider's backoff (1.0 = their advice; tests shrink it),
    `backoff_cap` bounds one wait, `sleep` is what waits (tests record it). `transport`
    replaces the network (tests only: answers no real server gives, such as garbage).
    """

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        max_in_flight: int = 4,
        timeout: httpx.Timeout | float | None = None,
        max_attempts: int = 5,
        backoff_cap: float = 30.0,
        backoff_base: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        v1_base_url: str | None = None,
        rng: random.Random | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if max_in_flight < 1 or max_attempts < 1:
            raise ValueError("max_in_flight and max_attempts must be at least 1")
        api_key = api_key.strip()
        if not (api_key.isascii() and api_key.isprintable()):
            # Refused here, because an HTTP library's error about a bad header would quote it.
            raise AuthError(
                "invalid_api_key",
                explanation="the API key contains characters a Trackly key never has; "
                "copy it again from your Trackly dashboard",
            )
        self.base_url = _checked_base_url(base_url)
        if v1_base_url is None:
            v1_base_url = DEFAULT_V1_BASE_URL if self.base_url == DEFAULT_BASE_URL else base_url
        self.v1_base_url = _checked_base_url(v1_base_url)
        self.max_attempts = max_attempts
        self.backoff_cap = backoff_cap
        self.backoff_base = backoff_base
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()
        if timeout is None:
            timeout = DEFAULT_TIMEOUT
        elif not isinstance(timeout, httpx.Timeout):
            timeout = httpx.Timeout(timeout)
        self.timeout = timeout
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
            socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)],
        )
        loopback = _is_loopback(httpx.URL(self.base_url).host)
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={"X-Api-Key": api_key, **_JSON_HEADERS},
            timeout=timeout,
            transport=transport,
            # Proxy settings from the environment must not divert loopback traffic.
            trust_env=not loopback,
            follow_redirects=False,
        )
        self._secret = api_key

    # -- life cycle --------------------------------------------------------------------

    def close(self) -> None:
        """Close every pooled connection (idempotent)."""
        self._http.close()

    def __enter__(self) -> TracklyClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"TracklyClient(base_url={self.base_url!r})"

    # -- endpoints ---------------------------------------------------------------------

    def send(
        self,
        to: str,
        list_number: str,
        body: str,
        *,
        wrap_links: bool = False,
        contact_data: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        retry_unknown: bool = False,
    ) -> SendResult:
        """POST /v2/send: one message; raises RequestRejected with the code on a 4xx.

        With `retry_unknown`, a lost answer is resent; if the first try had in fact been
        queued, the resend raises RequestRejected("duplicate_message"): already sent.
        """
        payload: dict[str, Any] = {"to": to, "list_number": list_number, "body": body}
        if wrap_links:
            payload["wrap_links"] = True
        if contact_data is not None:
            payload["contact_data"] = dict(contact_data)
        if metadata is not None:
            payload["metadata"] = dict(metadata)
        return self._send_single("/v2/send", payload, retry_unknown=retry_unknown)

    def send_raw(
        self,
        to: str,
        list_number: str,
        body: str,
        *,
        skip_duplicate_check: bool = False,
        skip_rate_limit: bool = False,
        skip_contact_validation: bool = False,
        skip_journey_check: bool = False,
        metadata: Mapping[str, Any] | None = None,
        retry_unknown: bool = False,
    ) -> SendResult:
        """POST /v2/send-raw: one message with the provider's skip flags.

        `retry_unknown` is ignored with `skip_duplicate_check`: nothing would stop a resend
        of a message that was in fact queued from going out twice.
        """
        payload: dict[str, Any] = {"to": to, "list_number": list_number, "body": body}
        for name, value in (
            ("skip_duplicate_check", skip_duplicate_check),
            ("skip_rate_limit", skip_rate_limit),
            ("skip_contact_validation", skip_contact_validation),
            ("skip_journey_check", skip_journey_check),
        ):
            if value:
                payload[name] = True
        if metadata is not None:
            payload["metadata"] = dict(metadata)
        return self._send_single(
            "/v2/send-raw", payload, retry_unknown=retry_unknown and not skip_duplicate_check
        )

    def send_bulk(
        self,
        list_number: str,
        messages: Sequence[Mapping[str, Any]],
        *,
        retry_unknown: bool = False,
    ) -> BulkResult:
        """POST /v2/send/bulk: up to 1,000 messages {to, body, optional /v2/send fields}.

        Records over 4,000 bytes are not sent; they come back as `payload_too_large`
        errors at their own index, like the server's per-message errors.
        """
        return self._send_bulk(
            "/v2/send/bulk", {"list_number": list_number}, messages, retry_unknown=retry_unknown
        )

    def send_raw_bulk(
        self, messages: Sequence[Mapping[str, Any]], *, retry_unknown: bool = False
    ) -> BulkResult:
        """POST /v2/send-raw/bulk: up to 1,000 full send-raw bodies, each with its skip flags."""
        return self._send_bulk("/v2/send-raw/bulk", {}, messages, retry_unknown=retry_unknown)

    def send_v1_bulk(
        self, from_phone_number_id: str, messages: Sequence[Mapping[str, Any]]
    ) -> BulkResult:
        """POST /v1/messages/bulk (deprecated): messages [{to_msisdn, body}].

        v1 errors carry no codes, so a resend could not tell "already sent" from other
        refusals: an unknown outcome is never resent.
        """
        url = f"{self.v1_base_url}/v1/messages/bulk"
        return self._send_bulk(
            url,
            {"from_phone_number_id": from_phone_number_id},
            messages,
            retry_unknown=False,
            to_field="to_msisdn",
        )

    def verify_key(self) -> None:
        """Check the key and account without sending anything (the "Test connection" button).

        Posts an empty bulk request: `400 missing_messages` (or any 2xx) means the key and
        the account were accepted. Raises AuthError for a bad key or inactive account,
        TransientError when Trackly cannot be reached, ApiError for anything else.
        """
        body = encode_json({"list_number": "", "messages": []})
        try:
            self._post("/v2/send/bulk", body, retry_unknown=True)
        except RequestRejected as exc:
            if exc.code == "missing_messages":
                return
            raise

    # -- machinery ---------------------------------------------------------------------

    def _send_single(
        self, path: str, payload: dict[str, Any], *, retry_unknown: bool = False
    ) -> SendResult:
        try:
            body = encode_json(payload)
        except UnencodableRecord as exc:
            raise RequestRejected("unencodable_record", server_text=str(exc)) from None
        if len(body) > MAX_RECORD_BYTES:
            raise RequestRejected("payload_too_large")
        response = self._post(path, body, retry_unknown=retry_unknown)
        return parse_send(response)

    def _send_bulk(
        self,
        path: str,
        top: dict[str, Any],
        messages: Sequence[Mapping[str, Any]],
        *,
        retry_unknown: bool,
        to_field: str = "to",
    ) -> BulkResult:
        if len(messages) > MAX_BATCH_MESSAGES:
            raise RequestRejected("too_many_messages")
        batch = rec.encode_batch(messages, top, to_field)
        local_errors = batch.refused
        if messages and not batch.kept:
            return BulkResult(0, len(local_errors), tuple(local_errors))
        body, kept = batch.body, batch.kept
        if len(body) > MAX_REQUEST_BYTES:
            raise RequestRejected("request_too_large")
        response = self._post(path, body, retry_unknown=retry_unknown)
        result = parse_bulk(response, kept)
        if not local_errors:
            return result
        errors = tuple(sorted(result.errors + tuple(local_errors), key=lambda e: e.index))
        return BulkResult(
            result.queued_count, result.error_count + len(local_errors), errors, result.deprecated
        )

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        with self._rng_lock:
            jitter = self._rng.uniform(0.0, 1.0)
        delay = min(self.backoff_cap, self.backoff_base * (2**attempt + jitter))
        if retry_after is not None:
            delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
        return delay

    def _post(self, url: str, body: bytes, *, retry_unknown: bool) -> httpx.Response:
        """POST `body` with retries; returns a 2xx response or raises an ApiError."""
        for attempt in range(self.max_attempts):
            error = self._attempt(url, body)
            if isinstance(error, httpx.Response):
                return error
            if error.outcome_unknown and not retry_unknown:
                raise error
            if attempt + 1 >= self.max_attempts:
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
            response = self._http.post(url, content=body)
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
