"""The Account tab of Settings: the API key, saved to and removed from the OS keyring.

Every keyring and network call runs through `ui.workers` (the OS may show a password
prompt, the network may be slow) and the window stays responsive. The typed key goes from
the masked field straight to the key store; it never reaches a label, a log or a file.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.secrets import KeyStore, validate_key_format
from trackly_desktop.ui import theme
from trackly_desktop.ui.error_presenter import describe_error
from trackly_desktop.ui.workers import run_in_background


def connection_problem(exc: BaseException, base_url: str) -> str:
    """What went wrong with "Test connection", about the connection (nothing is sent)."""
    from trackly_desktop.api.errors import (  # noqa: PLC0415
        AuthError,
        InvalidBaseUrl,
        TransientError,
    )

    if isinstance(exc, AuthError):
        words = exc.explanation[:1].upper() + exc.explanation[1:]
        return f"The connection works, but the key does not: {words}."
    if isinstance(exc, InvalidBaseUrl):
        return (
            "The server address in Advanced is not one the app can use: it must start "
            "with https://."
        )
    if isinstance(exc, TransientError) and exc.status is None:
        if exc.code == "connection_failed":
            return (
                f"Could not connect to Trackly at {base_url}. Check this computer's internet "
                "connection (and the server address under Advanced), then test again."
            )
        return (
            "The connection to Trackly dropped before it answered. Check this computer's "
            "internet connection, then test again."
        )
    if isinstance(exc, TransientError):
        return (
            f"Trackly's server answered with a temporary problem (error {exc.status}). "
            "The connection works; try the test again in a few minutes."
        )
    return describe_error(exc)


class AccountTab(QWidget):
    """Key field with Save / Test connection / Remove; plain notice when no keyring works."""

    key_changed = Signal()  # a key was saved or removed (the window re-reads it)

    def __init__(
        self,
        key_store: KeyStore,
        *,
        demo: bool,
        base_url: Callable[[], str],
        key_source: Callable[[], str | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = key_store
        self._demo = demo
        self._base_url = base_url
        # Where "Test connection" finds the key when none is typed (the session's own lookup,
        # so the test uses the same key a send would: demo key, TRACKLY_API_KEY, keyring).
        self._key_source = key_source or key_store.get
        self._busy = 0
        self._build()

    def _build(self) -> None:
        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("Paste your key here (it starts with trk_)")
        self.key_edit.setAccessibleName("API key")
        self.key_edit.setToolTip(
            "Copy it from your Trackly account. It is kept in the system keyring."
        )
        self.show_key = QCheckBox("Show")
        self.show_key.setAccessibleName("Show the API key")
        self.show_key.toggled.connect(
            lambda on: self.key_edit.setEchoMode(
                QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
            )
        )
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.show_key)
        self.save_key_button = QPushButton("Save key")
        self.test_button = QPushButton("Test connection")
        self.remove_key_button = QPushButton("Remove key")
        for button in (self.save_key_button, self.test_button, self.remove_key_button):
            button.setAutoDefault(False)
        self.save_key_button.clicked.connect(self._save_key)
        self.test_button.clicked.connect(self._test_connection)
        self.remove_key_button.clicked.connect(self._remove_key)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_key_button)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.remove_key_button)
        buttons.addStretch(1)
        self.key_status = QLabel()
        self.key_status.setObjectName("keyStatus")
        self.key_status.setWordWrap(True)
        self.test_result = QLabel()
        self.test_result.setObjectName("testResult")
        self.test_result.setWordWrap(True)
        self.storage_notice = QLabel()
        self.storage_notice.setObjectName("storageNotice")
        self.storage_notice.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Your Trackly API key"))
        layout.addLayout(key_row)
        layout.addLayout(buttons)
        layout.addWidget(self.key_status)
        layout.addWidget(self.test_result)
        layout.addWidget(self.storage_notice)
        layout.addStretch(1)
        if self._demo:
            for widget in (self.key_edit, self.show_key, self.save_key_button):
                widget.setEnabled(False)
            self.remove_key_button.setEnabled(False)

    def is_busy(self) -> bool:
        return self._busy > 0

    def _start(self, fn, on_done, describe_failure=describe_error) -> None:
        self._busy += 1
        for button in (self.save_key_button, self.test_button, self.remove_key_button):
            button.setEnabled(False)

        def finish() -> None:
            self._busy -= 1
            if not self._busy:
                self.test_button.setEnabled(True)
                self.save_key_button.setEnabled(not self._demo)
                self.remove_key_button.setEnabled(not self._demo)

        def done(result: object) -> None:
            if not isValid(self):
                return  # the dialog was closed while the keyring or network answered
            finish()
            on_done(result)

        def failed(exc: BaseException) -> None:
            if not isValid(self):
                return
            finish()
            self.test_result.setText(describe_failure(exc))
            theme.show_in_colour(self.test_result, "attention")

        run_in_background(
            lambda _progress, _cancel: fn(), on_done=done, on_error=failed, parent=self
        )

    def _show_storage_notice(self) -> None:
        # The store may discover mid-session that the keyring broke, so this is re-checked.
        if self._store.persistent or self._demo:
            self.storage_notice.clear()
            return
        self.storage_notice.setText(
            "This computer has no password store the app can use, so your key is kept "
            "only until you close the app. You will need to enter it again next time."
        )
        theme.show_in_colour(self.storage_notice, "attention")

    def refresh_key_status(self) -> None:
        self._show_storage_notice()
        if self._demo:
            self.key_status.setText("Demo mode uses a practice key. Nothing is stored.")
            return
        self.key_status.setText("Checking for a saved key…")
        self._start(lambda: self._store.get() is not None, self._show_key_status)

    def _show_key_status(self, has_key: object) -> None:
        self._show_storage_notice()
        if has_key:
            where = "in " + self._store.backend_name if self._store.persistent else "for now"
            self.key_status.setText(f"A key is saved {where}.")
        else:
            self.key_status.setText("No key saved yet. Paste the key from your Trackly account.")

    def _save_key(self) -> None:
        try:
            text = validate_key_format(self.key_edit.text())
        except TracklyDesktopError as exc:
            self.test_result.setText(str(exc))
            theme.show_in_colour(self.test_result, "attention")
            return
        self.test_result.setText("Saving…")
        theme.show_in_colour(self.test_result, None)

        def saved(_result: object) -> None:
            self.key_edit.clear()
            self.test_result.setText("Key saved.")
            self._show_key_status(True)
            self.key_changed.emit()

        self._start(lambda: self._store.set(text), saved)

    def _remove_key(self) -> None:
        def removed(_result: object) -> None:
            self.test_result.setText("Key removed from this computer.")
            theme.show_in_colour(self.test_result, None)
            self._show_key_status(False)
            self.key_changed.emit()

        self._start(self._store.remove, removed)

    def _test_connection(self) -> None:
        typed = self.key_edit.text().strip()
        base_url = self._base_url()
        key_source = self._key_source

        def verify() -> bool:
            from trackly_desktop.api.client import TracklyClient  # noqa: PLC0415 - lazy httpx

            key = typed or key_source()
            if not key:
                return False
            # Two tries, not five: the operator is waiting for an answer to a simple question.
            with TracklyClient(key, base_url, max_attempts=2, backoff_cap=2.0) as client:
                client.verify_key()
            return True

        def verified(ok: object) -> None:
            if ok:
                self.test_result.setText("✓ Connected. Trackly accepted the key.")
                theme.show_in_colour(self.test_result, None)
            else:
                self.test_result.setText("There is no key to test yet. Paste your key first.")
                theme.show_in_colour(self.test_result, "attention")

        self.test_result.setText("Testing the connection…")
        theme.show_in_colour(self.test_result, None)
        self._start(verify, verified, lambda exc: connection_problem(exc, base_url))
