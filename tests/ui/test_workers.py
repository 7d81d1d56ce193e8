"""ui/workers.py: results, errors, progress and cancellation reach the GUI thread."""

from __future__ import annotations

import threading
import time

import pytest

from trackly_desktop.core.errors import Cancelled, InputFileError
from trackly_desktop.ui import workers


@pytest.fixture(autouse=True)
def _join_workers():
    yield
    assert workers.shutdown_all(timeout=10.0)


def test_result_is_delivered_on_the_gui_thread(qtbot):
    gui = threading.get_ident()
    seen: dict[str, object] = {}

    def work(progress, cancel):
        seen["worker_thread"] = threading.current_thread().name
        return 6 * 7

    def done(value):
        seen["value"] = value
        seen["on_gui"] = threading.get_ident() == gui

    task = workers.run_in_background(work, on_done=done, label="answer")
    qtbot.waitUntil(lambda: "value" in seen, timeout=5000)
    assert seen == {"worker_thread": "trackly-worker-answer", "value": 42, "on_gui": True}
    qtbot.waitUntil(lambda: task not in workers.active_tasks(), timeout=5000)


def test_domain_error_goes_to_on_error(qtbot):
    errors: list[BaseException] = []

    def work(progress, cancel):
        raise InputFileError("That file is empty.")

    workers.run_in_background(work, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], InputFileError)
    assert str(errors[0]) == "That file is empty."


def test_progress_is_coalesced_but_the_last_report_arrives(qtbot):
    reports: list[tuple[int, int, str]] = []
    finished: list[object] = []

    def work(progress, cancel):
        for i in range(1, 20_001):
            progress(i, 20_000, "Checking numbers")
        return "ok"

    workers.run_in_background(
        work, on_done=finished.append, on_progress=lambda *a: reports.append(a)
    )
    qtbot.waitUntil(lambda: bool(finished), timeout=5000)
    assert reports[-1] == (20_000, 20_000, "Checking numbers")
    # 20,000 calls in well under a second: a handful of signals, not 20,000.
    assert len(reports) < 200


def test_cancel_stops_the_work_and_reports_cancelled(qtbot):
    cancelled: list[bool] = []
    started = threading.Event()

    def work(progress, cancel):
        started.set()
        while True:
            cancel.raise_if_cancelled()
            time.sleep(0.01)

    task = workers.run_in_background(
        work,
        on_cancelled=lambda: cancelled.append(True),
        on_done=lambda _v: cancelled.append(False),
    )
    assert started.wait(5)
    task.cancel()
    qtbot.waitUntil(lambda: bool(cancelled), timeout=5000)
    assert cancelled == [True]
    assert task.wait(5)


def test_cancelled_without_handler_falls_back_to_on_error(qtbot):
    errors: list[BaseException] = []

    def work(progress, cancel):
        raise Cancelled()

    workers.run_in_background(work, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], Cancelled)


def test_shutdown_all_cancels_and_joins_running_tasks():
    started = threading.Event()

    def work(progress, cancel):
        started.set()
        while not cancel.cancelled:
            time.sleep(0.01)
        raise Cancelled()

    task = workers.run_in_background(work, label="long")
    assert started.wait(5)
    assert task.is_running()
    assert workers.shutdown_all(timeout=5.0)
    assert not task.is_running()
    running = workers.running_thread_idents()
    assert not any(t.ident in running for t in threading.enumerate())


def test_destroying_the_parent_cancels_the_task(qtbot):
    from PySide6.QtCore import QObject

    parent = QObject()
    started = threading.Event()
    outcome: list[str] = []

    def work(progress, cancel):
        started.set()
        while not cancel.cancelled:
            time.sleep(0.01)
        raise Cancelled()

    task = workers.run_in_background(
        work, parent=parent, on_cancelled=lambda: outcome.append("cancelled")
    )
    assert started.wait(5)
    parent.deleteLater()
    del parent
    qtbot.waitUntil(lambda: task.cancelled, timeout=5000)
    assert task.wait(5)


def test_unhandled_unexpected_error_reaches_the_crash_handler(qtbot, monkeypatch):
    from trackly_desktop.ui import crash_handler

    reported: list[BaseException] = []
    monkeypatch.setattr(
        crash_handler, "report_unexpected", lambda t, e, tb, where="": reported.append(e)
    )

    def work(progress, cancel):
        raise ZeroDivisionError("boom")

    workers.run_in_background(work)
    qtbot.waitUntil(lambda: bool(reported), timeout=5000)
    assert isinstance(reported[0], ZeroDivisionError)


def test_unhandled_domain_error_gets_a_plain_dialog(qtbot):
    from PySide6.QtWidgets import QApplication, QMessageBox

    def work(progress, cancel):
        raise InputFileError("customers.xlsx is protected by a password.")

    task = workers.run_in_background(work)
    qtbot.waitUntil(lambda: task not in workers.active_tasks(), timeout=5000)
    qtbot.waitUntil(
        lambda: any(
            b.isVisible() and b.text() == "customers.xlsx is protected by a password."
            for b in QApplication.topLevelWidgets()
            if isinstance(b, QMessageBox)
        ),
        timeout=5000,
    )
    for box in QApplication.topLevelWidgets():
        if isinstance(box, QMessageBox):
            box.close()


def test_callbacks_do_not_run_once_the_parent_is_gone(qtbot):
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    release = threading.Event()
    calls: list[str] = []

    def work(progress, cancel):
        release.wait(5)
        return "late result"

    def done(value):
        calls.append(value)
        label.setText(value)  # would raise: the label's C++ object is deleted

    task = workers.run_in_background(work, on_done=done, parent=label)
    label.deleteLater()
    qtbot.waitUntil(lambda: task.cancelled, timeout=5000)
    release.set()
    assert task.wait(5)
    qtbot.wait(50)  # let the queued result arrive
    assert calls == []


def test_cancel_hook_wakes_work_that_is_not_watching_its_token():
    wake = threading.Event()
    started = threading.Event()

    def work(progress, cancel):
        started.set()
        wake.wait(30)  # like a paused engine: blocked, not polling the token
        raise Cancelled()

    task = workers.run_in_background(work, cancel_hook=wake.set, label="paused")
    assert started.wait(5)
    # The work would block for 30 s unless the hook woke it: finishing inside the 5 s
    # shutdown allows proves the hook reached it.
    assert workers.shutdown_all(timeout=5.0)
    assert not task.is_running()


def test_the_work_runs_in_a_qthread_named_after_the_task(qtbot):
    from PySide6.QtCore import QCoreApplication, QThread

    seen = {}

    def work(progress, cancel):
        thread = QThread.currentThread()
        seen["qthread"] = thread is not QCoreApplication.instance().thread()
        seen["name"] = thread.objectName()
        seen["python_name"] = threading.current_thread().name
        seen["ident"] = threading.get_ident()
        return 1

    done = []
    task = workers.run_in_background(work, on_done=done.append, label="where")
    qtbot.waitUntil(lambda: done == [1], timeout=5000)
    assert task.wait(5)
    assert seen["qthread"] is True
    assert seen["name"] == seen["python_name"] == "trackly-worker-where"
    # Python 3.11 keeps the ended QThread's dummy thread listed: it is known as ended.
    assert seen["ident"] not in workers.running_thread_idents()


def test_the_leak_check_lets_ended_qthreads_go_but_not_running_ones(qtbot):
    from tests.conftest import _foreign_threads, _running_qthreads, _thread_snapshot

    before = _thread_snapshot() | _running_qthreads()
    release = threading.Event()
    started = threading.Event()

    def work(progress, cancel):
        started.set()
        release.wait(10)

    task = workers.run_in_background(work, label="held")
    assert started.wait(5)
    assert [t.name for t in _foreign_threads(before)] == ["trackly-worker-held"]
    release.set()
    assert task.wait(5)
    assert _foreign_threads(before) == []


def test_a_newer_task_supersedes_the_last_and_its_callbacks_never_run(qtbot):
    from PySide6.QtCore import QObject

    owner = QObject()
    slot = workers.Superseding(owner, "latest")
    first_may_end = threading.Event()
    results: list[str] = []

    def first(progress, cancel):
        first_may_end.wait(10)  # ignores its token: it ends with a result all the same
        return "first"

    older = slot.run(first, on_done=results.append)
    assert slot.busy
    newer = slot.run(lambda progress, cancel: "second", on_done=results.append)
    assert older.cancelled and slot.task is newer
    qtbot.waitUntil(lambda: results == ["second"], timeout=5000)
    first_may_end.set()
    assert older.wait(5)
    qtbot.wait(50)  # the superseded result's queued delivery has run by now
    assert results == ["second"]
    assert not slot.busy


def test_a_superseding_slot_is_free_after_an_unhandled_failure(qtbot, monkeypatch):
    from PySide6.QtCore import QObject

    reported: list[BaseException] = []
    monkeypatch.setattr(workers, "_report_unhandled", reported.append)
    owner = QObject()
    slot = workers.Superseding(owner, "failing")

    def work(progress, cancel):
        raise InputFileError("The file is empty.")

    slot.run(work)
    qtbot.waitUntil(lambda: not slot.busy, timeout=5000)
    assert [str(e) for e in reported] == ["The file is empty."]
