"""Saved messages on the Message step: a menu to reuse one, save the current text, and a
dialog to rename, delete, export and import them. The rules live in core.messages.saved;
the list itself is kept in the settings (saved with them)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.core.messages import saved
from trackly_desktop.core.messages.saved import STARTERS, SavedMessage
from trackly_desktop.ui.error_presenter import show_error
from trackly_desktop.ui.session import Session

FILE_FILTER = "Saved messages (*.json)"


def _preview(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


class SavedMessagesButton(QPushButton):
    """ "Saved messages ▾": pick one to put in the editor, or save the current one."""

    chosen = Signal(str)  # the text to put in the editor

    def __init__(self, session: Session, current_text, parent: QWidget | None = None) -> None:
        super().__init__("Sa&ved messages", parent)
        self.setObjectName("savedMessagesButton")
        self.setAccessibleName("Saved messages")
        self.setToolTip("Reuse a message you saved, or save this one for next time.")
        self.session = session
        self._current_text = current_text
        self.menu_ = QMenu(self)
        self.menu_.setObjectName("savedMessagesMenu")
        self.menu_.aboutToShow.connect(self._fill)
        self.setMenu(self.menu_)
        self._fill()

    def messages(self) -> list[SavedMessage]:
        return saved.from_dicts(self.session.settings.saved_messages)

    def set_messages(self, messages: list[SavedMessage]) -> None:
        self.session.settings.saved_messages = saved.to_dicts(messages)
        self.session.save_settings_in_background()

    def _fill(self) -> None:
        menu = self.menu_
        menu.clear()
        mine = self.messages()
        if mine:
            menu.addSection("Your messages")
            for message in mine:
                self._add_choice(message)
        menu.addSection("Starters")
        for message in STARTERS:
            self._add_choice(message)
        menu.addSeparator()
        save_action = menu.addAction("&Save this message…")
        save_action.setObjectName("saveMessageAction")
        save_action.triggered.connect(self.ask_to_save)
        manage = menu.addAction("&Manage saved messages…")
        manage.triggered.connect(self.open_manager)

    def _add_choice(self, message: SavedMessage) -> None:
        action = self.menu_.addAction(message.name.replace("&", "&&"))
        action.setToolTip(message.text)
        action.setData(message.name)
        action.triggered.connect(lambda _c=False, t=message.text: self.chosen.emit(t))

    def ask_to_save(self) -> None:
        text = self._current_text()
        name, ok = QInputDialog.getText(
            self, "Save this message", "Name for this message (e.g. “Order ready”):"
        )
        if ok:
            self.save_as(name, text)

    def save_as(self, name: str, text: str) -> bool:
        """Save `text` as `name` (asking before replacing another of that name)."""
        mine = self.messages()
        try:
            cleaned = saved.clean_name(name)
            if any(m.name.casefold() == cleaned.casefold() for m in mine) and not self.confirm(
                f"Replace the saved message “{cleaned}” with this one?"
            ):
                return False
            self.set_messages(saved.save(mine, cleaned, text))
        except TracklyDesktopError as exc:
            show_error(self, "Save this message", exc)
            return False
        return True

    def confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, "Saved messages", question)
        return answer == QMessageBox.StandardButton.Yes

    def open_manager(self) -> QDialog:
        dialog = ManageSavedDialog(self, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog


class ManageSavedDialog(QDialog):
    """Rename, delete, export and import saved messages."""

    def __init__(self, owner: SavedMessagesButton, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("manageSavedMessages")
        self.setWindowTitle("Saved messages")
        self.owner = owner
        self.list = QListWidget()
        self.list.setObjectName("savedMessagesList")
        self.list.setAccessibleName("Your saved messages")
        self.text_label = QLabel()
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setObjectName("savedMessageText")
        self.rename_button = QPushButton("&Rename…")
        self.delete_button = QPushButton("&Delete")
        self.export_button = QPushButton("&Export…")
        self.export_button.setToolTip("Save all your messages in a small file, to use elsewhere")
        self.import_button = QPushButton("&Import…")
        self.import_button.setToolTip("Add the messages from a file exported by Trackly Desktop")
        self.status = QLabel()
        self.status.setObjectName("savedStatus")
        self.status.setWordWrap(True)
        side = QVBoxLayout()
        for button in (self.rename_button, self.delete_button, self.export_button,
                       self.import_button):  # fmt: skip
            button.setAutoDefault(False)
            side.addWidget(button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(side)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(self.text_label)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.rename_button.clicked.connect(self.ask_rename)
        self.delete_button.clicked.connect(self.delete_selected)
        self.export_button.clicked.connect(self.ask_export)
        self.import_button.clicked.connect(self.ask_import)
        self.list.currentItemChanged.connect(lambda *_a: self._selection_changed())
        self.resize(560, 360)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        self.list.clear()
        for message in self.owner.messages():
            item = QListWidgetItem(message.name)
            item.setToolTip(message.text)
            self.list.addItem(item)
            if message.name == select:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._selection_changed()

    def selected_name(self) -> str | None:
        item = self.list.currentItem()
        return item.text() if item is not None else None

    def _selection_changed(self) -> None:
        name = self.selected_name()
        text = next((m.text for m in self.owner.messages() if m.name == name), "")
        self.text_label.setText(_preview(text, 300) if name else "No saved messages yet.")
        self.rename_button.setEnabled(name is not None)
        self.delete_button.setEnabled(name is not None)
        self.export_button.setEnabled(self.list.count() > 0)

    def ask_rename(self) -> None:
        old = self.selected_name()
        if old is None:
            return
        new, ok = QInputDialog.getText(self, "Rename", "New name:", text=old)
        if ok:
            self.rename(old, new)

    def rename(self, old: str, new: str) -> None:
        try:
            messages = saved.rename(self.owner.messages(), old, new)
        except TracklyDesktopError as exc:
            self.status.setText(str(exc))
            return
        self.owner.set_messages(messages)
        self.reload(select=saved.clean_name(new))
        self.status.setText("")

    def delete_selected(self) -> None:
        name = self.selected_name()
        if name is None or not self.owner.confirm(f"Delete the saved message “{name}”?"):
            return
        self.owner.set_messages(saved.delete(self.owner.messages(), name))
        self.reload()
        self.status.setText(f"“{name}” deleted.")

    def ask_export(self) -> None:
        start = Path.home() / "trackly-messages.json"
        path, _f = QFileDialog.getSaveFileName(self, "Export saved messages", str(start),
                                               FILE_FILTER)  # fmt: skip
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        try:
            saved.export_file(self.owner.messages(), path)
        except TracklyDesktopError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(f"Saved {len(self.owner.messages()):,} messages to {path}.")

    def ask_import(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, "Import saved messages", str(Path.home()),
                                               FILE_FILTER)  # fmt: skip
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        try:
            messages, added = saved.merge(self.owner.messages(), saved.import_file(path))
        except TracklyDesktopError as exc:
            self.status.setText(str(exc))
            return
        self.owner.set_messages(messages)
        self.reload()
        word = "message" if added == 1 else "messages"
        self.status.setText(f"Added {added:,} {word} from {path.name}.")
