"""Settings: the API key (in the OS keyring), the sending number, country and advanced knobs.

Every keyring and network call runs through `ui.workers`, because the OS may show a
password prompt or the network may be slow, and the window must not freeze meanwhile.
The key typed here goes from the masked field straight to the key store; it is never put in
the settings file, a log line or a label.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.core.phones import check_phone
from trackly_desktop.core.reasons import describe
from trackly_desktop.secrets import KeyStore, validate_key_format
from trackly_desktop.settings import Settings
from trackly_desktop.ui import pyside_workarounds  # noqa: F401 - before any emit
from trackly_desktop.ui.country_box import CountryBox
from trackly_desktop.ui.error_presenter import describe_error
from trackly_desktop.ui.send_wording import display_number
from trackly_desktop.ui.workers import run_in_background

OK_STYLE = "color: palette(text);"
PROBLEM_STYLE = "color: #b3261e;"


class SettingsDialog(QDialog):
    """Edit a copy of `settings`; `saved_settings()` returns it after OK."""

    key_changed = Signal()  # a key was saved or removed (the window re-reads it)

    def __init__(
        self,
        settings: Settings,
        key_store: KeyStore,
        *,
        demo: bool = False,
        fixed_list_number: str | None = None,
        fixed_base_url: str | None = None,
        key_source: Callable[[], str | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        self._settings = settings
        self._store = key_store
        self._demo = demo
        self._fixed_list_number = fixed_list_number  # demo mode: the practice number
        self._fixed_base_url = fixed_base_url  # demo mode: the practice server
        # Where "Test connection" finds the key when none is typed (the session's own lookup,
        # so the test uses the same key a send would: demo key, TRACKLY_API_KEY, keyring).
        self._key_source = key_source or key_store.get
        self._busy = 0
        tabs = QTabWidget()
        tabs.addTab(self._account_tab(), "Account")
        tabs.addTab(self._sending_tab(), "Sending")
        tabs.addTab(self._advanced_tab(), "Advanced")
        self.tabs = tabs
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.buttons)
        self.resize(560, 380)
        self._load_values()
        self._refresh_key_status()

    # ---- building ---------------------------------------------------------------------
    def _account_tab(self) -> QWidget:
        page = QWidget()
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
        layout = QVBoxLayout(page)
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
        return page

    def _sending_tab(self) -> QWidget:
        page = QWidget()
        self.number_edit = QLineEdit()
        self.number_edit.setAccessibleName("Sending number")
        self.number_edit.setPlaceholderText("+1 800 555 1000")
        self.number_edit.setToolTip(
            "The number your customers see the texts come from "
            "(the “list number” in your Trackly account)."
        )
        self.number_edit.textChanged.connect(self._check_number)
        self.number_hint = QLabel()
        self.number_hint.setObjectName("numberHint")
        self.number_hint.setWordWrap(True)
        self.country_box = CountryBox()
        self.country_box.setAccessibleName("Default country")
        self.country_box.setToolTip(
            "Numbers in your spreadsheet without a +country code are read as numbers of "
            "this country."
        )
        self.country_box.currentIndexChanged.connect(lambda _i: self._check_number())
        form = QFormLayout(page)
        form.addRow("Sending number", self.number_edit)
        form.addRow("", self.number_hint)
        form.addRow("Default country", self.country_box)
        return page

    def _advanced_tab(self) -> QWidget:
        page = QWidget()
        self.batches_box = QSpinBox()
        self.batches_box.setRange(1, 16)
        self.batches_box.setAccessibleName("Batches sent at the same time")
        self.batches_box.setToolTip(
            "How many groups of up to 1,000 messages are sent at once. "
            "More is faster on a good connection."
        )
        self.url_edit = QLineEdit()
        self.url_edit.setAccessibleName("Server address")
        self.url_edit.setToolTip("Only change this if Trackly support asks you to.")
        note = QLabel("Only change these if Trackly support asks you to.")
        note.setWordWrap(True)
        form = QFormLayout(page)
        form.addRow(note)
        form.addRow("Batches sent at the same time", self.batches_box)
        form.addRow("Server address", self.url_edit)
        if self._demo:
            self.url_edit.setEnabled(False)
            self.url_edit.setToolTip("Demo mode talks to the built-in practice server.")
        return page

    def _load_values(self) -> None:
        s = self._settings
        self.number_edit.setText(self._fixed_list_number or s.list_number or "")
        if self._fixed_list_number:
            self.number_edit.setEnabled(False)
            self.number_edit.setToolTip("Demo mode sends from the practice server's number.")
        self.country_box.set_code(s.default_country or "US")
        self.batches_box.setValue(max(1, min(16, int(s.concurrency))))
        self.url_edit.setText(self._fixed_base_url or s.base_url)
        self._check_number()

    # ---- sending number ---------------------------------------------------------------
    def _number_problem(self) -> str | None:
        text = self.number_edit.text().strip()
        if not text:
            return "Enter the number your texts are sent from."
        check = check_phone(text, self.country_box.code())
        if check.e164 is None:
            return describe(check.reason or "not_a_number")
        return None

    def _check_number(self) -> None:
        problem = self._number_problem()
        if problem is None:
            e164 = check_phone(self.number_edit.text().strip(), self.country_box.code()).e164
            self.number_hint.setText(f"✓ Texts will come from {display_number(e164 or '')}.")
            self.number_hint.setStyleSheet(OK_STYLE)
        else:
            self.number_hint.setText(problem)
            self.number_hint.setStyleSheet(PROBLEM_STYLE)

    def _accept_if_valid(self) -> None:
        problem = self._number_problem()
        if problem is not None and self.number_edit.text().strip():
            self.tabs.setCurrentIndex(1)
            self.number_edit.setFocus()
            return
        self.accept()

    def saved_settings(self) -> Settings:
        """The settings as edited (call after the dialog was accepted)."""
        text = self.number_edit.text().strip()
        check = check_phone(text, self.country_box.code()) if text else None
        changes: dict[str, Any] = {
            "default_country": self.country_box.code(),
            "concurrency": self.batches_box.value(),
        }
        if not self._fixed_list_number:
            changes["list_number"] = check.e164 if check and check.e164 else ""
        if not self._demo:
            changes["base_url"] = self.url_edit.text().strip() or self._settings.base_url
        return dataclasses.replace(self._settings, **changes)

    # ---- the key (all keyring and network work in the background) ---------------------
    def is_busy(self) -> bool:
        return self._busy > 0

    def _start(self, fn, on_done) -> None:
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
            self.test_result.setText(describe_error(exc))
            self.test_result.setStyleSheet(PROBLEM_STYLE)

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
        self.storage_notice.setStyleSheet(PROBLEM_STYLE)

    def _refresh_key_status(self) -> None:
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
            self.test_result.setStyleSheet(PROBLEM_STYLE)
            return
        self.test_result.setText("Saving…")
        self.test_result.setStyleSheet(OK_STYLE)

        def saved(_result: object) -> None:
            self.key_edit.clear()
            self.test_result.setText("Key saved.")
            self._show_key_status(True)
            self.key_changed.emit()

        self._start(lambda: self._store.set(text), saved)

    def _remove_key(self) -> None:
        def removed(_result: object) -> None:
            self.test_result.setText("Key removed from this computer.")
            self.test_result.setStyleSheet(OK_STYLE)
            self._show_key_status(False)
            self.key_changed.emit()

        self._start(self._store.remove, removed)

    def _test_connection(self) -> None:
        typed = self.key_edit.text().strip()
        base_url = self.url_edit.text().strip() or self._settings.base_url
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
                self.test_result.setStyleSheet(OK_STYLE)
            else:
                self.test_result.setText("There is no key to test yet. Paste your key first.")
                self.test_result.setStyleSheet(PROBLEM_STYLE)

        self.test_result.setText("Testing…")
        self.test_result.setStyleSheet(OK_STYLE)
        self._start(verify, verified)
