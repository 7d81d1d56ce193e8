"""The one place the window starts threads.

`run_in_background(fn, ...)` runs `fn(progress, cancel)` in a `QThread` and delivers its
progress, result or exception to the GUI thread through queued Qt signals. Every task is
held in a registry until its result has been delivered, so `shutdown_all()` can cancel
and join whatever is still running when the window closes (and in test teardown).

`Superseding` is for a view that shows the result of its latest request only (a sheet
being loaded, messages being rendered, results being fetched): a new request cancels the
one before, and the old one's callbacks never run, so callers need no stale-task guards.
Cancel reaches the core the same way everywhere: the task's `CancelToken`, which every
long core step takes, plus an optional `cancel_hook` for work that waits without looking.

On Python 3.11 a QThread that touches `threading` (logging does) gets a
`threading._DummyThread` that stays listed by `threading.enumerate()` and reports itself
alive after the QThread has ended (and a later QThread may reuse its ident).
`running_thread_idents()` names the worker threads running now, so a leaked-thread check
can tell them from the dummies of ended ones.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from trackly_desktop.core.errors import Cancelled
from trackly_desktop.core.progress import CancelToken, ProgressCallback

log = logging.getLogger(__name__)

# fn(progress, cancel) -> result; runs in the worker thread.
BackgroundFunction = Callable[[ProgressCallback, CancelToken], Any]

# Progress is coalesced to this interval so a chatty core loop cannot flood the GUI queue.
PROGRESS_INTERVAL_S = 0.04


# Native idents of the worker threads running now (see the module note).
_running_idents: set[int] = set()
_idents_lock = threading.Lock()


def running_thread_idents() -> frozenset[int]:
    with _idents_lock:
        return frozenset(_running_idents)


class _WorkerThread(QThread):
    """Runs one task's function; named after the task so logs and crash reports say whose."""

    def __init__(self, task: BackgroundTask) -> None:
        super().__init__()
        self._task = task
        self.setObjectName(f"trackly-worker-{task.label}")

    def run(self) -> None:
        ident = threading.get_ident()
        with _idents_lock:
            _running_idents.add(ident)
        threading.current_thread().name = self.objectName()
        try:
            self._task._run()
        finally:
            with _idents_lock:
                _running_idents.discard(ident)


class BackgroundTask(QObject):
    """One call of a core function in a worker thread, reporting through signals."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception, Cancelled included
    finished = Signal()  # after succeeded or failed, once

    def __init__(self, fn: BackgroundFunction, label: str = "task") -> None:
        super().__init__()
        self._fn = fn
        self.label = label
        self.cancel_token = CancelToken()
        self._thread: _WorkerThread | None = None
        self._last_progress = 0.0
        self._progress_lock = threading.Lock()
        self.result: Any = None
        self.error: BaseException | None = None
        self._delivered = False
        # For work that waits without looking at its token (a paused send engine): called
        # when the task is cancelled, so `shutdown_all` can wake it.
        self.cancel_hook: Callable[[], None] | None = None

    def start(self) -> None:
        self._thread = _WorkerThread(self)
        _registry.add(self)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the work to stop (any thread); runs the `cancel_hook` too, once."""
        first = not self.cancel_token.cancelled
        self.cancel_token.cancel()
        if first and self.cancel_hook is not None:
            self.cancel_hook()

    @property
    def cancelled(self) -> bool:
        return self.cancel_token.cancelled

    def is_running(self) -> bool:
        return self._thread is not None and not self._thread.isFinished()

    def wait(self, timeout: float | None = None) -> bool:
        """Join the worker thread; True when it has ended."""
        if self._thread is None:
            return True
        if timeout is None:
            return bool(self._thread.wait())
        return bool(self._thread.wait(max(0, int(timeout * 1000))))

    def _progress(self, done: int, total: int, what: str) -> None:
        now = time.monotonic()
        with self._progress_lock:
            if done < total and now - self._last_progress < PROGRESS_INTERVAL_S:
                return
            self._last_progress = now
        self.progressed.emit(int(done), int(total), str(what))

    def _run(self) -> None:
        try:
            self.result = self._fn(self._progress, self.cancel_token)
        except BaseException as exc:  # every failure is delivered, none lost
            self.error = exc
            if not isinstance(exc, Cancelled):
                log.debug("background task %s failed", self.label, exc_info=exc)
            self.failed.emit(exc)
        else:
            self.succeeded.emit(self.result)
        self.finished.emit()

    def _on_finished(self) -> None:
        # Runs in the GUI thread once the results are delivered: the task may be forgotten.
        self._delivered = True
        _registry.discard(self)


class TaskRegistry:
    """Every running task, so the window (and the tests) can stop and join them all."""

    def __init__(self) -> None:
        self._tasks: set[BackgroundTask] = set()
        self._lock = threading.Lock()

    def add(self, task: BackgroundTask) -> None:
        with self._lock:
            self._tasks.add(task)

    def discard(self, task: BackgroundTask) -> None:
        with self._lock:
            self._tasks.discard(task)

    def active(self) -> list[BackgroundTask]:
        with self._lock:
            return [t for t in self._tasks if t.is_running() or not t._delivered]

    def shutdown_all(self, timeout: float = 10.0) -> bool:
        """Cancel every task and join its thread; True when all of them ended in time."""
        with self._lock:
            tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        deadline = time.monotonic() + timeout
        ended = True
        for task in tasks:
            ended = task.wait(max(0.0, deadline - time.monotonic())) and ended
        with self._lock:
            self._tasks.difference_update(t for t in tasks if not t.is_running())
        return ended


_registry = TaskRegistry()


def active_tasks() -> list[BackgroundTask]:
    return _registry.active()


def shutdown_all(timeout: float = 10.0) -> bool:
    return _registry.shutdown_all(timeout)


def _report_unhandled(exc: BaseException) -> None:
    """A failure no caller handles: a plain dialog for the expected kinds, else the crash path."""
    from trackly_desktop.ui.error_presenter import UNEXPECTED, describe_error  # noqa: PLC0415

    if describe_error(exc) == UNEXPECTED:
        from trackly_desktop.ui.crash_handler import report_unexpected  # noqa: PLC0415

        report_unexpected(type(exc), exc, exc.__traceback__)
        return
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from trackly_desktop.ui.error_presenter import show_error  # noqa: PLC0415

    # A dialog without a parent window lives only as long as a Python reference to it.
    _unhandled_dialogs[:] = [box for box in _unhandled_dialogs if box.isVisible()]
    box = show_error(QApplication.activeWindow(), "Something needs your attention", exc)
    _unhandled_dialogs.append(box)


_unhandled_dialogs: list[Any] = []


def run_in_background(
    fn: BackgroundFunction,
    *,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    cancel_hook: Callable[[], None] | None = None,
    parent: QObject | None = None,
    label: str = "task",
    current: Callable[[BackgroundTask], bool] | None = None,
    on_finished: Callable[[BackgroundTask], None] | None = None,
) -> BackgroundTask:
    """Start `fn(progress, cancel)` in a worker thread; callbacks run on the GUI thread.

    `on_cancelled` receives a `Cancelled` outcome when given (otherwise `on_error` does).
    `cancel_hook` is called (on the cancelling thread) when the task is cancelled, for work
    that blocks without checking its token, e.g. `SendEngine.cancel` for a paused send.
    When `parent` is destroyed the task is cancelled and its callbacks no longer run, so a
    closed dialog stops its work and nothing touches its deleted widgets. `current(task)`,
    when given, is asked before any callback: False means a newer task superseded this one
    and its callbacks are dropped (see `Superseding`). An error nobody handles gets a
    dialog rather than vanishing.
    """
    task = BackgroundTask(fn, label)
    task.cancel_hook = cancel_hook
    # Callbacks usually touch the parent's widgets; once it is gone they must not run.
    parent_alive = [True]

    def _parent_gone(*_args: object) -> None:
        parent_alive[0] = False
        task.cancel()

    def _wanted() -> bool:
        return parent_alive[0] and (current is None or current(task))

    def _progress(done: int, total: int, what: str) -> None:
        if _wanted() and on_progress is not None:
            on_progress(done, total, what)

    def _done(result: Any) -> None:
        if _wanted() and on_done is not None:
            on_done(result)

    def _failed(exc: BaseException) -> None:
        if not _wanted():
            return
        if isinstance(exc, Cancelled) and on_cancelled is not None:
            on_cancelled()
        elif on_error is not None:
            on_error(exc)
        elif not isinstance(exc, Cancelled):
            _report_unhandled(exc)

    if on_progress is not None:
        task.progressed.connect(_progress)
    task.succeeded.connect(_done)
    task.failed.connect(_failed)
    task.finished.connect(task._on_finished)
    if on_finished is not None:
        task.finished.connect(lambda: on_finished(task))
    if parent is not None:
        parent.destroyed.connect(_parent_gone)
    task.start()
    return task


class Superseding:
    """At most one current task for a view: a new one cancels and supersedes the last.

    The superseded task's callbacks never run, and `task` is cleared before the current
    task's own callback runs, so a callback may start the next task at once.
    """

    def __init__(self, parent: QObject, label: str) -> None:
        self._parent = parent
        self._label = label
        self.task: BackgroundTask | None = None

    @property
    def busy(self) -> bool:
        return self.task is not None

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def run(
        self,
        fn: BackgroundFunction,
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> BackgroundTask:
        self.cancel()

        def ending(callback: Callable[..., None] | None) -> Callable[..., None] | None:
            if callback is None:
                return None  # run_in_background's own fallbacks apply

            def end(*args: Any) -> None:
                self.task = None
                callback(*args)

            return end

        task = run_in_background(
            fn,
            on_done=ending(on_done),
            on_error=ending(on_error),
            on_progress=on_progress,
            on_cancelled=ending(on_cancelled),
            parent=self._parent,
            label=self._label,
            current=lambda task: task is self.task,
            on_finished=self._forget,
        )
        self.task = task
        return task

    def _forget(self, task: BackgroundTask) -> None:
        """After any outcome, handled or not (a callback may already have started another)."""
        if self.task is task:
            self.task = None
