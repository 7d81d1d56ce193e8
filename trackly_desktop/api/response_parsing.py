"""Reading Trackly's answers into typed results and errors, tolerating odd shapes.

Error bodies are `{"success": false, "code": ..., "error": ...}` by contract, but the
client must not rely on it: it reads `code`, then `error_code`, then an `error` that looks
like a code, then the HTTP status, so an unexpected shape still yields a readable message.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Sequence
from typing import Any

import httpx

from trackly_desktop.api.errors import ApiError, AuthError, RequestRejected, TransientError
from trackly_desktop.api.results import BulkError, BulkResult, SendResult

_CODE_LIKE = re.compile(r"[a-z][a-z0-9_]{1,63}")
# Longer server texts are cut here: they are shown in a table cell and kept in the journal.
_MAX_TEXT = 300
_HIDDEN = "[key hidden]"


def _malformed(response: httpx.Response, what: str) -> TransientError:
    # A 2xx we cannot read: the server accepted the request, so the messages may be queued.
    if _looks_like_a_page(response):
        what = "a web page instead of Trackly's answer (is the server address right?)"
    return TransientError(
        "malformed_response", outcome_unknown=True, status=response.status_code, server_text=what
    )


def _looks_like_a_page(response: httpx.Response) -> bool:
    kind = response.headers.get("content-type", "").lower()
    start = response.content[:200].lstrip().lower()
    return "html" in kind or start.startswith((b"<!doctype", b"<html", b"<head", b"<body"))


def _unverifiable(response: httpx.Response, what: str) -> TransientError:
    # Readable, but its counts do not add up: the messages may or may not be queued.
    return TransientError(
        "unverifiable_answer", outcome_unknown=True, status=response.status_code, server_text=what
    )


def redact(text: str, secret: str) -> str:
    """`text` with the API key blanked out (a server may echo it in an error)."""
    return text.replace(secret, _HIDDEN) if secret and secret in text else text


def _json_object(response: httpx.Response) -> dict[str, Any] | None:
    try:
        data = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _text(value: Any) -> str:
    return value[:_MAX_TEXT] if isinstance(value, str) else ""


def _code(value: Any) -> str:
    """A server's code when it looks like one (short, lowercase, underscores), else ""."""
    return value if isinstance(value, str) and _CODE_LIKE.fullmatch(value) else ""


def error_from_response(response: httpx.Response, secret: str) -> ApiError:
    """The ApiError a non-2xx answer stands for (AuthError for 401/403).

    `secret` (the API key) is blanked out of the server's text in case it echoes it.
    """
    status = response.status_code
    data = _json_object(response) or {}
    code = _code(data.get("code")) or _code(data.get("error_code"))
    text = _text(data.get("error")) or _text(data.get("message")) or _text(data.get("detail"))
    if not code:
        code = text if _CODE_LIKE.fullmatch(text) else f"http_{status}"
    if not data and response.content:
        if _looks_like_a_page(response):
            text = "a web page instead of Trackly's answer"
        else:
            text = response.content[: _MAX_TEXT * 4].decode("utf-8", "replace").strip()
    text = redact(text, secret)[:_MAX_TEXT]
    if status in (401, 403):
        return AuthError(code, status=status, server_text=text)
    if status >= 500 or status == 429:
        return ApiError(
            code if code != f"http_{status}" else "server_error", status=status, server_text=text
        )
    return RequestRejected(code, status=status, server_text=text)


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def parse_send(response: httpx.Response) -> SendResult:
    """A 2xx answer of /v2/send or /v2/send-raw."""
    data = _json_object(response)
    if data is None:
        raise _malformed(response, "not a JSON object")
    message_id = data.get("message_id")
    if not isinstance(message_id, str) or not message_id:
        raise _malformed(response, "no message_id")
    status = data.get("status")
    return SendResult(message_id, status if isinstance(status, str) else "queued")


def _bulk_error(entry: Any, kept: Sequence[int], secret: str) -> BulkError | None:
    """One per-message error, or None when it names no message of the request (so the
    answer cannot be matched to the messages)."""
    if not isinstance(entry, dict):
        return None
    index = entry.get("index")
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(kept):
        return None
    to = entry.get("to", entry.get("to_msisdn"))
    code = _code(entry.get("code")) or _code(entry.get("error_code")) or "rejected"
    text = redact(_text(entry.get("error")) or _text(entry.get("message")), secret)
    to = redact(to[:40], secret) if isinstance(to, str) else None
    return BulkError(kept[index], to, code, text)


def _count(value: Any) -> int | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return value if ok else None


def parse_bulk(response: httpx.Response, kept: Sequence[int], secret: str = "") -> BulkResult:
    """A 2xx answer of a bulk endpoint; `kept[i]` is the caller's index of request record i.

    Trusted only when it accounts for every message exactly once: `queued_count` plus
    `error_count` is the number of messages sent, and the errors listed are that many,
    each naming a different message of the request. Anything else raises
    TransientError("unverifiable_answer", outcome_unknown=True): its messages are "not sure".
    """
    data = _json_object(response)
    if data is None:
        raise _malformed(response, "not a JSON object")
    queued = _count(data.get("queued_count"))
    raw_errors = data.get("errors", [])
    if queued is None or not isinstance(raw_errors, list):
        raise _malformed(response, "no queued_count or errors")
    error_count = _count(data.get("error_count", len(raw_errors)))
    if error_count is None or queued + error_count != len(kept):
        raise _unverifiable(response, f"{queued} queued and {error_count} refused of {len(kept)}")
    if len(raw_errors) != error_count:
        raise _unverifiable(response, f"{error_count} refused, {len(raw_errors)} listed")
    errors = tuple(_bulk_error(e, kept, secret) for e in raw_errors)
    named = {e.index for e in errors if e is not None}
    if len(named) != len(errors):
        raise _unverifiable(response, "a refusal names no message, or one twice")
    deprecated = data.get("deprecated") is True or "deprecation" in response.headers
    return BulkResult(queued, error_count, errors, deprecated)  # type: ignore[arg-type]
