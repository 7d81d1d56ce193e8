"""Who in the checked rows may be texted: the consent column and the do-not-text list.

Mixed into `Recipients` (see `build` for how a row's status is decided): the consent
verdict of every row, the numbers a consent cell refused, and the words and counts the
window and the command line show for the rows left out.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Any

from trackly_desktop.core.contacts.consent import (
    CONSENT_UNREADABLE,
    NOT_RECORDED,
    OPT_OUT,
    ConsentColumn,
    verdicts,
)
from trackly_desktop.core.recipients.reasons import DO_NOT_TEXT, NO_CONSENT, describe

EXCLUDED = "excluded"  # the row status of a person who may not be texted


class WhoMayBeTexted:
    mapping: Any
    phone: list[str | None]
    status: list[str]
    reason: list[str | None]
    warning: list[str | None]

    def _set_status(self, rows: Any = None) -> None:
        raise NotImplementedError  # in Recipients

    def __len__(self) -> int:
        raise NotImplementedError  # in Recipients

    def _read_consent(
        self, columns: dict[str, list[str]], do_not_text: Set[str], include_unrecorded: bool
    ) -> None:
        self.do_not_text: Set[str] = do_not_text  # E.164 numbers never to text
        self.include_unrecorded = include_unrecorded  # empty opt-in cells are texted
        column: ConsentColumn | None = self.mapping.consent_column
        self.consent_column = column
        self.consent_value: list[str] | None = columns[column.header] if column else None
        self.consent: list[str | None] = (
            verdicts(self.consent_value, column.polarity)
            if column and self.consent_value is not None
            else [None] * len(self.phone)
        )
        self._refused: set[str] = set()  # numbers a consent cell said no to

    def _find_refused(self) -> None:
        phone, consent = self.phone, self.consent
        self._refused = (
            {p for p, c in zip(phone, consent, strict=True) if c == NO_CONSENT and p is not None}
            if self.consent_column is not None
            else set()
        )

    def excluded_indices(self) -> list[int]:
        return [i for i, s in enumerate(self.status) if s == EXCLUDED]

    def exclusion_counts(self) -> dict[str, int]:
        """Excluded rows by reason, for "12 will not be texted: 9 said no, 3 on your list"."""
        counts = {NO_CONSENT: 0, DO_NOT_TEXT: 0}
        for status, reason in zip(self.status, self.reason, strict=True):
            if status == EXCLUDED and reason in counts:
                counts[reason] += 1
        return counts

    def unrecorded_count(self) -> int:
        """Rows left out only because their opt-in cell is empty (what "include" would add)."""
        return sum(
            1
            for i, c in enumerate(self.consent)
            if c == NOT_RECORDED
            and (self.status[i] == EXCLUDED or self.include_unrecorded)
            and self.reason[i] != DO_NOT_TEXT
        )

    def note(self, i: int) -> str:
        """Why row i is excluded or needs attention, naming the consent column; "" if ready."""
        reason = self.reason[i]
        column = self.consent_column
        if reason == NO_CONSENT and column is not None:
            if self.consent[i] == NOT_RECORDED:
                return f"No consent to texts recorded (column {column.header})"
            if self.consent[i] == NO_CONSENT:
                said = "Opted out of texts" if column.polarity == OPT_OUT else "Said no to texts"
                return f"{said} (column {column.header})"
            return f"Said no to texts in another row with this number (column {column.header})"
        if reason == CONSENT_UNREADABLE and column is not None and self.consent_value:
            return (
                f"The consent cell reads “{self.consent_value[i].strip()}” (column "
                f"{column.header}): write yes or no there."
            )
        if reason == DO_NOT_TEXT:
            return "On your do-not-text list"
        return describe(reason or self.warning[i])

    def set_do_not_text(self, numbers: Set[str]) -> None:
        """The do-not-text list changed: statuses follow."""
        self.do_not_text = numbers
        self._set_status()

    def set_include_unrecorded(self, include: bool) -> None:
        """Text (or not) the rows whose opt-in cell is empty."""
        self.include_unrecorded = include
        self._set_status()
