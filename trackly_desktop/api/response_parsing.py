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
_MAX_TEXT = 300


def _malformed(response: httpx.Response, what: str) -> TransientError:
    # A 2xx we cannot read: the server accepted the request, so the messages may be queued.
    return TransientError(
        "malformed_response", outcome_unknown=True, status=response.status_code, server_text=what
    )


def _json_object(response: httpx.Response) -> dict[str, Any] | None:
    try:
        data = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _text(value: Any) -> str:
    return value[:_MAX_TEXT] if isinstance(value, str) else ""


def error_from_response(response: httpx.Response, secret: str) -> ApiError:
    """The ApiError a non-2xx answer stands for (AuthError for 401/403).

    `secret` (the API key) is blanked out of the server's text in case it echoes it.
    """
    status = response.status_code
    data = _json_object(response) or {}
    code = data.get("code") or data.get("error_code")
    text = _text(data.get("error")) or _text(data.get("message")) or _text(data.get("detail"))
    if not isinstance(code, str) or not code:
        code = text if _CODE_LIKE.fullmatch(text) else f"http_{status}"
    if not data and response.content:
        text = response.content[:_MAX_TEXT].decode("utf-8", "replace").strip()
    if secret:
        text = text.replace(secret, "[key hidden]")
        code = code.replace(secret, "[key hidden]")
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


def _bulk_error(entry: Any, kept: Sequence[int]) -> BulkError:
    if not isinstance(entry, dict):
        return BulkError(-1, None, "rejected", _text(str(entry)))
    index = entry.get("index")
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(kept):
        index = kept[index]
    elif not isinstance(index, int) or isinstance(index, bool):
        index = -1
    to = entry.get("to", entry.get("to_msisdn"))
    code = entry.get("code") or entry.get("error_code")
    text = _text(entry.get("error")) or _text(entry.get("message"))
    if not isinstance(code, str) or not code:
        code = "rejected"
    return BulkError(index, to if isinstance(to, str) else None, code, text)


def parse_bulk(response: httpx.Response, kept: Sequence[int]) -> BulkResult:
    """A 2xx answer of a bulk endpoint; `kept[i]` is the caller's index of request record i."""
    data = _json_object(response)
    if data is None:
        raise _malformed(response, "not a JSON object")
    queued = data.get("queued_count")
    raw_errors = data.get("errors", [])
    if not isinstance(queued, int) or not isinstance(raw_errors, list):
        raise _malformed(response, "no queued_count or errors")
    errors = tuple(_bulk_error(e, kept) for e in raw_errors)
    error_count = data.get("error_count")
    if not isinstance(error_count, int):
        error_count = len(errors)
    deprecated = data.get("deprecated") is True or "deprecation" in response.headers
    return BulkResult(queued, error_count, errors, deprecated)
