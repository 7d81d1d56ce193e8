"""Saved messages: named texts the operator reuses, the starters, and the small export file.

A saved message is {"name": ..., "text": ...}; its fields are the `{{...}}` in its text, so
a message saved for one spreadsheet works on the next one with the same columns. The list
lives in the settings (settings.saved_messages); these functions only change lists and
read and write the export file, which is a small JSON document:

    {"trackly_saved_messages": 1, "messages": [{"name": "...", "text": "..."}, ...]}
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from trackly_desktop.core.errors import TracklyDesktopError

FILE_FORMAT = "trackly_saved_messages"
FILE_VERSION = 1
MAX_NAME = 80
MAX_FILE_BYTES = 1_000_000  # a list of texts; anything larger is not one of ours


@dataclass(frozen=True, slots=True)
class SavedMessage:
    name: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "text": self.text}


# Ready-made messages a newcomer can start from; they cannot be renamed or deleted.
STARTERS: tuple[SavedMessage, ...] = (
    SavedMessage(
        "Appointment reminder",
        "Hi {{first_name|there}}, this is a reminder of your appointment tomorrow. "
        "Reply C to confirm or call us to change it. Reply STOP to opt out.",
    ),
    SavedMessage(
        "Order ready",
        "Hi {{first_name|there}}, your order is ready to collect. "
        "See you soon! Reply STOP to opt out.",
    ),
    SavedMessage(
        "Special offer",
        "Hi {{first_name|there}}, this week only: 20% off everything in store. "
        "Show this text at the till. Reply STOP to opt out.",
    ),
)


def from_dicts(items: list[dict[str, str]]) -> list[SavedMessage]:
    return [SavedMessage(item["name"], item["text"]) for item in items]


def to_dicts(messages: list[SavedMessage]) -> list[dict[str, str]]:
    return [m.as_dict() for m in messages]


def clean_name(name: str) -> str:
    """The name as stored; one plain sentence when it cannot be one."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise TracklyDesktopError("Give the message a name, for example “Order ready”.")
    if len(cleaned) > MAX_NAME:
        raise TracklyDesktopError(f"Keep the name under {MAX_NAME} characters.")
    return cleaned


def _index(messages: list[SavedMessage], name: str) -> int:
    key = name.casefold()
    return next((i for i, m in enumerate(messages) if m.name.casefold() == key), -1)


def save(messages: list[SavedMessage], name: str, text: str) -> list[SavedMessage]:
    """`messages` with `text` saved under `name` (an existing message of that name replaced)."""
    name = clean_name(name)
    if not text.strip():
        raise TracklyDesktopError("There is no message to save yet: type it first.")
    out = list(messages)
    found = _index(out, name)
    if found >= 0:
        out[found] = SavedMessage(name, text)
    else:
        out.append(SavedMessage(name, text))
    return out


def rename(messages: list[SavedMessage], old: str, new: str) -> list[SavedMessage]:
    new = clean_name(new)
    found = _index(messages, old)
    if found < 0:
        raise TracklyDesktopError(f"There is no saved message called “{old}”.")
    clash = _index(messages, new)
    if clash >= 0 and clash != found:
        existing = messages[clash].name
        raise TracklyDesktopError(f"There is already a saved message called “{existing}”.")
    out = list(messages)
    out[found] = SavedMessage(new, out[found].text)
    return out


def delete(messages: list[SavedMessage], name: str) -> list[SavedMessage]:
    return [m for m in messages if m.name.casefold() != name.casefold()]


def export_file(messages: list[SavedMessage], path: Path) -> Path:
    """Write the messages to `path` (whole or not at all)."""
    data = {FILE_FORMAT: FILE_VERSION, "messages": to_dicts(messages)}
    text = json.dumps(data, ensure_ascii=False, indent=2)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".messages-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise TracklyDesktopError(
            f"Could not save the messages to “{path}” ({exc.strerror or type(exc).__name__})."
        ) from None
    return path


def import_file(path: Path) -> list[SavedMessage]:
    """The messages in an exported file; one plain sentence when it is not one."""
    not_ours = TracklyDesktopError(
        f"“{path.name}” is not a saved-messages file exported by Trackly Desktop."
    )
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise not_ours
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise TracklyDesktopError(f"The file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError, ValueError):
        raise not_ours from None
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise not_ours
    if not isinstance(data.get(FILE_FORMAT), int) or data[FILE_FORMAT] > FILE_VERSION:
        raise not_ours
    out: list[SavedMessage] = []
    for item in data["messages"]:
        if not isinstance(item, dict):
            continue
        name, text = item.get("name"), item.get("text")
        if isinstance(name, str) and isinstance(text, str) and name.strip() and text.strip():
            out = save(out, name[:MAX_NAME], text)
    return out


def merge(mine: list[SavedMessage], imported: list[SavedMessage]) -> tuple[list[SavedMessage], int]:
    """Add the imported messages; a name already used gets " (imported)". Returns (list, added)."""
    out = list(mine)
    added = 0
    for message in imported:
        name = message.name
        existing = _index(out, name)
        if existing >= 0 and out[existing].text == message.text:
            continue  # the same message imported twice
        if existing >= 0:
            name = clean_name(f"{name} (imported)"[:MAX_NAME])
        out = save(out, name, message.text)
        added += 1
    return out, added
