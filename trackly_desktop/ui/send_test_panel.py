""" "Send a test to my phone": one message through `/v2/send` to a number the operator types.

The number is checked by the core as it is typed; the message is the one the first
person on the list will get, so the operator sees on their own phone what customers see.
The key is read and the request made in a worker, never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.ui import theme, workers
from trackly_desktop.ui.error_presenter import describe_error
from trackly_desktop.ui.session import Session


class SendTestPanel(QGroupBox):
    sent = Signal(str)  # the message id
    failed = Signal(str)

    def __init__(
        self,
        session: Session,
        body_for_test: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        title = "Send a test (demo: to the practice server)" if session.demo else (
            "Send a test to my phone"
        )
        super().__init__(title, parent)
        self.setObjectName("sendTestPanel")
        self.session = session
        self._body_for_test = body_for_test
        self.task: workers.BackgroundTask | None = None
        row = QHBoxLayout(self)
        caption = QLabel("Your mobile number:")
        self.number = QLineEdit()
        self.number.setObjectName("testNumber")
        self.number.setAccessibleName("Your mobile number for the test message")
        self.number.setPlaceholderText("e.g. +1 415 555 0100")
        self.number.setMinimumWidth(190)
        caption.setBuddy(self.number)
        self.button = QPushButton("Send &test")
        self.button.setObjectName("sendTestButton")
        self.button.setAccessibleName("Send a test message to my phone")
        self.button.setEnabled(False)
        self.result = QLabel()
        self.result.setObjectName("testResult")
        self.result.setWordWrap(True)
        row.addWidget(caption)
        row.addWidget(self.number)
        row.addWidget(self.button)
        row.addWidget(self.result, 1)
        self.number.textChanged.connect(self._number_changed)
        self.number.returnPressed.connect(self.send_test)
        self.button.clicked.connect(self.send_test)
        self._e164: str | None = None

    def _number_changed(self, text: str) -> None:
        from trackly_desktop.core.phones.check import check_phone  # noqa: PLC0415
        from trackly_desktop.core.recipients.reasons import describe  # noqa: PLC0415

        check = check_phone(text, self.session.country) if text.strip() else None
        self._e164 = check.e164 if check is not None else None
        self.button.setEnabled(self._e164 is not None and self.task is None)
        if check is None:
            self._say("")
        elif check.e164 is None:
            self._say(describe(check.reason), error=True)
        else:
            self._say(f"The test goes to {check.e164}.")

    def _say(self, text: str, *, error: bool = False) -> None:
        theme.show_in_colour(self.result, "attention" if error else None)
        self.result.setText(text)

    def send_test(self) -> None:
        if self._e164 is None or self.task is not None:
            return
        body = self._body_for_test()
        if not body:
            self._say("There is no message to test yet: nobody on the list is ready.", error=True)
            return
        session = self.session
        to, list_number, base_url = self._e164, session.list_number, session.base_url
        wrap = session.get_send_options().wrap_links

        def work(progress, cancel) -> str:
            from trackly_desktop.api.client import TracklyClient  # noqa: PLC0415

            if not list_number:
                raise TracklyDesktopError(
                    "Set your sending number in Settings before sending a test."
                )
            key = session.api_key()
            if not key:
                raise TracklyDesktopError(
                    "Add your Trackly API key in Settings before sending a test."
                )
            with TracklyClient(key, base_url, max_in_flight=1, max_attempts=2) as client:
                result = client.send(to, list_number, body, wrap_links=wrap)
            return str(getattr(result, "message_id", "") or "")

        self.button.setEnabled(False)
        self._say("Sending the test…")
        self.task = workers.run_in_background(
            work, on_done=self._done, on_error=self._failed, parent=self, label="send-test"
        )

    def _done(self, message_id: str) -> None:
        self.task = None
        self.button.setEnabled(self._e164 is not None)
        if self.session.demo:
            self._say(
                "Test sent to the practice server: this is the demo, so no phone receives "
                "it. With your own Trackly key, the test arrives on your phone."
            )
        else:
            self._say("Test sent. It should arrive on your phone within a minute.")
        self.sent.emit(message_id)

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.button.setEnabled(self._e164 is not None)
        text = describe_error(exc)
        self._say(text, error=True)
        self.failed.emit(text)
