"""Phone numbers: from whatever the operator typed to E.164, with a reason when we can't.

The verdict for a value is phonenumbers' own (`parse` with the default country, then
`is_valid_number` and `format_number(E164)`), plus three rules of ours on top:

- Excel damage first: a value in scientific notation ("1.41555E+10") or a long number with
  a decimal part ("4155551234.5") has lost digits; it is flagged, never converted. A numeric
  cell's harmless ".0" ("4155551234.0") is dropped before parsing.
- A number with an extension cannot receive texts: `has_extension`.
- A valid fixed-line number gets the non-blocking warning `landline`.
- The international prefix 00 (ITU's standard one, used across Europe and much of the world)
  is understood whatever the default country: where phonenumbers rejects a value written
  as "00 44 7911 123456" (the US dials 011, so it reads 00 as part of the number) but
  accepts the same number written "+44 7911 123456", the value gets the verdict of the
  "+" form. The rule only turns a rejection into the number the person wrote; it never
  changes a number phonenumbers accepts as written.

`columns.check_phones` gives the same verdict for every value as `check_phone`, only faster: see
`fastpath` for how, and tests/unit/test_phones_differential.py for the proof.
"""

from __future__ import annotations

import contextlib
import locale
import os
import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat, PhoneNumberType
from phonenumbers import ValidationResult as _Possible

# Reason codes: stable strings, stored in the journal and printed by `trackly check --json`.
MISSING = "missing"
NOT_A_NUMBER = "not_a_number"
TOO_SHORT = "too_short"
TOO_LONG = "too_long"
INVALID_FOR_COUNTRY = "invalid_for_country"
UNKNOWN_COUNTRY_CODE = "unknown_country_code"
EXCEL_DAMAGE = "excel_damage"
HAS_EXTENSION = "has_extension"
DUPLICATE = "duplicate"
# Warning code: the row stays ready.
LANDLINE = "landline"

PHONE_REASONS = (
    MISSING,
    NOT_A_NUMBER,
    TOO_SHORT,
    TOO_LONG,
    INVALID_FOR_COUNTRY,
    UNKNOWN_COUNTRY_CODE,
    EXCEL_DAMAGE,
    HAS_EXTENSION,
    DUPLICATE,
)

FALLBACK_COUNTRY = "US"


@dataclass(frozen=True, slots=True)
class PhoneCheck:
    """The verdict on one value: E.164 when it can be texted, else a reason code."""

    e164: str | None
    reason: str | None
    warning: str | None = None

    @property
    def ok(self) -> bool:
        return self.e164 is not None


def default_country_from_locale() -> str:
    """The ISO country of the system locale ("en_GB" -> "GB"), "US" when it names none."""
    candidates = [os.environ.get(name, "") for name in ("LC_ALL", "LC_CTYPE", "LANG")]
    with contextlib.suppress(ValueError):  # an unparsable locale: fall back, never fail
        candidates.append(locale.getlocale()[0] or "")
    for name in candidates:
        match = re.match(r"^[A-Za-z]{2,3}[_-]([A-Za-z]{2})\b", name)
        if match:
            # "en_UK" is a common misspelling of en_GB; "UK" is no ISO region.
            country = {"UK": "GB"}.get(match.group(1).upper(), match.group(1).upper())
            if phonenumbers.country_code_for_region(country):
                return country
    return FALLBACK_COUNTRY


# Scientific notation, as Excel shows a long number ("1.41555E+10", "4,479E+11").
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d*)?[eE][+-]?\d+")
# A long number with a decimal part ("4155551234.5"); ".0"-only fractions are harmless.
_DECIMAL = re.compile(r"(\d{6,})[.,](\d+)")
_TRIVIAL_FRACTION = re.compile(r"(\d+)\.0+")


def excel_precheck(value: str) -> tuple[str | None, str | None]:
    """Apply the Excel rules: (text to parse, None) or (None, reason code)."""
    text = value.strip()
    if text.startswith("'"):  # Excel's "this is text" marker
        text = text[1:].strip()
    if not text:
        return None, MISSING
    if _SCIENTIFIC.fullmatch(text):
        return None, EXCEL_DAMAGE
    trivial = _TRIVIAL_FRACTION.fullmatch(text)
    if trivial:
        return trivial.group(1), None
    if _DECIMAL.fullmatch(text):
        return None, EXCEL_DAMAGE
    return value, None


_PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: UNKNOWN_COUNTRY_CODE,
    NumberParseException.NOT_A_NUMBER: NOT_A_NUMBER,
    NumberParseException.TOO_SHORT_AFTER_IDD: TOO_SHORT,
    NumberParseException.TOO_SHORT_NSN: TOO_SHORT,
    NumberParseException.TOO_LONG: TOO_LONG,
}

_IMPOSSIBLE = {
    _Possible.INVALID_COUNTRY_CODE: UNKNOWN_COUNTRY_CODE,
    _Possible.TOO_SHORT: TOO_SHORT,
    # Right length for a local call only: the area code is missing.
    _Possible.IS_POSSIBLE_LOCAL_ONLY: TOO_SHORT,
    _Possible.TOO_LONG: TOO_LONG,
    _Possible.INVALID_LENGTH: INVALID_FOR_COUNTRY,
    _Possible.IS_POSSIBLE: INVALID_FOR_COUNTRY,
}

_MISSING_CHECK = PhoneCheck(None, MISSING)
_DAMAGED_CHECK = PhoneCheck(None, EXCEL_DAMAGE)


def phonenumbers_verdict(text: str, country: str) -> PhoneCheck:
    """phonenumbers' own verdict on `text` (no Excel rules): the reference for the fast path."""
    return parse_verdict(text, country)[0]


def parse_verdict(text: str, country: str) -> tuple[PhoneCheck, PhoneNumber | None]:
    """phonenumbers' verdict on `text`, with the parsed number (None when it did not parse)."""
    try:
        number = phonenumbers.parse(text, country)
    except NumberParseException as exc:
        return PhoneCheck(None, _PARSE_ERRORS.get(exc.error_type, NOT_A_NUMBER)), None
    return number_verdict(number), number


def number_verdict(number: PhoneNumber) -> PhoneCheck:
    """phonenumbers' verdict on a parsed number."""
    if number.extension:
        return PhoneCheck(None, HAS_EXTENSION)
    if not phonenumbers.is_valid_number(number):
        possible = phonenumbers.is_possible_number_with_reason(number)
        return PhoneCheck(None, _IMPOSSIBLE.get(possible, INVALID_FOR_COUNTRY))
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    kind = phonenumbers.number_type(number)
    return PhoneCheck(e164, None, LANDLINE if kind == PhoneNumberType.FIXED_LINE else None)


# "00" before the country code, after any opening punctuation; digits may be full-width.
_LEADING_00 = re.compile(r"[\s'(\[]*0[\s.\-/]*0(?P<rest>[\s.\-/(]*[1-9].*)", re.DOTALL)


def international_00_reading(value: str) -> str | None:
    """The value with a leading international prefix 00 written as "+", or None."""
    match = _LEADING_00.fullmatch(
        value if value.isascii() else unicodedata.normalize("NFKC", value)
    )
    return "+" + match.group("rest").strip() if match else None


def with_00_prefix_rule(value: str, country: str, verdict: PhoneCheck) -> PhoneCheck:
    """`verdict`, or the "+" reading's verdict where only that one is a valid number."""
    if verdict.e164 is not None or verdict.reason in (MISSING, EXCEL_DAMAGE, HAS_EXTENSION):
        return verdict
    plus_form = international_00_reading(value)
    if plus_form is None:
        return verdict
    reading = phonenumbers_verdict(plus_form, country)
    return reading if reading.e164 is not None else verdict


def check_phone(value: str, country: str) -> PhoneCheck:
    """The verdict on one value typed in `country` (ISO alpha-2, e.g. "US")."""
    text, reason = excel_precheck(value)
    if reason == MISSING:
        return _MISSING_CHECK
    if reason == EXCEL_DAMAGE:
        return _DAMAGED_CHECK
    country = country.upper()
    return with_00_prefix_rule(text, country, phonenumbers_verdict(text, country))
