"""One batch's trip to Trackly, run in a worker thread of the send engine.

The worker builds the request (the messages were encoded once, when the campaign was
created; here the raw skip flags are appended to their text, which the client joins into
the request without parsing it), sends it through the API client, and returns what
happened without touching the journal. The client retries 5xx answers and requests that
surely never arrived; this module adds the one retry the client must not decide alone:
resending after an unknown outcome, only when every message in the request has the
duplicate check on.
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass
from typing import Any

from trackly_desktop.api.errors import ApiError, AuthError, RequestRejected, TransientError
from trackly_desktop.api.results import BulkError, BulkResult
from trackly_desktop.core.campaign.spec import SendOptions
from trackly_desktop.core.journal.schema import ClaimedBatch

# Answers that came but could not be checked: the batch is "not sure" and never resent by
# the app (a server answering like this would answer the resend the same way).
_ODD_ANSWERS = frozenset({"unverifiable_answer", "answer_too_large", "malformed_response"})
_TOO_LARGE = frozenset({"request_too_large", "too_many_messages", "payload_too_large"})


@dataclass(frozen=True)
class RetryPolicy:
    """Resends after an unknown outcome: `attempts` more tries, waits `base_s * 2**n + jitter`."""

    attempts: int = 5
    base_s: float = 1.0
    cap_s: float = 30.0

    def delay(self, attempt: int) -> float:
        return min(self.cap_s, self.base_s * (2**attempt + random.uniform(0.0, 1.0)))


@dataclass(frozen=True)
class BatchOutcome:
    result: BulkResult | None = None  # Trackly answered (per-message errors inside)
    rejected: ApiError | None = None  # the whole request refused; final for its rows
    auth_error: AuthError | None = None
    crash: BaseException | None = None
    maybe_sent: bool = False  # an attempt's outcome is unknown: it may have been queued
    # "auth", "service", "odd_answer" or "crash": the engine stops starting batches
    stop_reason: str = ""
    note: str = ""
    not_sure: bool = False  # maybe sent, and the app must not resend it on its own

    def failures(self, batch: ClaimedBatch) -> tuple[list[tuple[int, str, str]], bool, list[int]]:
        """(index, code, text) of the messages not queued, whether some answer could not
        be matched to its message (then the batch's other rows are uncertain), and the
        indexes of the messages the duplicate check proved already sent (queued)."""
        assert self.result is not None
        n = len(batch.rows)
        failures: list[tuple[int, str, str]] = []
        unmatched = False
        confirmed: list[int] = []
        seen: set[int] = set()
        for error in self.result.errors:
            if not 0 <= error.index < n or error.index in seen:
                unmatched = True
                continue
            seen.add(error.index)
            if error.already_sent and (self.maybe_sent or batch.recheck[error.index]):
                # A resend of a message that may have gone: the duplicate check proves it did.
                confirmed.append(error.index)
                continue
            failures.append((error.index, error.code, error.text))
        if self.result.error_count > len(self.result.errors):
            unmatched = True
        return failures, unmatched, confirmed


class BatchSender:
    """Sends batches for one run; `send` is called from several worker threads at once."""

    def __init__(
        self,
        client: Any,
        options: SendOptions,
        list_number: str,
        retry: RetryPolicy,
        stop: threading.Event,
        *,
        abort: threading.Event | None = None,
        hold: threading.Event | None = None,
        duplicate_window_s: float | None = None,
    ) -> None:
        """`stop`: start nothing new; `abort`: cut requests in flight short (Cancel, quit);
        `hold`: end waits between attempts (Pause, or stopping)."""
        self._client = client
        self._options = options
        self._list_number = list_number
        self._retry = retry
        self._stop = stop
        self._abort = abort or threading.Event()
        self._hold = hold or threading.Event()
        self._window_s = duplicate_window_s
        self._auth_failed = threading.Event()
        # Batches sent again after a lost answer, while that is under way: id -> messages.
        self._checking_again: dict[int, int] = {}
        self._checking_lock = threading.Lock()
        flags = options.skip_flags()
        self._raw_suffix = "".join(f',"{k}":{json.dumps(v)}' for k, v in flags.items()) + "}"
        rechecked = {**flags, "skip_duplicate_check": False}
        self._raw_recheck_suffix = (
            "".join(f',"{k}":{json.dumps(v)}' for k, v in rechecked.items()) + "}"
        )

    def messages(self, batch: ClaimedBatch) -> list[str]:
        """The batch's messages as the JSON texts that go into the request."""
        payloads = batch.payloads
        if self._options.uses_raw:
            # A re-sent row always carries skip_duplicate_check false (see module doc).
            payloads = [
                p[:-1] + (self._raw_recheck_suffix if again else self._raw_suffix)
                for p, again in zip(payloads, batch.recheck, strict=True)
            ]
        return payloads

    @property
    def checking_again(self) -> int:
        """Messages being sent again now because Trackly's answer about them was lost."""
        with self._checking_lock:
            return sum(self._checking_again.values())

    def send(self, batch: ClaimedBatch) -> BatchOutcome:
        try:
            return self._send(batch)
        except BaseException as exc:  # a bug: the engine records the batch as uncertain
            return BatchOutcome(crash=exc, maybe_sent=True, stop_reason="crash")
        finally:
            with self._checking_lock:
                self._checking_again.pop(id(batch), None)

    def _send(self, batch: ClaimedBatch) -> BatchOutcome:
        messages = self.messages(batch)
        safe_to_resend = not self._options.skip_duplicate_check or all(batch.recheck)
        maybe_sent = False
        attempt = 0
        started = time.monotonic()
        while True:
            if self._auth_failed.is_set():
                return BatchOutcome(maybe_sent=maybe_sent, stop_reason="auth")
            try:
                result = self._post(messages, retry_unknown=False)
            except AuthError as exc:
                self._auth_failed.set()
                return BatchOutcome(auth_error=exc, maybe_sent=maybe_sent, stop_reason="auth")
            except TransientError as exc:
                if exc.code == "cancelled":
                    # Cut short by Cancel: in flight it may have arrived; waiting, it did not.
                    unknown = maybe_sent or exc.outcome_unknown
                    return BatchOutcome(maybe_sent=unknown, not_sure=unknown, note="cancelled")
                if exc.code in _ODD_ANSWERS:
                    note = f"{exc.explanation} ({exc.server_text})" if exc.server_text else ""
                    return BatchOutcome(maybe_sent=True, not_sure=True, stop_reason="odd_answer",
                                        note=note or exc.explanation)  # fmt: skip
                if not exc.outcome_unknown:
                    # The client already retried; Trackly is unreachable or failing.
                    note = f"{exc.code}: {exc.server_text}" if exc.server_text else exc.code
                    return BatchOutcome(maybe_sent=maybe_sent, stop_reason="service", note=note)
                maybe_sent = True
                if not safe_to_resend:
                    return BatchOutcome(maybe_sent=True, note=exc.code)
                delay = self._retry.delay(attempt)
                if self._window_s is not None and (
                    time.monotonic() - started + delay >= self._window_s
                ):
                    # The resend would come after the duplicate check forgot the message.
                    return BatchOutcome(maybe_sent=True, not_sure=True, note=exc.code)
                if attempt >= self._retry.attempts:
                    return BatchOutcome(maybe_sent=True, stop_reason="service", note=exc.code)
                with self._checking_lock:
                    self._checking_again[id(batch)] = len(batch.rows)
                if self._wait(delay):
                    return BatchOutcome(maybe_sent=True, note="cancelled before resend")
                attempt += 1
                continue
            except ApiError as exc:
                return BatchOutcome(rejected=exc, maybe_sent=maybe_sent)
            return BatchOutcome(result=result, maybe_sent=maybe_sent)

    def _wait(self, delay: float) -> bool:
        """Wait between resends; True when stopping, pausing or cancelling ended it."""
        end = time.monotonic() + delay
        while (left := end - time.monotonic()) > 0:
            if self._stop.is_set() or self._hold.is_set():
                return True
            self._stop.wait(min(left, 0.1))
        return self._stop.is_set() or self._hold.is_set()

    def _post(self, messages: list[str], *, retry_unknown: bool) -> BulkResult:
        limits = {"abort": self._abort, "interrupt": self._hold}
        try:
            if self._options.uses_raw:
                return self._client.send_raw_bulk_encoded(
                    messages, retry_unknown=retry_unknown, **limits
                )
            return self._client.send_bulk_encoded(
                self._list_number, messages, retry_unknown=retry_unknown, **limits
            )
        except RequestRejected as exc:
            if (exc.status == 413 or exc.code in _TOO_LARGE) and len(messages) > 1:
                # Over a size limit we could not see coming: send it in two halves.
                half = len(messages) // 2
                first = self._post(messages[:half], retry_unknown=retry_unknown)
                try:
                    second = self._post(messages[half:], retry_unknown=retry_unknown)
                except ApiError as error:
                    # The first half is queued: from here the batch may only be resent
                    # under the duplicate check, exactly like an unknown outcome.
                    raise TransientError(
                        "outcome_unknown", outcome_unknown=True, server_text=error.code
                    ) from None
                return _merge(first, second, half)
            raise


def _merge(first: BulkResult, second: BulkResult, offset: int) -> BulkResult:
    shifted = tuple(
        BulkError(e.index + offset if e.index >= 0 else e.index, e.to, e.code, e.text)
        for e in second.errors
    )
    return BulkResult(
        first.queued_count + second.queued_count,
        first.error_count + second.error_count,
        first.errors + shifted,
        first.deprecated or second.deprecated,
    )
