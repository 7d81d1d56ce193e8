"""The Trackly HTTP client: one keep-alive connection pool, typed results, errors by kind.

Thread-safe: several bulk batches may be in flight from a thread pool through one client
(the httpx pool holds at least `max_in_flight` connections). Retries follow the
provider's advice (`2**attempt + uniform(0, 1)` seconds, capped, Retry-After honoured)
for 5xx answers and for failures where the request certainly did not arrive. A failure
after the request was written ("outcome unknown") is retried only when the caller says
a resend is safe (`retry_unknown=True`, i.e. the provider's duplicate check is on).

The API key lives only in the session's httpx headers: never in a repr, a log line or
an exception text. The HTTP machinery and retry loop are in `retrying_session`.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx

from trackly_desktop.api import records as rec
from trackly_desktop.api.errors import AuthError, RequestRejected
from trackly_desktop.api.records import (
    UnencodableRecord,
    encode_json,
    encode_record,
    record_size,
)
from trackly_desktop.api.response_parsing import parse_bulk, parse_send
from trackly_desktop.api.results import BulkResult, SendResult
from trackly_desktop.api.retrying_session import (
    DEFAULT_DEADLINE,
    DEFAULT_TIMEOUT,
    RetryingSession,
    checked_base_url,
)
from trackly_desktop.contract import MAX_BATCH_MESSAGES, MAX_RECORD_BYTES, MAX_REQUEST_BYTES

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


class TracklyClient:
    """A client for the Trackly SMS API (v2, plus the deprecated v1 bulk endpoint).

    `timeout` is an httpx.Timeout, one number for all four phases, or None for the
    defaults (connect 10 s, read/write 60 s, pool 120 s). `max_attempts` counts the first
    try. `backoff_base` scales the provider's backoff (1.0 = their advice; tests shrink it),
    `backoff_cap` bounds one wait, `sleep` replaces the wait (tests record it). `deadline`
    bounds one attempt from connecting to the answer's last byte, whatever the server
    does. `transport` replaces the network (tests only: answers no real server gives).
    The bulk endpoints take `abort` (Cancel: ends the request in flight and any wait at
    once) and `interrupt` (Pause: ends a wait between attempts).
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
        sleep: Callable[[float], None] | None = None,
        deadline: float = DEFAULT_DEADLINE,
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
        self.base_url = checked_base_url(base_url)
        if v1_base_url is None:
            v1_base_url = DEFAULT_V1_BASE_URL if self.base_url == DEFAULT_BASE_URL else base_url
        self.v1_base_url = checked_base_url(v1_base_url)
        if timeout is None:
            timeout = DEFAULT_TIMEOUT
        elif not isinstance(timeout, httpx.Timeout):
            timeout = httpx.Timeout(timeout)
        self.timeout = timeout
        self._session = RetryingSession(
            api_key,
            self.base_url,
            max_in_flight=max_in_flight,
            timeout=timeout,
            max_attempts=max_attempts,
            backoff_cap=backoff_cap,
            backoff_base=backoff_base,
            sleep=sleep,
            rng=rng,
            transport=transport,
            deadline=deadline,
        )

    # -- life cycle --------------------------------------------------------------------

    def close(self) -> None:
        """Close every pooled connection (idempotent)."""
        self._session.close()

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

    def send_bulk_encoded(
        self,
        list_number: str,
        records: Sequence[str],
        *,
        retry_unknown: bool = False,
        abort: threading.Event | None = None,
        interrupt: threading.Event | None = None,
    ) -> BulkResult:
        """`send_bulk` for messages that are already compact JSON objects (the journal's
        payloads): the request is their join, byte for byte what `send_bulk` sends for the
        parsed messages, without parsing and encoding them again."""
        return self._send_bulk(
            "/v2/send/bulk",
            {"list_number": list_number},
            records,
            retry_unknown=retry_unknown,
            encoded=True,
            abort=abort,
            interrupt=interrupt,
        )

    def send_raw_bulk_encoded(
        self,
        records: Sequence[str],
        *,
        retry_unknown: bool = False,
        abort: threading.Event | None = None,
        interrupt: threading.Event | None = None,
    ) -> BulkResult:
        """`send_raw_bulk` for messages that are already compact JSON objects."""
        return self._send_bulk(
            "/v2/send-raw/bulk",
            {},
            records,
            retry_unknown=retry_unknown,
            encoded=True,
            abort=abort,
            interrupt=interrupt,
        )

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

        Posts an empty bulk request. Trackly checks the key and the account before the
        body, so `400 missing_messages` (or any other 400/413/422 complaint about the
        body, or a 2xx) means both were accepted. Raises AuthError for a bad key or an
        inactive account, TransientError when Trackly cannot be reached, RequestRejected
        for anything else (a 404 means the server address is wrong).
        """
        body = encode_json({"list_number": "", "messages": []})
        try:
            self._session.post("/v2/send/bulk", body, retry_unknown=True)
        except RequestRejected as exc:
            if exc.status in (400, 413, 422):
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
        response = self._session.post(path, body, retry_unknown=retry_unknown)
        return parse_send(response)

    def _send_bulk(
        self,
        path: str,
        top: dict[str, Any],
        messages: Sequence[Mapping[str, Any]] | Sequence[str],
        *,
        retry_unknown: bool,
        to_field: str = "to",
        encoded: bool = False,
        abort: threading.Event | None = None,
        interrupt: threading.Event | None = None,
    ) -> BulkResult:
        """One bulk request with the shared limits, retries and outcome rules; `messages`
        are dicts, or with `encoded` JSON texts (the `*_encoded` endpoints)."""
        if len(messages) > MAX_BATCH_MESSAGES:
            raise RequestRejected("too_many_messages")
        if encoded:
            batch = rec.encode_batch_texts(messages, top, to_field)  # type: ignore[arg-type]
        else:
            batch = rec.encode_batch(messages, top, to_field)  # type: ignore[arg-type]
        local_errors = batch.refused
        if messages and not batch.kept:
            return BulkResult(0, len(local_errors), tuple(local_errors))
        body, kept = batch.body, batch.kept
        if len(body) > MAX_REQUEST_BYTES:
            raise RequestRejected("request_too_large")
        response = self._session.post(
            path, body, retry_unknown=retry_unknown, abort=abort, interrupt=interrupt
        )
        result = parse_bulk(response, kept, self._session.secret)
        if not local_errors:
            return result
        errors = tuple(sorted(result.errors + tuple(local_errors), key=lambda e: e.index))
        return BulkResult(
            result.queued_count, result.error_count + len(local_errors), errors, result.deprecated
        )
