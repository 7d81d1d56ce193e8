"""app.py: arguments, the log file, the crash handler, and demo mode with its sandbox."""

from __future__ import annotations

import gc
import logging
import sys
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from trackly_desktop import app, paths
from trackly_desktop.ui import application, crash_handler


@pytest.fixture
def log_handler():
    handler = app.configure_logging()
    yield handler
    logging.getLogger("trackly_desktop").removeHandler(handler)
    handler.close()


@pytest.fixture
def hooks_installed(qapp):
    crash_handler.install()
    yield
    crash_handler.uninstall()
    for box in crash_handler.open_crash_dialogs():
        box.close()


def _log_text() -> str:
    path = paths.log_dir() / app.LOG_FILE_NAME
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_arguments():
    assert app.parse_args([]).demo is False
    assert app.parse_args(["--demo"]).demo is True
    assert app.parse_args(["--smoke-test"]).smoke_test is True
    with pytest.raises(SystemExit):
        app.parse_args(["--nonsense"])


def test_smoke_test_flag_dispatches_to_the_packaging_check(monkeypatch):
    import trackly_desktop.ui.smoke_test as smoke

    calls = []
    monkeypatch.setattr(smoke, "run_smoke_test", lambda: calls.append(1) or 0)
    assert app.main(["--smoke-test"]) == 0
    assert calls == [1]


def test_uncaught_exception_is_logged_and_shown_gently(qtbot, log_handler, hooks_installed):
    try:
        raise RuntimeError("disk on fire")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    qtbot.waitUntil(lambda: bool(crash_handler.open_crash_dialogs()), timeout=5000)
    box = crash_handler.open_crash_dialogs()[0]
    assert "Nothing you have sent was lost" in box.text()
    assert "Traceback" not in box.text()
    log_handler.flush()
    text = _log_text()
    assert "RuntimeError: disk on fire" in text and "Traceback" in text


def test_exception_in_a_thread_reaches_the_dialog_and_the_log(qtbot, log_handler, hooks_installed):
    def boom() -> None:
        raise ValueError("worker exploded")

    thread = threading.Thread(target=boom, name="test-boom")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(crash_handler.open_crash_dialogs()), timeout=5000)
    log_handler.flush()
    text = _log_text()
    assert "in test-boom" in text and "ValueError: worker exploded" in text


def test_demo_mode_runs_the_sandbox_in_process_and_keeps_the_key_in_memory(qtbot, memory_keyring):
    from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER
    from trackly_desktop.settings import load_settings

    launched = application.launch(demo=True)
    try:
        window = launched.window
        qtbot.addWidget(window)
        session = window.session
        assert session.demo
        assert session.base_url.startswith("http://127.0.0.1:")
        assert session.list_number == DEMO_LIST_NUMBER
        assert session.api_key() == DEMO_API_KEY
        assert DEMO_API_KEY not in repr(session)
        assert any(t.name.startswith("trackly-sandbox") for t in threading.enumerate())
        # What the practice server remembers is hidden from the collector after a request,
        # so its growing memory of a big demo send never stalls the window.
        from trackly_desktop.api.client import TracklyClient

        with TracklyClient(DEMO_API_KEY, session.base_url) as client:
            client.send("+14155550100", DEMO_LIST_NUMBER, "Hi")
        assert len(launched.sandbox.ledger) == 1
        assert id(launched.sandbox.backend) not in {id(o) for o in gc.get_objects()}
        gc.unfreeze()
        window.show()
        assert window.demo_banner.isVisible()
        window.close()
        # Never written anywhere that lasts.
        assert memory_keyring.store == {}
        assert DEMO_API_KEY not in paths.settings_path().read_text(encoding="utf-8")
        assert load_settings().list_number == ""
    finally:
        launched.shutdown()
    assert not any(t.name.startswith("trackly-sandbox") for t in threading.enumerate())


def test_main_in_demo_mode_shows_the_window_and_exits_cleanly(qtbot):
    def close_when_shown() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow"]
        if windows and windows[0].isVisible():
            windows[0].close()
        else:
            QTimer.singleShot(50, close_when_shown)

    QTimer.singleShot(50, close_when_shown)
    handlers_before = list(logging.getLogger("trackly_desktop").handlers)
    try:
        assert app.main(["--demo"]) == 0
    finally:
        for handler in logging.getLogger("trackly_desktop").handlers:
            if handler not in handlers_before:
                logging.getLogger("trackly_desktop").removeHandler(handler)
                handler.close()
    assert "starting (demo)" in _log_text()
    assert sys.excepthook is not crash_handler._sys_hook  # hooks put back on the way out


def test_the_key_store_is_made_in_the_background_after_the_window_shows(qtbot):
    launched = application.launch(demo=False)
    try:
        qtbot.addWidget(launched.window)
        session = launched.window.session
        assert session._key_store is None  # nothing keyring-related before the first paint
        session.warm_up_key_store()
        qtbot.waitUntil(lambda: session._key_store is not None, timeout=10000)
        assert session.key_store.persistent  # the in-memory test keyring is usable
    finally:
        launched.window.close()
        launched.shutdown()


def test_the_key_store_is_made_on_first_use_when_asked_early(qtbot):
    from trackly_desktop.secrets import KeyStore
    from trackly_desktop.settings import Settings
    from trackly_desktop.ui.session import Session

    session = Session(Settings(), None)
    assert isinstance(session.key_store, KeyStore)
    assert session.key_store is session.key_store


def test_a_window_that_cannot_start_says_so_and_exits_1(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    def broken(*, demo: bool):
        raise OSError("address already in use")

    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(20, answer)

    monkeypatch.setattr(application, "launch", broken)
    QTimer.singleShot(20, answer)
    handlers_before = list(logging.getLogger("trackly_desktop").handlers)
    try:
        assert app.main([]) == 1
    finally:
        for handler in logging.getLogger("trackly_desktop").handlers:
            if handler not in handlers_before:
                logging.getLogger("trackly_desktop").removeHandler(handler)
                handler.close()
    assert seen and "could not start" in seen[0] and "log file" in seen[0]
    assert "address already in use" in _log_text()
    assert sys.excepthook is not crash_handler._sys_hook


def test_qt_warnings_go_to_the_log_file(log_handler):
    from PySide6.QtCore import qInstallMessageHandler, qWarning

    application.route_qt_messages_to_log()
    try:
        qWarning("a Qt warning for the log")
    finally:
        qInstallMessageHandler(None)
    log_handler.flush()
    assert "WARNING" in _log_text() and "a Qt warning for the log" in _log_text()


def test_the_app_icon_has_sharp_sizes(qapp):
    icon = application.app_icon()
    assert icon is not None
    sizes = {s.width() for s in icon.availableSizes()}
    assert {16, 32, 256} <= sizes
    assert not icon.pixmap(48, 48).isNull()


def test_a_crash_dialog_deleted_with_its_window_does_not_stop_the_next_one(qtbot, hooks_installed):
    from PySide6.QtWidgets import QMainWindow
    from shiboken6 import isValid

    window = QMainWindow()
    window.show()
    window.activateWindow()
    crash_handler.report_unexpected(RuntimeError, RuntimeError("first"), None)
    qtbot.waitUntil(lambda: bool(crash_handler.open_crash_dialogs()), timeout=5000)
    first = crash_handler.open_crash_dialogs()[0]
    first.setParent(window, first.windowFlags())  # as when it was shown over that window
    window.deleteLater()  # the window goes, and the dialog with it
    qtbot.waitUntil(lambda: not isValid(first), timeout=5000)
    crash_handler.report_unexpected(RuntimeError, RuntimeError("second"), None)
    qtbot.waitUntil(lambda: bool(crash_handler.open_crash_dialogs()), timeout=5000)
    assert crash_handler.open_crash_dialogs()[0].detailedText() == "RuntimeError: second"
