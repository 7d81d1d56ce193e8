"""One run of the send engine, as the Send step drives it from a worker thread.

`SendJob.run(progress, cancel)` is the function handed to `ui.workers.run_in_background`:
it reads the key (the keyring may block), records a new campaign in the journal (or picks
up an existing one to resume or retry), and runs the engine until it ends. Pause, resume
and cancel may be called from the GUI thread at any moment, even before the engine exists.
No Qt here; the Send step turns progress into widgets.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trackly_desktop.core.errors import CampaignError, Cancelled
from trackly_desktop.core.progress import CancelToken, ProgressCallback

NO_KEY = (
    "There is no Trackly API key on this computer yet. Open Settings, paste your key, "
    "and press Send again."
)
NO_NUMBER = (
    "There is no sending number yet. Open Settings and enter the number your texts come from."
)


@dataclass(frozen=True)
class SendPlan:
    """Everything a send needs, captured on the GUI thread before the worker starts."""

    api_key: Callable[[], str | None]  # blocking read (keyring): called in the worker
    base_url: str
    concurrency: int
    journal_path: Path
    campaign_id: int | None = None  # None: record a new campaign from `recipients`
    recipients: Any = None
    spec: Any = None  # core.campaign.CampaignSpec, for a new campaign
    # The demo app sends the 16-person sample in batches of 2, so progress and Pause are
    # seen at work for a few seconds instead of one request and done.
    demo_pacing: bool = False
    local_times: Any = None  # core.audience.local_times.LocalTimes of `recipients`
    scheduled_for: Any = None  # datetime: a "Send later…" campaign waits until then
    clock: Any = None  # core.audience.clock.Clock the engine waits on (None: the real one)
    duplicate_window_s: float | None = None  # Settings.duplicate_window_s (None: journal's)


DEMO_BATCH_MESSAGES = 2


def new_campaign_plan(session: Any, journal_path: Path) -> SendPlan:
    """A plan to record the session's ready recipients as a new campaign and send it."""
    from trackly_desktop.core.campaign.spec import CampaignSpec  # noqa: PLC0415

    mapping = session.mapping.as_dict() if session.mapping is not None else {}
    spec = CampaignSpec(
        source_file=str(session.source_path or ""),
        sheet=session.sheet,
        mapping={role: column for role, column in mapping.items() if column},
        template=session.template_text,
        list_number=session.list_number,
        country=session.country,
        options=session.get_send_options(),
    )
    return SendPlan(
        session.api_key,
        session.base_url,
        session.concurrency,
        journal_path,
        recipients=session.recipients,
        spec=spec,
        demo_pacing=bool(getattr(session, "demo_pacing", False)),
        local_times=getattr(session, "local_times", None),
        scheduled_for=getattr(session, "scheduled_for", None),
        clock=getattr(session, "clock", None),
        duplicate_window_s=_window(session),
    )


def resume_plan(session: Any, journal_path: Path, campaign_id: int) -> SendPlan:
    """A plan to send what is still pending in a recorded campaign."""
    return SendPlan(
        session.api_key,
        session.base_url,
        session.concurrency,
        journal_path,
        campaign_id,
        demo_pacing=bool(getattr(session, "demo_pacing", False)),
        clock=getattr(session, "clock", None),
        duplicate_window_s=_window(session),
    )


def _window(session: Any) -> float | None:
    return getattr(getattr(session, "settings", None), "duplicate_window_s", None)


@dataclass(frozen=True)
class SendOutcome:
    campaign_id: int
    report: Any  # core.send_engine.SendReport
    cancelled: bool


class SendJob:
    """Create or reopen a campaign and run the engine; thread-safe controls."""

    def __init__(self, plan: SendPlan, on_progress: Callable[[Any], None]) -> None:
        self._plan = plan
        self._on_progress = on_progress
        self._lock = threading.Lock()
        self._engine: Any = None
        self._paused = False
        self._cancelled = False
        self._shutting_down = False
        self.campaign_id: int | None = plan.campaign_id

    # ---- controls (GUI thread) ------------------------------------------------------
    def pause(self) -> None:
        with self._lock:
            self._paused = True
            if self._engine is not None:
                self._engine.pause()

    def resume(self) -> None:
        with self._lock:
            self._paused = False
            if self._engine is not None:
                self._engine.resume()

    def cancel(self) -> None:
        """The operator cancels: the outcome says so."""
        with self._lock:
            self._cancelled = True
            if self._engine is not None:
                self._engine.cancel()

    def shut_down(self) -> None:
        """The app stops its workers (the task's `cancel_hook`): stop the engine directly,
        since a paused engine reports no progress and so never looks at the task's token."""
        with self._lock:
            self._shutting_down = True
            if self._engine is not None:
                self._engine.cancel()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    # ---- the work (worker thread) ---------------------------------------------------
    def run(self, progress: ProgressCallback, cancel: CancelToken) -> SendOutcome:
        # Imported here (and in _run): the window starts without the HTTP stack and journal.
        from trackly_desktop.core.journal.storage import translated  # noqa: PLC0415

        plan = self._plan
        key = plan.api_key()
        if not key:
            raise CampaignError(NO_KEY)
        try:
            return self._run(plan, key, cancel)
        except (sqlite3.Error, OSError) as exc:
            plain = translated(exc, plan.journal_path)  # a full disk, a read-only folder...
            if plain is None:
                raise
            raise plain from None

    def _run(self, plan: SendPlan, key: str, cancel: CancelToken) -> SendOutcome:
        from trackly_desktop.api.client import TracklyClient  # noqa: PLC0415
        from trackly_desktop.core.journal.record import create_campaign  # noqa: PLC0415
        from trackly_desktop.core.journal.store import Journal  # noqa: PLC0415
        from trackly_desktop.core.sending.engine import SendEngine  # noqa: PLC0415

        journal = Journal(plan.journal_path)
        try:
            base_url = plan.base_url
            if plan.campaign_id is None:
                # Checked before anything is recorded: a refused key or a wrong address
                # leaves no campaign behind to be offered for resuming.
                with TracklyClient(key, base_url, max_attempts=2) as client:
                    client.verify_key()
                self.campaign_id = create_campaign(
                    journal,
                    plan.spec,
                    plan.recipients,
                    local_times=plan.local_times,
                    scheduled_for=plan.scheduled_for,
                )
            campaign_id = self.campaign_id
            assert campaign_id is not None
            if plan.campaign_id is None:
                journal.remember_server(campaign_id, base_url.rstrip("/"))
            else:  # a resume goes back where the campaign was sent
                base_url = journal.server_of(campaign_id) or base_url
            demo: dict[str, Any] = {}
            if plan.demo_pacing:
                demo = {"max_batch_messages": DEMO_BATCH_MESSAGES}
            with TracklyClient(key, base_url, max_in_flight=plan.concurrency) as client:
                engine = SendEngine(
                    journal,
                    campaign_id,
                    client,
                    concurrency=plan.concurrency,
                    on_progress=self._on_progress,
                    clock=plan.clock,
                    duplicate_window_s=plan.duplicate_window_s,
                    **demo,
                )
                with self._lock:
                    self._engine = engine
                    if self._paused:
                        engine.pause()
                    if self._cancelled or self._shutting_down or cancel.cancelled:
                        engine.cancel()
                report = engine.run()
        finally:
            journal.close()
        if cancel.cancelled and not self._cancelled:
            # Shut down from outside (window closing): the journal already holds the state.
            raise Cancelled()
        return SendOutcome(campaign_id, report, self._cancelled)
