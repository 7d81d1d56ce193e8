"""Which columns are the phone numbers, the first name, the last name, the time zone and
the consent.

`suggest_mapping` reads the header names first (many spellings and languages, see
`header_words`) and, when no header names a phone column, samples the content: the
column where most values parse as phone numbers wins. The phone role takes every phone
column in the order to try them (`phone` first, then `other_phones`; see
`phone_columns`). A single full-name column ("Name", "Customer Name") with no last-name
column is the `full_name` role: first and last name are split from it (`name_split`).
The consent column and whether it records an opt-in or an opt-out are found by
`contacts.consent`. Every column not given a role is a custom field under its own
header. A confirmed mapping is remembered for the next file with the same headers
(`remembered_mappings`).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from trackly_desktop.core.contacts.consent import (
    OPT_IN,
    POLARITIES,
    ConsentColumn,
    describe_column,
    find_consent_column,
    header_polarity,
)
from trackly_desktop.core.contacts.phone_columns import (
    is_mobile_label,
    never_a_phone,
    ordered_phone_columns,
)
from trackly_desktop.core.errors import MappingError
from trackly_desktop.core.reading.header_words import (
    CONTAINED_KEYS,
    WEAK_FIRST_NAME,
    WEAK_PHONE_KEYS,
    exact_rank,
    header_key,
    phone_word_rank,
)

if TYPE_CHECKING:  # Table pulls in pandas; the window imports this module at start-up
    from trackly_desktop.core.reading.table import Table

# state and postal_code place a row for quiet hours (core.audience); like every column they
# also stay custom fields of the message.
ROLES = (
    "phone", "first_name", "last_name", "timezone", "state", "postal_code", "consent",
    "full_name",
)  # fmt: skip
PLACE_ROLES = ("state", "postal_code")  # mapped, and still custom fields
# The roles found through header_words (consent has its own rules).
_ALIAS_ROLES = ("first_name", "last_name", "timezone", "state", "postal_code")
# column name -> a sample of its non-empty values (stripped), for content-based guesses
ColumnSampler = Callable[[str], list[str]]
ROLE_LABELS = {
    "phone": "Phone number",
    "first_name": "First name",
    "last_name": "Last name",
    "timezone": "Time zone",
    "state": "State or province",
    "postal_code": "ZIP or postal code",
    "consent": "Consent to texts",
    "full_name": "Full name",
}

_CONTENT_SAMPLE = 200
# A column counts as the phone column by content when at least this share of its
# non-empty sampled values parse as possible phone numbers.
_CONTENT_MIN_SHARE = 0.6
# Values that hold digits but are not phone numbers: e-mail addresses, ISO or slashed
# dates, amounts with cents or a currency sign, Excel's text marker before a long ID.
# Written like a phone number: digits with the separators people type, maybe a + or 00.
_PHONE_SHAPED = re.compile(r"\+?[\d\s().\-/]{7,24}")
_NOT_A_PHONE_VALUE = re.compile(
    r"@|^\d{4}-\d{2}-\d{2}|^\d{1,2}/\d{1,2}/\d{2,4}$|[$€£¥]|\.\d{2}$|^'\d{11,}$"
)


@dataclass(frozen=True)
class ColumnMapping:
    """Role -> header name; None when the role is not mapped.

    `consent_polarity` says how the consent column reads (OPT_IN or OPT_OUT); None means
    as its header says (an opt-in column when the header does not say).
    """

    phone: str | None
    first_name: str | None = None
    last_name: str | None = None
    timezone: str | None = None
    state: str | None = None
    postal_code: str | None = None
    consent: str | None = None
    consent_polarity: str | None = None
    # The full name to split when first_name / last_name have no column of their own.
    full_name: str | None = None
    # Further phone columns, tried in this order when `phone` has no usable number.
    other_phones: tuple[str, ...] = ()

    @property
    def phone_columns(self) -> tuple[str, ...]:
        """Every phone column in the order to try them."""
        return ((self.phone,) if self.phone else ()) + self.other_phones

    @property
    def consent_column(self) -> ConsentColumn | None:
        """The consent column with its polarity, or None when no column is mapped."""
        if not self.consent:
            return None
        polarity = self.consent_polarity or header_polarity(self.consent) or OPT_IN
        return ConsentColumn(self.consent, polarity)

    def consent_words(self) -> str:
        """What the app understood about consent, in one sentence."""
        column = self.consent_column
        if column is None:
            return "No consent column: every row with a good number is texted."
        return describe_column(column)

    def with_consent_polarity(self, polarity: str | None) -> ColumnMapping:
        if polarity is not None and polarity not in POLARITIES:
            raise MappingError(f"“{polarity}” is not opt_in or opt_out.")
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["consent_polarity"] = polarity
        return ColumnMapping(**values)

    def as_dict(self) -> dict[str, str]:
        """Only the mapped roles, role -> header (the first phone column for "phone")."""
        return {role: header for role in ROLES if (header := getattr(self, role)) is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnMapping:
        """From role -> header; "phone" may be a list of headers in the order to try them."""
        unknown = set(data) - set(ROLES)
        if unknown:
            raise MappingError(f"“{sorted(unknown)[0]}” is not a column role.")
        values = {role: data.get(role) or None for role in ROLES}
        phones = values["phone"]
        if isinstance(phones, (list, tuple)):
            ordered = [p for p in phones if p]
            values["phone"] = ordered[0] if ordered else None
            return cls(**values, other_phones=tuple(ordered[1:]))
        return cls(**values)

    def with_phones(self, headers: list[str]) -> ColumnMapping:
        """A copy whose phone columns are `headers`, in that order."""
        ordered = list(dict.fromkeys(h for h in headers if h))
        values = {r: getattr(self, r) for r in ROLES if getattr(self, r) not in ordered}
        values["phone"] = ordered[0] if ordered else None
        return ColumnMapping(
            **values, other_phones=tuple(ordered[1:]), consent_polarity=self.consent_polarity
        )

    def custom_fields(self, columns: list[str]) -> list[str]:
        """The columns with no role (or a place role), in file order: each is a custom field
        under its header."""
        used = {h for role, h in self.as_dict().items() if role not in PLACE_ROLES}
        used |= set(self.other_phones)
        return [c for c in columns if c not in used]

    def validate(self, columns: list[str]) -> None:
        """Raise MappingError unless the phone is mapped and every mapped header exists."""
        if not self.phone:
            raise MappingError("Choose which column holds the phone numbers.")
        present = set(columns)
        seen: dict[str, str] = {}
        pairs = list(self.as_dict().items()) + [("phone", h) for h in self.other_phones]
        for role, header in pairs:
            if header not in present:
                raise MappingError(
                    f"The column “{header}” chosen as {ROLE_LABELS[role].lower()} "
                    "is not in this file."
                )
            if header in seen:
                raise MappingError(
                    f"The column “{header}” is chosen as both {ROLE_LABELS[seen[header]].lower()}"
                    f" and {ROLE_LABELS[role].lower()}: choose a different column for one."
                )
            seen[header] = role

    def with_role(self, role: str, header: str | None) -> ColumnMapping:
        """A copy with `role` set to `header` (None clears it), freeing that header elsewhere."""
        if role not in ROLES:
            raise MappingError(f"“{role}” is not a column role.")
        values = {
            r: (None if header is not None and h == header else h)
            for r, h in ((f.name, getattr(self, f.name)) for f in fields(self))
            if r in ROLES
        }
        values[role] = header
        others = tuple(h for h in self.other_phones if h != header and h != values["phone"])
        if role in ("first_name", "last_name") and header is not None:
            values["full_name"] = None  # a column of its own wins over splitting
        # A new consent column is read as its header says, unless told otherwise again.
        keep = self.consent_polarity if values["consent"] == self.consent else None
        return ColumnMapping(**values, consent_polarity=keep, other_phones=others)


def suggest_mapping(table: Table) -> ColumnMapping:
    """A first guess: header names first, then the content for the phone column."""
    return suggest_from_headers(table.columns, sample=_sampler(table))


def suggest_from_headers(columns: list[str], sample: ColumnSampler | None = None) -> ColumnMapping:
    """The mapping the header names suggest; `sample(column)` lets content pick the phone."""
    chosen: dict[str, str] = {}
    phone = _best_header("phone", columns, set())
    named = ordered_phone_columns(columns)
    if named and phone not in named:
        phone = named[0]  # "Phonetic First Name" starts like "phone"; "Phone 1 - Value" is one
    if phone is not None and sample is not None and _weak_phone_header(phone):
        # "Number" or "Home Phone" may hold something else: let the content overrule it
        # when another column clearly holds phone numbers and this one does not.
        by_content = _phone_by_content([c for c in columns if not _names_another_role(c)], sample)
        if by_content is not None:
            phone = by_content
    if phone is None and sample is not None:
        # Any column whose header does not clearly name another role may hold the phones
        # ("Contact", "Who", "B" in a file without headers).
        clearly_other = {c for c in columns if _names_another_role(c)}
        phone = _phone_by_content([c for c in columns if c not in clearly_other], sample)
    phones = _ordered_phones(columns, phone, sample)
    taken = set(phones)
    for role in _ALIAS_ROLES:
        header = _best_header(role, columns, taken)
        if header is not None:
            chosen[role] = header
            taken.add(header)
    first = chosen.get("first_name")
    if first is not None and "last_name" not in chosen and _is_full_name_header(first):
        # "Name" / "Customer Name" alone: split it, "Hi Maria" not "Hi Maria Gonzalez".
        chosen["full_name"] = chosen.pop("first_name")
    consent = find_consent_column(columns, sample, taken)
    return ColumnMapping(
        **{role: chosen.get(role) for role in ROLES if role not in ("consent", "phone")},
        phone=phones[0] if phones else None,
        other_phones=tuple(phones[1:]),
        consent=consent.header if consent else None,
        # Stated only when the header does not say it (a column found by its content).
        consent_polarity=consent.polarity if consent and consent.found_by != "header" else None,
    )


def _is_full_name_header(header: str) -> bool:
    return header_key(header) in WEAK_FIRST_NAME and header_key(header) not in (
        "customer",
        "contact",
    )


def _ordered_phones(
    columns: list[str], phone: str | None, sample: ColumnSampler | None
) -> list[str]:
    """`phone` (the column the headers or the content chose) and the other phone columns."""
    if phone is None:
        return []

    def mostly_mobile(type_column: str) -> bool:
        values = sample(type_column) if sample is not None else []
        return bool(values) and sum(map(is_mobile_label, values)) * 2 > len(values)

    ordered = ordered_phone_columns(columns, mostly_mobile)
    if phone not in ordered:
        return [phone]  # found by content ("Contact", "B"): the only one
    return ordered


def _weak_phone_header(header: str) -> bool:
    rank = _rank("phone", header)
    return rank is not None and (rank >= 900 or header_key(header) in WEAK_PHONE_KEYS)


def _names_another_role(header: str) -> bool:
    if header_polarity(header) is not None:
        return True
    ranks = [_rank(role, header) for role in _ALIAS_ROLES]
    return any(rank is not None and rank < 100 for rank in ranks)


def _best_header(role: str, columns: list[str], taken: set[str]) -> str | None:
    best: tuple[int, int] | None = None
    best_header = None
    for position, header in enumerate(columns):
        if header in taken:
            continue
        if not header_key(header):
            continue
        rank = _rank(role, header)
        if rank is None:
            continue
        score = (rank, position)
        if best is None or score < best:
            best, best_header = score, header
    return best_header


def _rank(role: str, header: str) -> int | None:
    key = header_key(header)
    exact = exact_rank(role, key)
    if exact is not None:
        if role == "first_name" and key in WEAK_FIRST_NAME:
            return 500 + exact
        return exact
    if role == "phone":
        return phone_word_rank(header)
    for index, word in enumerate(CONTAINED_KEYS[role]):
        if word in key:
            return 100 + index
    return None


def _sampler(table: Table) -> ColumnSampler:
    def sample(column: str) -> list[str]:
        values = table.frame[column].head(_CONTENT_SAMPLE * 5).tolist()
        return [v.strip() for v in values if v.strip()][:_CONTENT_SAMPLE]

    return sample


def _phone_by_content(columns: list[str], sample: ColumnSampler) -> str | None:
    import phonenumbers  # noqa: PLC0415 - heavy, and only needed when headers say nothing

    best_share, best_column = 0.0, None
    for column in columns:
        if never_a_phone(column):
            continue  # "Customer ID", "Zip", "Total Spent", "Email": digits, not phones
        values = sample(column)
        if not values:
            continue
        hits = 0
        for value in values:
            digits = sum(ch.isdigit() for ch in value)
            if not 7 <= digits <= 17 or _NOT_A_PHONE_VALUE.search(value):
                continue
            if _PHONE_SHAPED.fullmatch(value) and digits <= 15:
                hits += 1  # "8 (912) 345-67-89": a number somewhere, whatever the country
                continue
            with contextlib.suppress(phonenumbers.NumberParseException):
                number = phonenumbers.parse(value, "US")
                if phonenumbers.is_possible_number(number):
                    hits += 1
        share = hits / len(values)
        if share > best_share:
            best_share, best_column = share, column
    return best_column if best_share >= _CONTENT_MIN_SHARE else None
