"""The sandbox's Trackly API, without HTTP: auth, accounts, validation, queueing, ledger.

`SandboxBackend.handle(path, api_key, raw_body)` returns an `Answer` the HTTP layer writes.
Every rule of the provider's API contract is here, including the points it settles that the
API pages leave open (limits in trackly_desktop/contract.py).
The duplicate check compares the body after contact data is filled in but before links
are wrapped and `{{messageId}}` replaced (those differ on every send by design). A single
send refused for a reason the provider documents only per message (`not_sendable`,
`opted_out`, `duplicate_message`, `body_too_long`) answers 400 with that code.

Two behaviours the demo's practice server turns on (empty sets otherwise), each happening
once per message (list, recipient and body) so that trying again behaves like a real
service that recovered, and only in bulk sends (the app's campaigns, not its test send):
`answer_lost_once` queues the request, then its answer is lost on the way back (the HTTP
layer closes the connection); `carrier_trouble_once` refuses the message with
`carrier_unavailable` (`UNDOCUMENTED_CODE`), a code outside the contract on purpose: the
provider may answer codes it does not document, and the demo shows what the app does with
one it does not know (the provider's own words, and worth sending again).
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
    lost: bool = False  # processed, but the HTTP layer closes the connection unanswered


def error_answer(status: int, code: str, headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    return Answer(status, {"success": False, "code": code, "error": mc.TEXTS[code]}, headers)


def is_api_path(path: str) -> bool:
    return path in _ENDPOINTS


@dataclass(slots=True)
class _Request:
    """What one request's messages are checked against, worked out once per request."""

    account: Account
    default_list: Any
    is_raw: bool
    v1: bool
    now: float
    path: str
    id_prefix: str
    scripted: bool = False  # a bulk send: the demo's lost answer and carrier trouble apply
    lose_answer: bool = False  # set when a message of `answer_lost_once` was queued
    list_problems: dict[str, str | None] = field(default_factory=dict)

    @property
    def to_key(self) -> str:
        return "to_msisdn" if self.v1 else "to"

    @property
    def personal(self) -> bool:
        """contact_data and wrap_links belong to /v2/send only."""
        return not (self.is_raw or self.v1)

    def list_of(self, message: dict) -> Any:
        """v1 sends from the request's list; v2 from the message's, else the request's."""
        if self.v1:
            return self.default_list
        return message.get("list_number") or self.default_list

    def personalised(self, message: dict, body: str) -> str:
        """The body with the message's contact_data filled in (/v2/send only)."""
        contact_data = message.get("contact_data") if self.personal else None
        if contact_data and contact_data.__class__ is dict and "{{" in body:
            return mc.render_contact_data(body, contact_data)
        return body


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
        self.answer_lost_once: set[str] = set()
        self.carrier_trouble_once: set[str] = set()
        self.revoked: set[str] = set()
        self.requests_by_key: Counter[str] = Counter()
        self._clock = clock
        self._seed = seed
        self._lock = threading.Lock()
        self._recent: dict[str, float] = {}  # 'list\x1fto\x1fbody' -> when it was queued
        self._answers_lost: set[str] = set()  # keys of messages whose answer was lost once
        self._carrier_troubled: set[str] = set()  # keys refused once for carrier trouble
        self._recent_pruned_at = clock()
        self._ids = mc.MessageIds(seed)
        self._links = mc.LinkWrapper(seed)

    def reset(self) -> None:
        """Forget queued messages, the duplicate memory, revoked keys and request counts."""
        with self._lock:
            self.ledger.clear()
            self._recent.clear()
            self._answers_lost.clear()
            self._carrier_troubled.clear()
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
        queued, errors, _ = self._queue(path, account, [data], None, is_raw, v1=False)
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
        queued, errors, lost = self._queue(
            path, account, messages, default_list, is_raw, v1=False, scripted=True
        )
        payload = {
            "queued_count": len(queued),
            "error_count": len(errors),
            "errors": [
                {"index": i, "to": to, "code": code, "error": mc.TEXTS[code]}
                for i, code, to in errors
            ],
        }
        return Answer(200, payload, lost=lost)

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
        queued, errors, _ = self._queue(
            path, account, messages, sending.number, False, v1=True
        )
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
        scripted: bool = False,
    ) -> tuple[list[str], list[tuple[int, str, Any]], bool]:
        """Validate and queue a request's messages, as CONTRACT.md's "Errors" says: each bad
        message becomes an error (index, code, to), every good one is queued. The last
        value: whether the answer is to be lost (`answer_lost_once`)."""
        queued: list[str] = []
        errors: list[tuple[int, str, Any]] = []
        rows: list[tuple] = []
        with self._lock:
            # One id prefix per request; each message adds the suffix of its position.
            request = _Request(
                account, default_list, is_raw, v1, self._clock(), path, self._ids.prefix(),
                scripted=scripted,
            )  # fmt: skip
            self._forget_old_sends(request.now)
            for index, message in enumerate(messages):
                if not isinstance(message, dict):
                    errors.append((index, "invalid_message", None))
                    continue
                to, listed = message.get(request.to_key), request.list_of(message)
                body = message.get("body")
                code = self._documented_problem(request, message, to, listed, body)
                if code is None:
                    body = request.personalised(message, body)
                    # One string, not a tuple: a dict of str -> float is never tracked by the
                    # cyclic GC. Both numbers are checked E.164 by now: the separator is safe.
                    key = f"{listed}\x1f{to}\x1f{body}"
                    code = self._sandbox_problem(request, message, to, body, key)
                if code is not None:
                    errors.append((index, code, to if isinstance(to, str) else None))
                    continue
                self._recent[key] = request.now
                if scripted and to in self.answer_lost_once and key not in self._answers_lost:
                    self._answers_lost.add(key)
                    request.lose_answer = True
                message_id = request.id_prefix + self._ids.suffixes[index]
                rows.append(
                    self._record(request, message, message_id, to=to, listed=listed, body=body)
                )
                queued.append(message_id)
            self.ledger.extend(rows)
        return queued, errors, request.lose_answer

    def _forget_old_sends(self, now: float) -> None:
        """Forget sends older than the duplicate window, so a long-running sandbox stays small."""
        if now - self._recent_pruned_at > self.duplicate_window_s:
            window = self.duplicate_window_s
            self._recent = {k: t for k, t in self._recent.items() if now - t < window}
            self._recent_pruned_at = now

    def _documented_problem(
        self, request: _Request, message: dict, to: Any, listed: Any, body: Any
    ) -> str | None:
        """The provider's documented per-message codes, in the contract's order."""
        if not to:
            return "missing_to"
        if not listed:
            return "missing_list_number"
        if not body or body.__class__ is not str:
            return "missing_body"
        if to.__class__ is not str or not mc.E164.fullmatch(to):
            return "invalid_phone"
        if listed.__class__ is not str:
            return "invalid_list_number"
        problems = request.list_problems  # a request's few lists are looked up once each
        if listed not in problems:
            problems[listed] = self._list_problem(listed, request.account)
        if problems[listed] is not None:
            return problems[listed]
        # The 4,000-byte record: orjson's length proves most records small in 0.3 µs;
        # only the others are sized exactly (stdlib encoding, as the limit is defined).
        try:
            small = len(orjson.dumps(message)) <= mc.PROVEN_SMALL_BYTES
        except orjson.JSONEncodeError:  # lone surrogates, huge integers
            small = False
        if not small and mc.record_too_large(message, body):
            return "payload_too_large"
        return None

    def _sandbox_problem(
        self, request: _Request, message: dict, to: str, body: str, key: str
    ) -> str | None:
        """The codes the sandbox decided on top of the documented ones (CONTRACT.md)."""
        raw = request.is_raw
        if len(body) > mc.MAX_BODY_CHARS:
            return "body_too_long"
        if to in self.voip_numbers:
            return "not_sendable"
        if to in self.opted_out and not (raw and message.get("skip_contact_validation") is True):
            return "opted_out"
        if not (raw and message.get("skip_duplicate_check") is True):
            last = self._recent.get(key)
            if last is not None and request.now - last < self.duplicate_window_s:
                return "duplicate_message"
        troubled = self._carrier_troubled
        if request.scripted and to in self.carrier_trouble_once and key not in troubled:
            troubled.add(key)
            return mc.UNDOCUMENTED_CODE
        return None

    def _record(
        self, request: _Request, message: dict, message_id: str, *, to: str, listed: str, body: str
    ) -> tuple:
        """The ledger row of a queued message: its final text, as the recipient gets it."""
        if request.personal and message.get("wrap_links") is True:
            body = self._links.wrap(body)
        if "{{" in body:
            body = body.replace(mc.MESSAGE_ID_MACRO, message_id)
        metadata = message.get("metadata")
        if metadata is not None and metadata.__class__ is not dict:
            metadata = None
        return message_id, to, listed, body, metadata, request.now, request.path
