"""The sandbox's Trackly API, without HTTP: auth, accounts, validation, queueing, ledger.

`SandboxBackend.handle(path, api_key, raw_body)` returns an `Answer` the HTTP layer writes.
Every rule of the provider's API contract is here, including the points it settles that the
API pages leave open (limits in trackly_desktop/contract.py).
The duplicate check compares the body after contact data is filled in but before links
are wrapped and `{{messageId}}` replaced (those differ on every send by design). A single
send refused for a reason the provider documents only per message (`not_sendable`,
`opted_out`, `duplicate_message`, `body_too_long`) answers 400 with that code.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from trackly_desktop.sandbox import demo_data as demo
from trackly_desktop.sandbox import message_checks as mc
from trackly_desktop.sandbox.accounts import Account, AccountBook, demo_accounts
from trackly_desktop.sandbox.ledger import Ledger

V1_HEADERS = (
    ("Deprecation", "true"),
    ("Sunset", "Thu, 31 Dec 2026 23:59:59 GMT"),
    ("Link", '<https://docs.tracklysms.com/api-reference/v2/send-bulk>; rel="successor-version"'),
)
_ENDPOINTS = {
    "/api/v2/send": ("single", False),
    "/api/v2/send-raw": ("single", True),
    "/api/v2/send/bulk": ("bulk", False),
    "/api/v2/send-raw/bulk": ("bulk", True),
    "/api/v1/messages/bulk": ("v1", False),
}


@dataclass(slots=True)
class Answer:
    status: int
    payload: dict[str, Any]
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def error_answer(status: int, code: str, headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    return Answer(status, {"success": False, "code": code, "error": mc.TEXTS[code]}, headers)


def is_api_path(path: str) -> bool:
    return path in _ENDPOINTS


class SandboxBackend:
    """State and rules of the emulated Trackly service (thread-safe)."""

    def __init__(
        self,
        *,
        duplicate_window_s: float = 600.0,
        seed: int | None = None,
        accounts: list[Account] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.book = AccountBook(accounts or demo_accounts())
        self.ledger = Ledger()
        self.duplicate_window_s = duplicate_window_s
        self.voip_numbers: set[str] = {*demo.DEMO_VOIP_NUMBERS, demo.DOCS_EXAMPLE_VOIP_NUMBER}
        self.opted_out: set[str] = set(demo.DEMO_OPTED_OUT_NUMBERS)
        self.revoked: set[str] = set()
        self.requests_by_key: Counter[str] = Counter()
        self._clock = clock
        self._seed = seed
        self._lock = threading.Lock()
        self._recent: dict[str, float] = {}  # 'list\x1fto\x1fbody' -> when it was queued
        self._recent_pruned_at = clock()
        self._ids = mc.MessageIds(seed)
        self._links = mc.LinkWrapper(seed)

    def reset(self) -> None:
        """Forget queued messages, the duplicate memory, revoked keys and request counts."""
        with self._lock:
            self.ledger.clear()
            self._recent.clear()
            self.revoked.clear()
            self.requests_by_key.clear()

    # -- request level -----------------------------------------------------------------

    def authenticate(self, api_key: str | None, revoke_after: int | None) -> Account | Answer:
        if not api_key:
            return error_answer(401, "missing_api_key")
        account = self.book.by_key.get(api_key)
        if account is None or api_key in self.revoked:
            return error_answer(401, "invalid_api_key")
        with self._lock:
            self.requests_by_key[api_key] += 1
            if revoke_after is not None and self.requests_by_key[api_key] > revoke_after:
                self.revoked.add(api_key)
                return error_answer(401, "invalid_api_key")
        if not account.active:
            return error_answer(403, "account_inactive")
        return account

    def handle(
        self, path: str, api_key: str | None, raw: bytes, revoke_after: int | None = None
    ) -> Answer:
        """Answer one API request (the path includes the /api prefix)."""
        kind, is_raw = _ENDPOINTS[path]
        account = self.authenticate(api_key, revoke_after)
        if isinstance(account, Answer):
            return account
        if len(raw) > mc.MAX_REQUEST_BYTES:
            return error_answer(413, "request_too_large")
        data = mc.parse_request(raw)
        if not isinstance(data, dict):
            return error_answer(400, "invalid_json")
        if kind == "single":
            return self._single(path, account, data, is_raw, len(raw))
        if kind == "bulk":
            return self._bulk(path, account, data, is_raw)
        return self._v1(path, account, data)

    def _single(
        self, path: str, account: Account, data: dict[str, Any], is_raw: bool, size: int
    ) -> Answer:
        if size > mc.MAX_RECORD_BYTES:
            return error_answer(413, "payload_too_large")
        queued, errors = self._queue(path, account, [data], None, is_raw, v1=False)
        if errors:
            return error_answer(400, errors[0][1])
        return Answer(200, {"success": True, "message_id": queued[0], "status": "queued"})

    def _bulk(self, path: str, account: Account, data: dict[str, Any], is_raw: bool) -> Answer:
        messages = data.get("messages")
        if not isinstance(messages, list) or not messages:
            return error_answer(400, "missing_messages")
        if len(messages) > mc.MAX_BATCH_MESSAGES:
            return error_answer(413, "too_many_messages")
        default_list = None if is_raw else data.get("list_number")
        queued, errors = self._queue(path, account, messages, default_list, is_raw, v1=False)
        payload = {
            "queued_count": len(queued),
            "error_count": len(errors),
            "errors": [
                {"index": i, "to": to, "code": code, "error": mc.TEXTS[code]}
                for i, code, to in errors
            ],
        }
        return Answer(200, payload)

    def _v1(self, path: str, account: Account, data: dict[str, Any]) -> Answer:
        source = data.get("from_phone_number_id")
        if not source or not isinstance(source, str):
            return error_answer(400, "missing_from", V1_HEADERS)
        sending = self.book.by_phone_number_id.get(source) or self.book.lists.get(source)
        if sending is None or self.book.list_owner[sending.number] is not account:
            return Answer(
                404,
                {"success": False, "code": "list_not_found",
                 "error": "Sending list ID doesn't exist or isn't active"},
                V1_HEADERS,
            )  # fmt: skip
        messages = data.get("messages")
        if not isinstance(messages, list) or not messages:
            return error_answer(400, "missing_messages", V1_HEADERS)
        if len(messages) > mc.MAX_BATCH_MESSAGES:
            return error_answer(400, "too_many_messages", V1_HEADERS)
        queued, errors = self._queue(path, account, messages, sending.number, False, v1=True)
        payload = {
            "queued_count": len(queued),
            "error_count": len(errors),
            "errors": [
                {"index": i, "to_msisdn": to, "error": mc.V1_TEXTS.get(code, mc.TEXTS[code])}
                for i, code, to in errors
            ],
            "deprecated": True,
        }
        return Answer(201, payload, V1_HEADERS)

    # -- per message -------------------------------------------------------------------

    def _list_problem(self, listed: str, account: Account) -> str | None:
        """What is wrong with sending from `listed` for `account`, if anything."""
        if not mc.E164.fullmatch(listed):
            return "invalid_list_number"
        if self.book.list_owner.get(listed) is not account:
            return "list_not_found"
        if listed in self.book.unverified:
            return "webhook_not_configured"
        return None

    def _queue(
        self,
        path: str,
        account: Account,
        messages: Iterable[Any],
        default_list: Any,
        is_raw: bool,
        *,
        v1: bool,
    ) -> tuple[list[str], list[tuple[int, str, Any]]]:
        """Validate and queue; returns (queued ids, errors as (index, code, to)).

        The hot loop of the sandbox: a request's few sending lists are checked once each,
        and a record is proven small from its orjson length (0.3 us) before the exact,
        stdlib-encoded size is ever needed.
        """
        to_key = "to_msisdn" if v1 else "to"
        voip, opted_out = self.voip_numbers, self.opted_out
        e164 = mc.E164.fullmatch
        window = self.duplicate_window_s
        dumps, proven_small = orjson.dumps, mc.PROVEN_SMALL_BYTES
        list_problems: dict[str, str | None] = {}
        personal = not (is_raw or v1)  # contact_data and wrap_links belong to /v2/send only
        queued: list[str] = []
        errors: list[tuple[int, str, Any]] = []
        rows: list[tuple] = []
        with self._lock:
            now = self._clock()
            if now - self._recent_pruned_at > window:
                # Forget sends older than the window, so a long-running sandbox stays small.
                self._recent = {k: t for k, t in self._recent.items() if now - t < window}
                self._recent_pruned_at = now
            recent = self._recent
            prefix, suffixes = self._ids.prefix(), self._ids.suffixes
            for index, m in enumerate(messages):
                if not isinstance(m, dict):
                    errors.append((index, "invalid_message", None))
                    continue
                to = m.get(to_key)
                listed = default_list if v1 else (m.get("list_number") or default_list)
                body = m.get("body")
                metadata = m.get("metadata")
                code = None
                if not to:
                    code = "missing_to"
                elif not listed:
                    code = "missing_list_number"
                elif not body or body.__class__ is not str:
                    code = "missing_body"
                elif to.__class__ is not str or not e164(to):
                    code = "invalid_phone"
                elif listed.__class__ is not str:
                    code = "invalid_list_number"
                else:
                    if listed in list_problems:
                        code = list_problems[listed]
                    else:
                        code = list_problems[listed] = self._list_problem(listed, account)
                    if code is None:
                        try:
                            small = len(dumps(m)) <= proven_small
                        except orjson.JSONEncodeError:  # lone surrogates, huge integers
                            small = False
                        if not small and mc.record_too_large(m, body):
                            code = "payload_too_large"
                if code is None:
                    contact_data = m.get("contact_data") if personal else None
                    if contact_data and contact_data.__class__ is dict and "{{" in body:
                        body = mc.render_contact_data(body, contact_data)
                    # One string, not a tuple: a dict of str -> float is never tracked by the
                    # cyclic GC, so a million remembered sends cost collections nothing.
                    # Both numbers are checked E.164 by now, so the separator is unambiguous.
                    key = f"{listed}\x1f{to}\x1f{body}"
                    if len(body) > mc.MAX_BODY_CHARS:
                        code = "body_too_long"
                    elif to in voip:
                        code = "not_sendable"
                    elif to in opted_out and not (
                        is_raw and m.get("skip_contact_validation") is True
                    ):
                        code = "opted_out"
                    elif not (is_raw and m.get("skip_duplicate_check") is True):
                        last = recent.get(key)
                        if last is not None and now - last < window:
                            code = "duplicate_message"
                if code is not None:
                    errors.append((index, code, to if isinstance(to, str) else None))
                    continue
                recent[key] = now
                message_id = prefix + suffixes[index]
                final = body
                if personal and m.get("wrap_links") is True:
                    final = self._links.wrap(final)
                if "{{" in final:
                    final = final.replace(mc.MESSAGE_ID_MACRO, message_id)
                if metadata is not None and metadata.__class__ is not dict:
                    metadata = None
                rows.append((message_id, to, listed, final, metadata, now, path))
                queued.append(message_id)
            self.ledger.extend(rows)
        return queued, errors
