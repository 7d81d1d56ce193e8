"""The send engine: a campaign's pending rows, through the API client, in bulk, exactly once.

One thread (the caller of `run()`) owns the journal: it claims a batch (committed as in
flight), hands it to a worker of a small pool that only builds the request and waits for
Trackly, and settles the answer in the journal. Up to `concurrency` batches are in flight
over the client's one shared connection pool. Every pool thread is joined before `run()`
returns. `pause()`, `resume()` and `cancel()` may be called from any thread.

Never the wrong person: each batch's numbers are looked up in the do-not-text list beside
the journal when the batch is claimed (resumes and retries included), and every number
Trackly answers `opted_out` for is put on that list.

Never twice: a request whose outcome is unknown is resent only when every message in it
has the provider's duplicate check on (a `duplicate_message` answer then means "already
sent" and is recorded as sent); otherwise its rows become `uncertain` for the operator.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime

from trackly_desktop.api.errors import AuthError
from trackly_desktop.contract import (
    MAX_BATCH_MESSAGES,
    MAX_IN_FLIGHT,
    MAX_REQUEST_BYTES,
    MIN_IN_FLIGHT,
)
from trackly_desktop.core.audience.clock import Clock, default_clock
from trackly_desktop.core.audience.do_not_text import (
    FROM_OPT_OUT_ANSWER,
    DoNotTextList,
    list_path_for_journal,
)
from trackly_desktop.core.campaign.spec import SendOptions
from trackly_desktop.core.journal.schema import (
    INTERRUPTED,
    PAUSED,
    SENDING,
    UNCERTAIN,
    ClaimedBatch,
)
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.sending.batch_sender import BatchOutcome, BatchSender, RetryPolicy
from trackly_desktop.core.sending.claims import BatchClaims
from trackly_desktop.core.sending.quiet_waits import QuietWaits
from trackly_desktop.core.sending.tally import (
    RateMeter,
    SendProgress,
    SendReport,
    Tally,
    final_state,
)

log = logging.getLogger(__name__)

__all__ = ["RetryPolicy", "SendEngine", "SendProgress", "SendReport"]

OPTED_OUT = "opted_out"  # Trackly's code for a person who said stop

ProgressHandler = Callable[[SendProgress], None]

# Cancel (and quitting the window) lets the requests in flight this long to answer, then
# cuts them: a healthy server answers well within it, a hostile one cannot hold a stop.
CANCEL_GRACE_S = 1.5


class SendEngine:
    def __init__(
        self,
        journal: Journal,
        campaign_id: int,
        client: object,
        *,
        concurrency: int = 4,
        on_progress: ProgressHandler | None = None,
        retry: RetryPolicy | None = None,
        max_batch_messages: int = MAX_BATCH_MESSAGES,
        max_request_bytes: int = MAX_REQUEST_BYTES,
        clock: Clock | None = None,
        duplicate_window_s: float | None = None,
    ) -> None:
        if not MIN_IN_FLIGHT <= concurrency <= MAX_IN_FLIGHT:
            raise ValueError(f"concurrency must be between {MIN_IN_FLIGHT} and {MAX_IN_FLIGHT}")
        self._journal = journal
        self._campaign_id = campaign_id
        self._client = client
        self._concurrency = concurrency
        self._on_progress = on_progress
        # A progress handler that raised (a bug in the window): the run winds down as for
        # a stop, recording the answers still in flight, and then raises it.
        self._handler_error: Exception | None = None
        self._retry = retry or RetryPolicy()
        self._max_messages = max(1, min(max_batch_messages, MAX_BATCH_MESSAGES))
        self._max_bytes = max_request_bytes
        self._stop = threading.Event()  # cancel or a stop reason: no new batch, wake waits
        self._cancelled = threading.Event()
        self._abort = threading.Event()  # cancel: cut the requests in flight short
        self._hold = threading.Event()  # paused or stopping: end waits between attempts
        self._abort_at: float | None = None  # when a cancel cuts what is still in flight
        self._running = threading.Event()  # set = not paused
        self._running.set()
        self._wake = threading.Condition()
        self._claims: BatchClaims | None = None  # set for the length of run()
        self._clock = clock or default_clock()
        # None: the journal's own assumption (RECHECK_WINDOW_S).
        self._duplicate_window_s = duplicate_window_s
        self._quiet: QuietWaits | None = None  # set for the length of run()
        self._dnt: DoNotTextList  # set for the length of run()
        self._sender: BatchSender | None = None  # set for the length of run()
        self._checking_again_shown = 0  # what the last progress report said

    # -- control, from any thread ----------------------------------------------------------

    def pause(self) -> None:
        """Start no new batch; those in flight finish (a batch waiting to retry goes back
        to the queue). `resume()` continues."""
        self._running.clear()
        self._hold.set()
        self._notify()

    def resume(self) -> None:
        if not self._stop.is_set():
            self._hold.clear()
        self._running.set()
        self._notify()

    def finish_in_flight(self) -> None:
        """Start no new batch, let the requests in flight finish (each within the client's
        deadline), record everything, return."""
        self._cancelled.set()
        self._stop.set()
        self._hold.set()
        self._running.set()
        self._notify()

    def cancel(self, grace_s: float = CANCEL_GRACE_S) -> None:
        """Stop within `grace_s`, whatever the server does: no new batch, every wait ends,
        requests still in flight after `grace_s` are cut short (their rows become "not
        sure", or go back to the queue when they certainly did not arrive); `run()`
        records everything and returns."""
        with self._wake:
            deadline = time.monotonic() + grace_s
            self._abort_at = min(self._abort_at or deadline, deadline)
        if grace_s <= 0:
            self._abort.set()
        self.finish_in_flight()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def _notify(self) -> None:
        with self._wake:
            self._wake.notify_all()

    # -- the run ---------------------------------------------------------------------------

    def run(self) -> SendReport:
        """Send every pending row; blocks until done, cancelled or stopped. Never raises for
        a rejected key or an unreachable service: the report says so in plain words."""
        journal, cid = self._journal, self._campaign_id
        list_number = journal.spec(cid).list_number  # a plain error for an unknown campaign
        # Opened before the campaign is claimed: a list that cannot be read stops here.
        dnt = self._dnt = DoNotTextList(list_path_for_journal(journal.path))
        try:
            window = self._duplicate_window_s
            options = (
                journal.begin_run(cid)
                if window is None
                else journal.begin_run(cid, duplicate_window_s=window)
            )
        except BaseException:
            dnt.close()
            raise
        try:
            counts = journal.counts(cid)
        except BaseException:
            journal.end_run(cid, INTERRUPTED, "Sending stopped because of an unexpected error.")
            dnt.close()
            raise
        tally = Tally(counts.queued, counts.failed, counts.uncertain, counts.pending, counts.total)
        sender = BatchSender(
            self._client, options, list_number, self._retry, self._stop,
            abort=self._abort, hold=self._hold, duplicate_window_s=self._duplicate_window_s,
        )  # fmt: skip
        self._sender = sender
        meter = RateMeter()
        stop_reason = odd_answer = service_note = ""
        auth_error: AuthError | None = None
        crash: BaseException | None = None
        batches = 0
        in_flight: dict[Future[BatchOutcome], ClaimedBatch] = {}
        claims = self._claims = BatchClaims(
            journal,
            cid,
            self._max_messages,
            self._max_bytes,
            ahead=self._claim_ahead(options),
            blocked=dnt.blocked,
        )
        quiet = self._quiet = QuietWaits(
            journal, cid, self._clock, options, self._stop, on_cancelled=self.cancel
        )
        pool = ThreadPoolExecutor(self._concurrency, thread_name_prefix="trackly-send")
        try:
            self._report(tally, meter)
            quiet.wait_for_schedule(lambda due: self._report(tally, meter, scheduled_for=due))
            done: set[Future[BatchOutcome]] = set()
            while True:
                # Free slots are refilled before the finished batches are settled, so a
                # new request is on its way while the journal records the last answers;
                # unless a finished batch says to stop (a rejected key, Trackly down).
                stopping = any(future.result().stop_reason for future in done)
                while (
                    not stopping
                    and not self._stop.is_set()
                    and self._running.is_set()
                    and len(in_flight) - len(done) < self._concurrency
                ):
                    claims.groups = quiet.open_groups()
                    batch = claims.next()
                    self._count_excluded(tally)
                    if batch is None:
                        break
                    in_flight[pool.submit(sender.send, batch)] = batch
                    batches += 1
                for future in done:
                    batch = in_flight.pop(future)
                    outcome = future.result()
                    reason = self._settle(batch, outcome, options, tally, meter)
                    if outcome.auth_error is not None and auth_error is None:
                        auth_error = outcome.auth_error
                    if outcome.crash is not None and crash is None:
                        crash = outcome.crash
                    if reason and not stop_reason:
                        stop_reason = reason
                        odd_answer = outcome.note if reason == "odd_answer" else ""
                        service_note = outcome.note if reason == "service" else ""
                        self._stop.set()
                        self._hold.set()
                    self._report(tally, meter)
                all_busy = len(in_flight) >= self._concurrency
                if all_busy and not self._stop.is_set() and self._running.is_set():
                    claims.claim_ahead()
                    self._count_excluded(tally)
                if not in_flight:
                    claims.give_back()
                    if (
                        self._running.is_set()
                        and not self._stop.is_set()
                        and quiet.wait_for_window(
                            lambda held, opens: self._report(tally, meter, held, opens)
                        )
                    ):
                        claims.rows_returned()  # held rows whose window opened
                        done = set()
                        continue
                    if self._stop.is_set() or self._running.is_set():
                        break
                    self._wait_while_paused(meter)
                    done = set()
                    continue
                done, _ = wait(list(in_flight), timeout=0.1, return_when=FIRST_COMPLETED)
                if not done and sender.checking_again != self._checking_again_shown:
                    self._report(tally, meter)  # a lost answer: say it is checked again
                if self._abort_at is not None and time.monotonic() >= self._abort_at:
                    self._abort.set()
            crash = crash or self._handler_error
        except BaseException as exc:
            crash = crash or exc
            self._stop.set()
            self._abort.set()  # the journal (or a bug) failed: nothing more can be recorded
            raise
        finally:
            # Requests in flight finish and are recorded, even when stopping on an error.
            pool.shutdown(wait=True)
            try:
                claims.give_back()
            except Exception:  # the journal failing: the next run finds the rows in flight
                log.exception("Could not return a batch claimed ahead; it will be re-checked")
            for future, batch in in_flight.items():
                try:
                    self._settle(batch, future.result(), options, tally, meter)
                except Exception:  # the journal itself failing: the next run sorts it out
                    log.exception("Could not record a finished batch; it will be re-checked")
                    break
            if crash is None:
                state, message = final_state(
                    stop_reason,
                    tally,
                    auth_error,
                    cancelled=self._cancelled.is_set(),
                    odd_answer=odd_answer,
                    service_note=service_note,
                )
            else:
                state, message = INTERRUPTED, "Sending stopped because of an unexpected error."
            try:
                journal.end_run(cid, state, message)
            except Exception:
                if crash is None:
                    raise
                # Already failing (a full disk): the next start finds the run unfinished.
                log.exception("Could not record the end of the run")
            finally:
                dnt.close()
        if crash is not None:
            raise crash
        return SendReport(
            campaign_id=cid,
            state=state,
            sent=tally.sent,
            failed=tally.failed,
            uncertain=tally.uncertain,
            remaining=tally.remaining,
            total=tally.total,
            elapsed_s=meter.elapsed(),
            batches=batches,
            key_rejected=auth_error is not None,
            message=message,
            excluded=tally.excluded,
            confirmed_by_check=tally.confirmed_by_check,
        )

    def _count_excluded(self, tally: Tally) -> None:
        if self._claims is not None and (n := self._claims.take_excluded()):
            tally.excluded += n
            tally.total -= n
            tally.remaining -= n

    def _wait_while_paused(self, meter: RateMeter) -> None:
        self._journal.set_state(self._campaign_id, PAUSED)
        meter.pause()
        with self._wake:
            while not self._running.is_set() and not self._stop.is_set():
                self._wake.wait(0.5)
        meter.resume()
        if not self._stop.is_set():
            self._journal.set_state(self._campaign_id, SENDING)

    def _settle(
        self,
        batch: ClaimedBatch,
        outcome: BatchOutcome,
        options: SendOptions,
        tally: Tally,
        meter: RateMeter,
    ) -> str:
        """Record one finished batch; returns a stop reason ("" to go on)."""
        journal, cid = self._journal, self._campaign_id
        n = len(batch.rows)
        if outcome.result is not None:
            failures, unmatched, confirmed = outcome.failures(batch)
            tally.confirmed_by_check += len(confirmed)
            rest = UNCERTAIN if unmatched else "queued"
            journal.record_batch(cid, batch, failures, confirmed=confirmed, rest=rest)
            self._remember_opt_outs(batch, failures)
            tally.failed += len(failures)
            if unmatched:
                tally.uncertain += n - len(failures)
            else:
                tally.sent += n - len(failures)
            tally.remaining -= n
            meter.add(n)
            return ""
        if outcome.rejected is not None and not outcome.maybe_sent:
            error = outcome.rejected
            journal.record_batch(cid, batch, [(i, error.code, error.server_text) for i in range(n)])
            tally.failed += n
            tally.remaining -= n
            return ""
        # Not answered: the rows go back to the queue, or to "uncertain" when they may have
        # gone out and resending them could make a second copy.
        resend_is_safe = not outcome.not_sure and (
            not options.skip_duplicate_check or all(batch.recheck)
        )
        if outcome.maybe_sent and not resend_is_safe:
            journal.mark_uncertain(cid, batch, note=outcome.note)
            tally.uncertain += n
            tally.remaining -= n
        else:
            journal.release_batch(cid, batch, recheck=outcome.maybe_sent)
            if self._claims is not None:
                self._claims.rows_returned()
        return outcome.stop_reason

    def _remember_opt_outs(self, batch: ClaimedBatch, failures: list) -> None:
        """Trackly says these people opted out: never text them again, from any file."""
        opted = [batch.phones[i] for i, code, _ in failures if code == OPTED_OUT and batch.phones]
        if opted:
            self._dnt.add_many(
                opted,
                reason="Trackly answered that this person opted out",
                source=FROM_OPT_OUT_ANSWER,
            )

    @staticmethod
    def _claim_ahead(options: SendOptions) -> bool:
        # See batch_claims: only where rows found in flight after a crash are resent
        # under the duplicate check rather than left "uncertain" for the operator.
        return not options.skip_duplicate_check

    def _report(
        self,
        tally: Tally,
        meter: RateMeter,
        held: int = 0,
        opens_at: datetime | None = None,
        *,
        scheduled_for: datetime | None = None,
    ) -> None:
        if self._on_progress is None or self._handler_error is not None:
            return
        sender = self._sender
        checking_again = self._checking_again_shown = sender.checking_again if sender else 0
        rate = meter.rate()
        progress = SendProgress(
            sent=tally.sent,
            failed=tally.failed,
            uncertain=tally.uncertain,
            remaining=tally.remaining,
            total=tally.total,
            rate_per_s=rate,
            eta_s=(tally.remaining / rate) if rate > 0 else None,
            held=held,
            opens_at=opens_at,
            scheduled_for=scheduled_for,
            checking_again=checking_again,
            confirmed_by_check=tally.confirmed_by_check,
        )
        try:
            self._on_progress(progress)
        except Exception as exc:
            # Not the journal's fault: stop like a Stop (no new batch, no abort), so every
            # answer already on its way is still recorded, then raise at the end of run().
            self._handler_error = exc
            self._stop.set()
            self._hold.set()
            self._notify()
