"""Recipients: every row checked and rendered, column by column.

A million rows must fit in the memory budget, so `Recipients` holds parallel columns
(lists and numpy arrays), never one object per row. Row `i` is the i-th kept row of the
table; `row_numbers[i]` is the row the operator sees in the file.

Status of a row:
- `invalid`: its phone has a reason (see phones), or its body does (over 1,600 characters;
  empty although there is a template; a value used in the message contains `{{`/`}}`,
  which the server would read as a macro);
- `duplicate`: its number is the same E.164 as an earlier row that gets the message;
- `excluded`: the person may not be texted: reason `do_not_text` (the number is on the
  lasting do-not-text list) or `no_consent` (the consent column says no, or says nothing
  in an opt-in column unless the operator includes those rows; a number refused in any
  row is excluded in every row); never sent, never retried, counted apart from the rows
  that need attention. A consent cell that is neither yes nor no makes the row `invalid`
  (`consent_unreadable`): shown, never guessed;
- `ready` otherwise (a `landline` warning does not block).

Order: a bad number first (nothing to look up), then the do-not-text list, then consent,
then the body, then duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from itertools import compress, repeat
from operator import not_
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from trackly_desktop.contract import MAX_BODY_CHARS
from trackly_desktop.core.collector import collector_paused
from trackly_desktop.core.contacts.consent import CONSENT_UNREADABLE, NOT_RECORDED
from trackly_desktop.core.contacts.mapping import PLACE_ROLES
from trackly_desktop.core.contacts.name_split import with_split_names
from trackly_desktop.core.contacts.names import full_names
from trackly_desktop.core.contacts.phone_columns import google_type_column
from trackly_desktop.core.errors import MappingError
from trackly_desktop.core.messages.segments import measure_bodies
from trackly_desktop.core.messages.templates import (
    ROLE_FIELDS,
    Template,
    field_columns,
    parse_template,
)
from trackly_desktop.core.phones.check import DUPLICATE, check_phone
from trackly_desktop.core.phones.country_guess import (
    CHOSEN,
    INFERRED,
    CountryReading,
    flag_two_readings,
    read_country,
)
from trackly_desktop.core.progress import CancelToken, ProgressCallback, no_progress
from trackly_desktop.core.recipients.audience import EXCLUDED, WhoMayBeTexted
from trackly_desktop.core.recipients.phone_choice import NO_COLUMN, PhoneChoice, choose_phones
from trackly_desktop.core.recipients.reasons import (
    BODY_TOO_LONG,
    DO_NOT_TEXT,
    EMPTY_BODY,
    NO_CONSENT,
    TEMPLATE_VALUE_HAS_BRACES,
)

if TYPE_CHECKING:
    from trackly_desktop.core.contacts.mapping import ColumnMapping
    from trackly_desktop.core.reading.table import Table

READY, INVALID = "ready", "invalid"
STATUSES = (READY, INVALID, DUPLICATE, EXCLUDED)
# A row's status from its reason: any other reason makes it invalid.
_STATUS_OF_REASON = {None: READY, DUPLICATE: DUPLICATE, DO_NOT_TEXT: EXCLUDED, NO_CONSENT: EXCLUDED}
_CHUNK = 8192


class ContactSources(NamedTuple):
    """Where each part of a row's `contact_data` comes from: the mapped name and time-zone
    columns (None when unmapped) and every unmapped column as (header, values)."""

    first_name: list[str] | None
    last_name: list[str] | None
    timezone: list[str] | None
    custom: list[tuple[str, list[str]]]


@dataclass(frozen=True, slots=True)
class RecipientSummary:
    rows: int
    ready: int
    invalid: int
    duplicate: int
    segments: int  # message parts of the ready rows: what the campaign costs
    excluded: int = 0  # may not be texted (no consent, do-not-text list)


class Recipients(WhoMayBeTexted):
    """The checked rows of one table under one mapping, template and country."""

    def __init__(
        self,
        table: Table,
        mapping: ColumnMapping,
        template: Template,
        country: str,
        columns: dict[str, list[str]],
        *,
        do_not_text: Set[str] = frozenset(),
        include_unrecorded: bool = False,
        reading: CountryReading | None = None,
    ) -> None:
        self.table = table
        self.mapping = mapping
        self.template = template
        self.country = country
        # How numbers without a + code are read: the country, and whether the operator
        # chose it, it was inferred from the numbers, or it is the default.
        self.reading = reading or CountryReading(country, CHOSEN, country)
        self._columns = columns  # header -> values, shared with the table's strings
        # Columns the operator chose to hand to Trackly with each contact. None by default:
        # the app renders every field itself, and the provider needs only the names and
        # the time zone (a test file's "ssn" and "medical_notes" once went along).
        self.shared_columns: tuple[str, ...] = ()
        # The columns and roles bodies are rendered from (first/last split from a full name).
        self._render_columns, self._roles = with_split_names(columns, mapping.as_dict())
        self.row_numbers: np.ndarray = np.asarray(table.row_numbers, dtype=np.int64)
        self.input_phone: list[str] = columns[mapping.phone]
        self.choice: PhoneChoice | None = None
        n = len(self.input_phone)
        self.phone: list[str | None] = [None] * n
        self.warning: list[str | None] = [None] * n
        self._phone_reason: list[str | None] = [None] * n
        self._body_reason: list[str | None] = [None] * n
        self.reason: list[str | None] = [None] * n
        self.status: list[str] = [INVALID] * n
        self.body: list[str] = [""] * n
        self.encoding: list[str] = [""] * n
        self.segments: np.ndarray = np.zeros(n, dtype=np.int16)
        self._read_consent(columns, do_not_text, include_unrecorded)

    def __len__(self) -> int:
        return len(self.input_phone)

    # -- building ---------------------------------------------------------------------

    def _role_column(self, role: str) -> list[str] | None:
        header = self._roles.get(role)
        return self._render_columns[header] if header else None

    def _check_phones(self, progress: ProgressCallback, cancel: CancelToken | None) -> None:
        headers = list(self.mapping.phone_columns)
        types = {
            k: self._columns[t]
            for k, h in enumerate(headers)
            if (t := google_type_column(h, self.table.columns)) is not None
        }
        choice = choose_phones(
            headers, [self._columns[h] for h in headers], self.country,
            types=types, progress=progress, cancel=cancel,
        )  # fmt: skip
        self.choice = choice
        self.input_phone = choice.input_phone
        self.phone, self._phone_reason, self.warning = choice.e164, choice.reason, choice.warning
        if self.reading.source == INFERRED:
            flag_two_readings(self.input_phone, self.phone, self._phone_reason, self.reading)

    def phone_column(self, i: int) -> str | None:
        """The header of the column row i's number (or its problem) was read from."""
        return self.choice.header(i) if self.choice is not None else self.mapping.phone

    def phone_note(self, i: int) -> str:
        """ "Home number used: no mobile number in this row", or "" for a first choice."""
        return self.choice.note(i) if self.choice is not None else ""

    def note(self, i: int) -> str:
        """Why row i needs attention (see WhoMayBeTexted.note), after which number it got."""
        said = super().note(i)
        moved = self.phone_note(i)
        return f"{moved} {said}" if moved and said else moved or said

    def _render(self, progress: ProgressCallback, cancel: CancelToken | None) -> None:
        n = len(self)
        roles = self._roles
        columns = field_columns(self._render_columns, roles)
        used_keys = [k for k in self.template.fields_used if k in columns]
        bodies: list[str] = []
        encodings: list[str] = []
        parts: list[np.ndarray] = []
        body_reason: list[str | None] = [None] * n
        has_template = bool(self.template.text.strip())
        for start, stop in _chunks(n):
            if cancel is not None:
                cancel.raise_if_cancelled()
            values = {k: columns[k][start:stop] for k in used_keys}
            # The one rendering path (see templates): the preview uses it too.
            chunk = self.template.render_rows(self._render_columns, roles, start, stop)
            chunk_encodings, chunk_parts, lengths = measure_bodies(chunk)
            for offset in np.flatnonzero(lengths > MAX_BODY_CHARS).tolist():
                body_reason[start + offset] = BODY_TOO_LONG
            spaces = np.fromiter(map(str.isspace, chunk), dtype=bool, count=len(chunk))
            for offset in np.flatnonzero((lengths == 0) | spaces).tolist():
                # Nothing to send, no parts; a problem only when there is a template.
                chunk_parts[offset] = 0
                body_reason[start + offset] = EMPTY_BODY if has_template else None
            encodings.extend(chunk_encodings)
            parts.append(chunk_parts)
            bodies.extend(chunk)
            for column in values.values():
                joined = "\x00".join(column)  # one scan finds whether any value needs a look
                if "{{" not in joined and "}}" not in joined:
                    continue
                for offset, value in enumerate(column, start):
                    if "{{" in value or "}}" in value:
                        body_reason[offset] = TEMPLATE_VALUE_HAS_BRACES
            progress(stop, n, "Writing messages")
        if n == 0:
            progress(0, 0, "Writing messages")
        self.body, self.encoding, self._body_reason = bodies, encodings, body_reason
        self.segments = np.concatenate(parts).astype(np.int16) if parts else np.zeros(0, np.int16)

    def _set_status(self, rows: Sequence[int] | None = None) -> None:
        """Status and reason of `rows` (ascending; None: every row), column by column.

        A row with a number stays open unless a rule refuses it; an open row whose number
        an earlier open row has is a duplicate; each status follows from the reason. Only
        lists with a do-not-text number, a consent column or a body problem look at each
        open row in Python: the rest runs in C loops (a million rows).
        """
        picked = (lambda column: column) if rows is None else (lambda c: [c[i] for i in rows])
        phones, reasons = picked(self.phone), list(picked(self._phone_reason))
        open_rows = list(compress(range(len(phones)), map(not_, reasons)))
        consent, bodies = picked(self.consent), picked(self._body_reason)
        if self.do_not_text or self._refused or self.consent_column is not None or any(bodies):
            for k in open_rows:
                reasons[k] = self._refusal(phones[k], consent[k], bodies[k])
            open_rows = [k for k in open_rows if reasons[k] is None]
        seen: set[str] = set()
        add = seen.add  # returns None: a number not seen before is no duplicate
        for k in [k for k in open_rows if phones[k] in seen or add(phones[k])]:
            reasons[k] = DUPLICATE
        status = list(map(_STATUS_OF_REASON.get, reasons, repeat(INVALID)))
        if rows is None:
            self.status, self.reason = status, reasons
            return
        for k, i in enumerate(rows):
            self.status[i], self.reason[i] = status[k], reasons[k]

    def _refusal(self, e164: str, said: str | None, body_reason: str | None) -> str | None:
        """Why a row whose number can be texted is not sent (None: it may be)."""
        if e164 in self.do_not_text:
            return DO_NOT_TEXT
        if e164 in self._refused or (said == NOT_RECORDED and not self.include_unrecorded):
            return NO_CONSENT
        return CONSENT_UNREADABLE if said == CONSENT_UNREADABLE else body_reason

    # -- reading ----------------------------------------------------------------------

    def summary(self) -> RecipientSummary:
        statuses = self.status
        ready = statuses.count(READY)
        invalid = statuses.count(INVALID)
        duplicate = statuses.count(DUPLICATE)
        excluded = statuses.count(EXCLUDED)
        parts = int(self.segments[self._ready_mask()].sum()) if len(self) else 0
        return RecipientSummary(len(self), ready, invalid, duplicate, parts, excluded)

    def _ready_mask(self) -> np.ndarray:
        return np.fromiter((s == READY for s in self.status), dtype=bool, count=len(self))

    def ready_indices(self) -> list[int]:
        return [i for i, s in enumerate(self.status) if s == READY]

    def attention_indices(self) -> list[int]:
        """Rows that are not ready, carry a warning or were sent to another column's number,
        for "rows that need attention" (excluded rows are counted apart: see
        `excluded_indices`)."""
        moved = self.moved_rows()
        return [
            i
            for i, s in enumerate(self.status)
            if s != EXCLUDED and (s != READY or self.warning[i] is not None or i in moved)
        ]

    def name_columns(self) -> list[list[str]]:
        """The first- and last-name columns (split from a full name where mapped so)."""
        return [c for c in map(self._role_column, ("first_name", "last_name")) if c is not None]

    def moved_rows(self) -> set[int]:
        """Rows whose number is not their first choice (another column, or cell number)."""
        choice = self.choice
        if choice is None or (len(choice.headers) == 1 and not choice.part.any()):
            return set()
        first = choice.first if choice.first is not None else 0
        moved = (choice.column != first) | (choice.part != 0)
        moved &= choice.column != NO_COLUMN
        return set(np.flatnonzero(moved).tolist())

    def contact_sources(self) -> ContactSources:
        """The columns `contact_data` is read from (the same for every row)."""
        # A state or postal-code column places the row (quiet hours) and stays a field.
        roles = self.mapping.as_dict()
        mapped = {h for r, h in roles.items() if r not in PLACE_ROLES}
        mapped |= set(self.mapping.other_phones)
        shared = set(self.shared_columns)
        return ContactSources(
            first_name=self._role_column("first_name"),
            last_name=self._role_column("last_name"),
            timezone=self._role_column("timezone"),
            custom=[
                (h, values)
                for h, values in self._columns.items()
                if h in shared and h not in mapped
            ],
        )

    def share_columns(self, headers: Sequence[str]) -> None:
        """Send these columns to Trackly as each contact's custom fields (the operator's
        choice); MappingError names a header the file does not have."""
        missing = [h for h in headers if h not in self._columns]
        if missing:
            raise MappingError(
                f"There is no column “{missing[0]}” to share; the columns are: "
                + ", ".join(self._columns)
                + "."
            )
        self.shared_columns = tuple(dict.fromkeys(headers))

    def shared_with_trackly(self) -> str:
        """What Trackly receives for each person, in words (for the confirmation)."""
        sources = self.contact_sources()
        parts = ["the phone number", "the message"]
        for label, column in (
            ("first name", sources.first_name),
            ("last name", sources.last_name),
            ("time zone", sources.timezone),
        ):
            if column is not None:
                parts.append(label)
        columns = [h for h, _values in sources.custom]
        extra = (
            "and the columns " + ", ".join(f"“{h}”" for h in columns)
            if columns
            else "and no other column"
        )
        return f"Trackly receives for each person: {', '.join(parts)}, {extra}."

    def contact_data(self, i: int, sources: ContactSources | None = None) -> dict[str, Any]:
        """The API's `contact_data` for row i: names, timezone and the shared columns.

        Pass `sources` (from `contact_sources()`) when reading many rows, so the mapping
        is not looked up again for each.
        """
        first, last, zone, custom = sources or self.contact_sources()
        data: dict[str, Any] = {
            "first_name": first[i] if first is not None else "",
            "last_name": last[i] if last is not None else "",
            "custom_fields": {h: values[i] for h, values in custom},
        }
        if zone is not None and zone[i].strip():
            data["timezone"] = zone[i].strip()
        return data

    def display_name(self, i: int) -> str:
        """ "Ada Lovelace", or the number as typed, or "Row 12" when both are empty."""
        return self.display_names([i])[0]

    def display_names(self, indices: Iterable[int]) -> list[str]:
        """`display_name` of each row in `indices`, with the role columns looked up once."""
        indices = list(indices)
        columns = [c for c in map(self._role_column, ROLE_FIELDS) if c is not None]
        # Column by column (a million-row campaign calls this once per chunk of rows).
        names = full_names([[column[i] for i in indices] for column in columns], len(indices))
        for k, name in enumerate(names):
            if not name:
                i = indices[k]
                names[k] = self.input_phone[i].strip() or f"Row {int(self.row_numbers[i])}"
        return names

    # -- changing ---------------------------------------------------------------------

    def update_phone(self, i: int, new_text: str) -> None:
        """The operator fixed row i's number: re-check it and the rows that shared a number."""
        old = self.phone[i]
        check = check_phone(new_text, self.country)
        if any(self.input_phone is c for c in self._columns.values()):
            self.input_phone = list(self.input_phone)  # never edit the table's own column
            if self.choice is not None:
                self.choice.input_phone = self.input_phone
        self.input_phone[i] = new_text
        self.phone[i], self._phone_reason[i], self.warning[i] = (
            check.e164,
            check.reason,
            check.warning,
        )
        numbers = {n for n in (old, check.e164) if n is not None}
        affected = [j for j, p in enumerate(self.phone) if p in numbers] if numbers else []
        refused_before = self._refused
        self._find_refused()
        if self._refused != refused_before:  # a "no" moved to another number
            self._set_status()
            return
        self._set_status(sorted(set(affected) | {i}))

    def update_template(
        self,
        template_text: str,
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> None:
        """Re-render every body for a new template; the phone checks are kept."""
        self.template = parse_template(template_text, list(self._columns))
        with collector_paused():
            self._render(progress, cancel)
            self._set_status()

    def parts_with_message(self, template_text: str) -> int:
        """Message parts of the ready rows were the message `template_text` instead (the
        same fields): what plain characters would cost, before anyone chooses them."""
        template = parse_template(template_text, list(self._columns))
        ready = self._ready_mask()
        total = 0
        for start, stop in _chunks(len(self)):
            chunk = template.render_rows(self._render_columns, self._roles, start, stop)
            total += int(measure_bodies(chunk)[1][ready[start:stop]].sum())
        return total


def _chunks(n: int) -> Iterator[tuple[int, int]]:
    """(start, stop) of the chunks the bulk steps work in: 8,192 rows, or 1% of a long list
    (a progress step each)."""
    step = max(_CHUNK, n // 100)
    return ((start, min(n, start + step)) for start in range(0, n, step))


def build_recipients(
    table: Table,
    mapping: ColumnMapping,
    template_text: str,
    country: str,
    *,
    do_not_text: Set[str] = frozenset(),
    include_unrecorded: bool = False,
    country_source: str = CHOSEN,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> Recipients:
    """Check every number and render every body; raise MappingError/TemplateError if unusable.

    `do_not_text`: the numbers (E.164) on the do-not-text list; `include_unrecorded`: text
    the rows whose opt-in consent cell is empty.
    With `country_source` DEFAULT (nobody chose `country` for this file), the numbers may
    show that the file is another country's (see `country_guess`): that country is used.
    """
    mapping.validate(table.columns)
    template = parse_template(template_text, table.columns)
    columns = {name: table.column_values(name) for name in table.columns}
    reading = read_country(
        [columns[h] for h in mapping.phone_columns], country.upper(), country_source
    )
    recipients = Recipients(
        table,
        mapping,
        template,
        reading.country,
        columns,
        do_not_text=do_not_text,
        include_unrecorded=include_unrecorded,
        reading=reading,
    )
    with collector_paused():
        recipients._check_phones(progress, cancel)
        recipients._render(progress, cancel)
        recipients._find_refused()
        recipients._set_status()
    return recipients
