"""Take the README's pictures from the real window in demo mode.

    xvfb-run -a -s "-screen 0 1920x1200x24" .venv/bin/python tests/looks/take_screenshots.py
    … take_screenshots.py --size 1920x1080 --scheme dark --out /tmp/looks-1920-dark
    … take_screenshots.py --only sending results

The window is driven like an operator would: the demo's sample contacts, the practice
server inside the app, the Message, Review and Send steps, History and Settings. Each
picture is the window as `QWidget.grab()` draws it, with any dialog or menu open over it
painted at its place, saved as PNG. Without `--out` the pictures replace those in
resources/screenshots (the README shows them at 1024×700, light).

Every run starts from a fresh app home (a temporary folder: no real settings, journal or
keyring is touched) holding what an operator would have set: a price of a message part
(so costs show), one saved message and the message being written. The time of day is held
at a Monday 2 pm in New York (the tests' clock file), so every sample customer is inside
texting hours whenever the pictures are taken; the journal's own dates are today's.

The dark scheme is asked of the system the way a Linux desktop says it: GTK's dark theme,
read by Qt's gtk3 platform theme, which the app follows (ui/theme.py). It needs an X
server (Xvfb); offscreen Qt has no system scheme to follow.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # run as a script: the tests' export corpus is under REPO

from tests.unit.export_corpus import OUTLOOK_COM_HEADER  # noqa: E402

README_FOLDER = REPO / "resources" / "screenshots"
README_SIZE = (1024, 700)
# A Monday at 2 pm in New York: every US zone is inside texting hours (tests/conftest.py).
DAYTIME = "2026-12-07T14:00:00-05:00"
ORDER_MESSAGE = (
    "Hi {{first_name|there}}, your order {{Order}} is ready — we’re open until 6 on "
    "{{Pickup Day}}. Reply STOP to opt out."
)
PRICE_PER_PART = "0.0079"
TEST_NUMBER = "+1 415 555 0100"

OUTLOOK_PEOPLE = (
    {"First Name": "Maria", "Last Name": "Gonzalez", "Mobile Phone": "(415) 555-0132",
     "Company": "Gonzalez Bakery", "E-mail Address": "maria@example.com"},
    {"First Name": "James", "Last Name": "O'Brien", "Mobile Phone": "+1 212 555 1234",
     "E-mail Address": "james@example.com", "Birthday": "4/12/1980"},
)  # fmt: skip

# Every README picture, in the order the window reaches them.
PICTURES = (
    "contacts-empty",
    "contacts",
    "message",
    "message-saved-messages",
    "review",
    "review-not-sent",
    "send-ready",
    "send-confirm",
    "sending",
    "results",
    "history",
    "settings",
    "settings-sending",
    "field-picker",
)


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1024x700") from None
    if width < 200 or height < 200:
        raise argparse.ArgumentTypeError(f"{text!r} is too small for the window")
    return width, height


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=parse_size, default=README_SIZE, help="WIDTHxHEIGHT")
    parser.add_argument("--scheme", choices=("light", "dark"), default="light")
    parser.add_argument("--out", type=Path, default=README_FOLDER, help="folder for the PNGs")
    parser.add_argument("--only", nargs="+", choices=PICTURES, metavar="NAME",
                        help=f"take only these ({', '.join(PICTURES)})")  # fmt: skip
    return parser.parse_args(argv)


def prepare_environment(home: Path, scheme: str) -> None:
    """Point the app at `home`, hold the time of day, and ask for the colour scheme.

    Must run before Qt is imported: the platform theme is chosen when Qt starts."""
    os.environ["TRACKLY_DESKTOP_HOME"] = str(home)
    os.environ.pop("TRACKLY_API_KEY", None)
    # The demo keeps its key in memory; nothing here may reach the operator's keyring.
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    clock = home / "clock"
    clock.write_text(DAYTIME, encoding="utf-8")
    os.environ["TRACKLY_FAKE_CLOCK_FILE"] = str(clock)
    if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if scheme == "dark":
        if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
            raise SystemExit("The dark scheme needs an X server: run under xvfb-run -a.")
        os.environ["QT_QPA_PLATFORMTHEME"] = "gtk3"
        os.environ["GTK_THEME"] = "Adwaita:dark"


def seed_settings(home: Path) -> None:
    """What an operator would have set before these pictures: a price, a saved message."""
    from trackly_desktop.settings import Settings, save_settings

    settings = Settings(
        default_country="US",
        price_per_part=PRICE_PER_PART,
        currency="USD",
        last_message=ORDER_MESSAGE,
        saved_messages=[{"name": "Order ready", "text": ORDER_MESSAGE}],
    )
    save_settings(settings)
    assert (home / "config" / "settings.json").is_file()


def write_outlook_export(folder: Path) -> Path:
    """Two contacts as Outlook.com exports them: 61 columns, most of them empty."""
    path = folder / "outlook contacts.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=OUTLOOK_COM_HEADER)
        writer.writeheader()
        writer.writerows(OUTLOOK_PEOPLE)
    return path


class AllTaken(Exception):  # noqa: N818 - the end of the tour, not an error
    """Every picture asked for is saved: the rest of the tour can be skipped."""


class Camera:
    """Drives the event loop and saves what the window shows."""

    def __init__(self, window, out: Path, wanted: set[str]) -> None:
        self.window = window
        self.out = out
        self.wanted = wanted
        self.taken: list[Path] = []

    def wait_until(self, ready: Callable[[], object], what: str, timeout: float = 60.0) -> None:
        from PySide6.QtCore import QEventLoop
        from PySide6.QtWidgets import QApplication

        deadline = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > deadline:
                raise SystemExit(f"Gave up after {timeout:.0f} s waiting for {what}.")
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.01)

    def settle(self, seconds: float = 0.4) -> None:
        """Let pending layouts, short timers (the preview's) and repaints run."""
        end = time.monotonic() + seconds
        self.wait_until(lambda: time.monotonic() >= end, "the window to settle")

    def take(self, name: str) -> None:
        if name not in self.wanted:
            return
        from PySide6.QtCore import QPoint
        from PySide6.QtGui import QPainter
        from PySide6.QtWidgets import QApplication, QDialog, QMenu

        window = self.window
        picture = window.grab()
        origin = window.geometry().topLeft()
        # Dialogs, then menus, over the window where the operator sees them.
        on_top = [
            w for w in QApplication.topLevelWidgets()
            if w is not window and w.isVisible() and isinstance(w, QDialog | QMenu)
        ]  # fmt: skip
        on_top.sort(key=lambda w: isinstance(w, QMenu))
        painter = QPainter(picture)
        for widget in on_top:
            at = widget.geometry().topLeft() - origin
            painter.drawPixmap(QPoint(at.x(), at.y()), widget.grab())
        painter.end()
        path = self.out / f"{name}.png"
        if not picture.save(str(path), "PNG"):
            raise SystemExit(f"Could not write {path}.")
        self.taken.append(path)
        print(f"{path}  {picture.width()}x{picture.height()}")
        if {p.stem for p in self.taken} >= self.wanted:
            raise AllTaken


@contextmanager
def demo_window(size: tuple[int, int]) -> Iterator[object]:
    from trackly_desktop.ui import application

    launched = application.launch(demo=True)
    window = launched.window
    try:
        window.move(0, 0)
        window.resize(*size)
        window.show()
        yield window
    finally:
        window.close()
        gc.unfreeze()  # the demo's practice server froze the collector's view
        launched.shutdown()


def take_pictures(camera: Camera, outlook_csv: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from trackly_desktop.ui.main_window import MESSAGE, REVIEW, SEND

    window = camera.window
    w = camera.wait_until
    camera.settle()
    camera.take("contacts-empty")

    window.sample_action.trigger()
    w(lambda: window.contacts_step.pages.currentIndex() == 1 and not window.contacts_step.task,
      "the sample contacts")  # fmt: skip
    camera.settle()
    camera.take("contacts")

    window.go_to(MESSAGE)
    step = window.message_step
    w(lambda: ORDER_MESSAGE in step.editor.toPlainText(), "the message")
    camera.settle()
    camera.take("message")

    button = step.saved_button
    button.menu_.popup(button.mapToGlobal(button.rect().bottomLeft()))
    w(button.menu_.isVisible, "the saved messages menu")
    camera.settle()
    camera.take("message-saved-messages")
    button.menu_.hide()

    window.go_to(REVIEW)
    review = window.review_step
    w(lambda: review.rows is not None, "the messages written for Review")
    camera.settle()
    camera.take("review")
    review.tabs.setCurrentIndex(1)
    camera.settle()
    camera.take("review-not-sent")
    review.tabs.setCurrentIndex(0)

    window.go_to(SEND)
    send = window.send_step
    w(send.send_button.isEnabled, "the Send button")
    camera.settle()
    camera.take("send-ready")
    send.send_button.click()
    w(lambda: send.confirm_box is not None and send.confirm_box.isVisible(), "the question")
    camera.settle()
    camera.take("send-confirm")

    send.confirm_send_button.click()
    bar = send.sending.progress_bar
    # Mid-send, with a speed and the time left, while the practice server's lost answer
    # (one batch's, once per send) is checked again.
    progress = send.sending.progress_label
    w(lambda: 0 < bar.value() < bar.maximum() and "left" in progress.text()
      and "Checking again" in progress.text(),
      "the send to be under way and checking a lost answer again", timeout=30)  # fmt: skip
    camera.take("sending")
    w(lambda: send.pages.currentWidget() is send.results and send.results.current is not None,
      "the results", timeout=120)  # fmt: skip
    camera.settle()
    camera.take("results")

    history = window.open_history()
    w(lambda: history.model.rowCount() > 0 and "counting" not in history.story.text(),
      "History")  # fmt: skip
    camera.settle()
    camera.take("history")
    history.close()

    settings = window.open_settings()
    settings.test_button.click()
    w(lambda: not settings.is_busy() and settings.test_result.text(), "Test connection")
    camera.settle()
    camera.take("settings")
    settings.tabs.setCurrentIndex(1)
    camera.settle()
    camera.take("settings-sending")
    settings.reject()
    QApplication.processEvents()

    # Another file: a 61-column Outlook export, and the default message's start.
    window.open_path(outlook_csv)
    w(lambda: window.contacts_step.file_label.text() == outlook_csv.name
      and not window.contacts_step.task, "the Outlook export")  # fmt: skip
    window.go_to(MESSAGE)
    step.use_message("Hi {{first_name|there}}, ")
    camera.settle()
    picker = step.pick_field(None)
    w(picker.isVisible, "the field picker")
    camera.settle()
    camera.take("field-picker")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    wanted = set(args.only or PICTURES)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="trackly-looks-") as folder:
        home = Path(folder) / "home"
        home.mkdir()
        prepare_environment(home, args.scheme)
        seed_settings(home)
        outlook_csv = write_outlook_export(Path(folder))

        from trackly_desktop.ui import theme
        from trackly_desktop.ui.application import create_application

        app = create_application([])
        if (args.scheme == "dark") != theme.is_dark():
            raise SystemExit(
                f"Asked for the {args.scheme} scheme but the window is "
                f"{'dark' if theme.is_dark() else 'light'} (platform {app.platformName()})."
            )
        with demo_window(args.size) as window:
            camera = Camera(window, args.out, wanted)
            with suppress(AllTaken):
                take_pictures(camera, outlook_csv)
        size = "x".join(map(str, args.size))
        pictures = [p.name for p in camera.taken]
        print(json.dumps({"size": size, "scheme": args.scheme,
                          "platform": app.platformName(), "pictures": pictures}))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
