"""The contacts table's display strings, built column by column off the GUI thread.

`ContactRows.build` turns the checked recipients into display columns in one pass (in a
worker thread, so a million rows cost the GUI nothing); the Qt model only indexes lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trackly_desktop.core.contacts.names import full_names
from trackly_desktop.core.recipients.reasons import describe

STATUS_WORDS = {
    "ready": "Ready",
    "invalid": "Needs attention",
    "duplicate": "Duplicate",
    "excluded": "Won't be texted",
}
# Reasons whose words name the consent column or the cell (see Recipients.note).
_WHO_MAY_BE_TEXTED = frozenset({"no_consent", "do_not_text", "consent_unreadable"})


def note_for(reason: str | None, warning: str | None, cache: dict[Any, str]) -> str:
    key = (reason, warning)
    text = cache.get(key)
    if text is None:
        text = describe(reason) if reason else describe(warning)
        cache[key] = text
    return text


def row_note(recipients: Any, i: int, cache: dict[Any, str]) -> str:
    """Row i's words: "Said no to texts (column Accepts SMS Marketing)", "On your
    do-not-text list", or the sentence for its reason or warning."""
    reason = recipients.reason[i]
    if reason not in _WHO_MAY_BE_TEXTED:
        return note_for(reason, recipients.warning[i], cache)
    if reason == "consent_unreadable":
        return recipients.note(i)  # shows the cell as written
    key = (reason, recipients.consent[i], "who")
    text = cache.get(key)
    if text is None:
        text = cache[key] = recipients.note(i)
    return text


@dataclass
class ContactRows:
    """Display strings for every recipient, column by column."""

    row: list[str]
    name: list[str]
    status: list[str]
    note: list[str]
    counts: dict[str, int]  # status -> rows, kept up to date as phones are fixed

    @classmethod
    def build(cls, recipients: Any) -> ContactRows:
        count = len(recipients)
        names = full_names(recipients.name_columns(), count)
        cache: dict[Any, str] = {}
        pairs = zip(recipients.reason, recipients.warning, strict=True)
        notes = [note_for(r, w, cache) for r, w in pairs]
        for i, reason in enumerate(recipients.reason):
            if reason in _WHO_MAY_BE_TEXTED:
                notes[i] = row_note(recipients, i, cache)
        for i in recipients.moved_rows():  # "Home number used: no mobile number in this row"
            notes[i] = " ".join(filter(None, (recipients.phone_note(i), notes[i])))
        status = list(recipients.status)
        return cls(
            row=[str(n) for n in recipients.row_numbers.tolist()],
            name=names,
            status=status,
            note=notes,
            counts={word: status.count(word) for word in STATUS_WORDS},
        )
