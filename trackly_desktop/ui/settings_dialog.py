"""Settings: the API key (Account tab, see `account_tab`); the sending number and country
(checked as they are typed), the price of a message part and the sending speed (in words);
under Advanced the server address.

The dialog edits a copy of the settings; the caller stores `saved_settings()` after OK.
The API key is never part of the settings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from trackly_desktop.contract import MAX_IN_FLIGHT, MIN_IN_FLIGHT
from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.core.messages.cost import CURRENCIES, format_money, parse_price
from trackly_desktop.core.phones.check import check_phone
from trackly_desktop.core.recipients.reasons import describe
from trackly_desktop.core.results.wording import display_number
from trackly_desktop.secrets import KeyStore
from trackly_desktop.settings import Settings
from trackly_desktop.ui import theme
from trackly_desktop.ui.account_tab import AccountTab
from trackly_desktop.ui.country_box import CountryBox
from trackly_desktop.ui.quiet_hours_tab import QuietHoursTab

# The sending speed in words -> how many batches of up to 1,000 messages are in flight.
SPEEDS = (
    ("Gentle: one batch at a time (for a slow or shared connection)", 1),
    ("Normal (recommended)", 4),
    ("Fast: for a fast, steady connection", 8),
    ("Fastest", 16),
)


class SettingsDialog(QDialog):
    """Edit a copy of `settings`; `saved_settings()` returns it after OK."""

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
        self.account = AccountTab(
            key_store,
            demo=demo,
            key_source=key_source,
            base_url=lambda: self.url_edit.text().strip() or self._settings.base_url,
        )
        # The account tab's parts, by their old names (the window and the tests use them).
        self.key_changed = self.account.key_changed
        self.is_busy = self.account.is_busy
        for name in (
            "key_edit", "show_key", "save_key_button", "test_button", "remove_key_button",
            "key_status", "test_result", "storage_notice",
        ):  # fmt: skip
            setattr(self, name, getattr(self.account, name))
        tabs = QTabWidget()
        tabs.addTab(self.account, "Account")
        tabs.addTab(self._sending_tab(), "Sending")
        self.quiet_tab = QuietHoursTab(self._settings)
        tabs.addTab(self.quiet_tab, "Quiet hours")
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
        self.account.refresh_key_status()
        tabs.currentChanged.connect(lambda _index: self._focus_page())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self._focus_page()

    def _focus_page(self) -> None:
        """The keyboard starts in the tab's first field, not on the tab bar (whose focus
        ring boxed the whole row of tabs); Ctrl+Tab still changes tabs."""
        page = self.tabs.currentWidget()
        widget = page.nextInFocusChain()
        while widget is not page and widget is not self:
            if (
                page.isAncestorOf(widget)
                and widget.isEnabled()
                and widget.isVisibleTo(page)
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            ):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return
            widget = widget.nextInFocusChain()

    # ---- building ---------------------------------------------------------------------
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
        self.price_edit = QLineEdit()
        self.price_edit.setObjectName("priceEdit")
        self.price_edit.setAccessibleName("Price of one message part")
        self.price_edit.setPlaceholderText("e.g. 0.008 — leave empty to hide costs")
        self.price_edit.setToolTip(
            "What your Trackly plan charges for one message part. The app then shows "
            "what a send will cost before you send it."
        )
        self.price_edit.textChanged.connect(self._check_price)
        self.currency_box = QComboBox()
        self.currency_box.setAccessibleName("Currency")
        self.currency_box.addItems(CURRENCIES)
        self.currency_box.currentIndexChanged.connect(lambda _i: self._check_price())
        price_row = QHBoxLayout()
        price_row.addWidget(self.price_edit, 1)
        price_row.addWidget(self.currency_box)
        self.price_hint = QLabel()
        self.price_hint.setObjectName("priceHint")
        self.price_hint.setWordWrap(True)
        self.speed_box = QComboBox()
        self.speed_box.setObjectName("speedBox")
        self.speed_box.setAccessibleName("Sending speed")
        self.speed_box.setToolTip(
            "How fast messages are handed to Trackly. Faster needs a good connection; "
            "if sends stop with connection problems, choose a gentler speed."
        )
        for words, batches in SPEEDS:
            self.speed_box.addItem(words, batches)
        form = QFormLayout(page)
        form.addRow("Sending number", self.number_edit)
        form.addRow("", self.number_hint)
        form.addRow("Default country", self.country_box)
        form.addRow("Price of one message part", price_row)
        form.addRow("", self.price_hint)
        form.addRow("Sending speed", self.speed_box)
        return page

    def set_speed(self, batches: int) -> None:
        """Select the speed sending `batches` at once (an old custom value gets its own entry)."""
        index = self.speed_box.findData(batches)
        if index < 0:
            self.speed_box.addItem(f"Custom ({batches} batches at a time)", batches)
            index = self.speed_box.count() - 1
        self.speed_box.setCurrentIndex(index)

    def _price_problem(self) -> str | None:
        try:
            parse_price(self.price_edit.text())
        except TracklyDesktopError as exc:
            return str(exc)
        return None

    def _check_price(self) -> None:
        problem = self._price_problem()
        if problem is not None:
            self.price_hint.setText(problem)
            theme.show_in_colour(self.price_hint, "attention")
            return
        price = parse_price(self.price_edit.text())
        theme.show_in_colour(self.price_hint, None)
        if price is None:
            self.price_hint.setText("Costs are not shown.")
        else:
            thousand = format_money(price * 1000, self.currency_box.currentText())
            self.price_hint.setText(f"1,000 one-part messages cost about {thousand}.")

    def _advanced_tab(self) -> QWidget:
        page = QWidget()
        self.url_edit = QLineEdit()
        self.url_edit.setAccessibleName("Server address")
        self.url_edit.setToolTip("Only change this if Trackly support asks you to.")
        note = QLabel("Only change these if Trackly support asks you to.")
        note.setWordWrap(True)
        self.window_box = QSpinBox()
        self.window_box.setRange(0, 3600)
        self.window_box.setSingleStep(10)
        self.window_box.setSuffix(" seconds")
        self.window_box.setAccessibleName("Duplicate check lasts")
        window_note = QLabel(
            "After an interruption, messages that may have gone out are sent again only "
            "within this time, while Trackly's duplicate check still stops a second copy. "
            "Older ones are listed as “not sure” for you to check. Keep it short unless "
            "Trackly tells you how long its check lasts."
        )
        window_note.setWordWrap(True)
        form = QFormLayout(page)
        form.addRow(note)
        form.addRow("Server address", self.url_edit)
        form.addRow("Duplicate check lasts", self.window_box)
        form.addRow("", window_note)
        if self._demo:
            self.url_edit.setEnabled(False)
            self.url_edit.setToolTip("Demo mode talks to the built-in practice server.")
        return page

    def _load_values(self) -> None:
        s = self._settings
        # The one format the app shows a number in: "+1 800 555 1000".
        self.number_edit.setText(display_number(self._fixed_list_number or s.list_number or ""))
        if self._fixed_list_number:
            self.number_edit.setEnabled(False)
            self.number_edit.setToolTip("Demo mode sends from the practice server's number.")
        self.country_box.set_code(s.default_country or "US")
        self.set_speed(max(MIN_IN_FLIGHT, min(MAX_IN_FLIGHT, int(s.concurrency))))
        self.price_edit.setText(s.price_per_part)
        self.currency_box.setCurrentText(s.currency)
        self._check_price()
        self.url_edit.setText(self._fixed_base_url or s.base_url)
        self.window_box.setValue(int(s.duplicate_window_s))
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
            theme.show_in_colour(self.number_hint, None)
        else:
            self.number_hint.setText(problem)
            theme.show_in_colour(self.number_hint, "attention")

    def _accept_if_valid(self) -> None:
        if not self.quiet_tab.check():
            self.tabs.setCurrentWidget(self.quiet_tab)
            return
        if self._price_problem() is not None:
            self.tabs.setCurrentIndex(1)
            self.price_edit.setFocus()
            return
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
            "concurrency": int(self.speed_box.currentData()),
            "duplicate_window_s": int(self.window_box.value()),
            "price_per_part": self.price_edit.text().strip(),
            "currency": self.currency_box.currentText(),
            **self.quiet_tab.changes(),
        }
        if not self._fixed_list_number:
            changes["list_number"] = check.e164 if check and check.e164 else ""
        if not self._demo:
            changes["base_url"] = self.url_edit.text().strip() or self._settings.base_url
        return dataclasses.replace(self._settings, **changes)
