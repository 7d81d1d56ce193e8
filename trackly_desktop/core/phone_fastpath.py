"""The fast way to give a million values exactly phonenumbers' verdict.

One full phonenumbers check costs ~50 µs here, so a million rows would take close to a
minute. Most values are plain: digits with spaces, dashes, dots or brackets, maybe a
leading "+", "00" or apostrophe. For those phonenumbers' verdict depends only on the key
(leading "+"?, the digits), so each key is checked once on its canonical text and
remembered. Anything else (letters, extensions, other symbols) goes the full way.

Keys shared by many numbers: phonenumbers decides with regular expressions from its own
metadata. `tail_rules` proves, by reading those expressions, how many trailing digits no
decision can look at (e.g. the last 4 of a US number); numbers differing only there get the
same verdict with their own digits, so one check serves a whole block of numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import phonenumbers
from phonenumbers import (
    NumberParseException,
    PhoneMetadata,
    PhoneNumber,
    PhoneNumberFormat,
    PhoneNumberType,
)

from trackly_desktop.core.phone_tail import TailRules, tail_rules_for
from trackly_desktop.core.phones import (
    LANDLINE,
    PhoneCheck,
    check_phone,
    excel_precheck,
    number_verdict,
    phonenumbers_verdict,
)
from trackly_desktop.core.progress import CancelToken, ProgressCallback, no_progress

# Full-width digits and plus, as Japanese/Chinese input methods type them: phonenumbers
# reads them as ASCII, so the key does too.
_WIDE = {0xFF10 + d: 0x30 + d for d in range(10)} | {0xFF0B: ord("+")}
# Plain values: optional apostrophe, optional brackets, at most one leading "+", then only
# digits and the separators people type. phonenumbers reads these as their digits alone.
_PLAIN = re.compile(r"[ \u00a0]*'?[ \u00a0(]*(\+?)[0-9 \u00a0\-.()]*")
_SEPARATORS = str.maketrans("", "", " \u00a0'-.()+")
# Short digit strings depend on punctuation in phonenumbers ("12" vs "1 2"); longer inputs
# hit a length limit on the raw text. Outside these bounds we go the full way.
_MIN_DIGITS = 3
_MAX_TEXT = 64
_ASCII_DIGITS = frozenset("0123456789")

try:  # the type check both public functions share; without it, the public path is used
    from phonenumbers.phonenumberutil import _number_type_helper
except ImportError:  # pragma: no cover - a future phonenumbers may rename it
    _number_type_helper = None
_NON_GEO = phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY

CHUNK = 8192
_MAX_REMEMBERED = 1 << 20


def plain_key(value: str) -> tuple[str, str] | None:
    """("+" or "", digits) for a plain value, None for anything else."""
    if len(value) > _MAX_TEXT:
        return None
    if not value.isascii():
        value = value.translate(_WIDE)
    digits = value.translate(_SEPARATORS)
    if not (digits.isascii() and digits.isdigit()) or len(digits) < _MIN_DIGITS:
        return None
    if "+" not in value and "'" not in value:
        return "", digits  # only digits and separators: no need for the full pattern
    match = _PLAIN.fullmatch(value)
    return (match.group(1), digits) if match else None


Verdict = tuple[str | None, str | None, str | None]  # (e164, reason, warning)


def quick_number_verdict(number: PhoneNumber) -> PhoneCheck:
    """`number_verdict` with one region search and one type check instead of two each.

    `is_valid_number` and `number_type` both look up the number's region and run the same
    type check on it; this does that once and, for a valid number, reads both answers off
    it. Anything else (extensions, invalid numbers) goes through `number_verdict` itself.
    """
    if _number_type_helper is None or number.extension:
        return number_verdict(number)
    region = phonenumbers.region_code_for_number(number)
    if region is not None:
        code = number.country_code
        meta = PhoneMetadata.metadata_for_region_or_calling_code(code, region.upper())
        same_code = region == _NON_GEO or code == phonenumbers.country_code_for_valid_region(region)
        if meta is not None and same_code:
            nsn = phonenumbers.national_significant_number(number)
            kind = _number_type_helper(nsn, meta)
            if kind != PhoneNumberType.UNKNOWN:
                e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
                return PhoneCheck(
                    e164, None, LANDLINE if kind == PhoneNumberType.FIXED_LINE else None
                )
    return number_verdict(number)


class FastChecker:
    """`check_phone` for one country, remembering what it worked out.

    Verdicts are kept as (e164, reason, warning) tuples: a million rows are checked into
    three plain columns without building a million objects.
    """

    def __init__(self, country: str) -> None:
        self.country = country
        self._by_key: dict[tuple[str, str], Verdict] = {}
        self._tails: TailRules = tail_rules_for(country)
        self._no_proof: set[tuple[str, int, str]] = set()
        self._tail_lengths = self._tails.candidates
        # tail length -> (plus, length, head digits) -> the verdict for any tail.
        self._by_head: dict[int, dict[tuple[str, int, str], Verdict]] = {
            tail: {} for tail in self._tail_lengths
        }
        # For benchmarks and tests: values that went through phonenumbers, values that
        # reused a verdict proven for their first digits.
        self.full_checks = 0
        self.shared_hits = 0

    def check(self, value: str) -> PhoneCheck:
        return PhoneCheck(*self.verdict(value))

    def verdict(self, value: str) -> Verdict:
        key = plain_key(value)
        if key is None:
            check = check_phone(value, self.country)
            return check.e164, check.reason, check.warning
        plus, digits = key
        if "." in value:
            # A plain value with a dot may be a decimal Excel made of a number: its rules first.
            text, reason = excel_precheck(value)
            if reason is not None:
                return None, reason, None
            if text != value:  # a numeric cell's ".0", dropped
                return self.verdict(text)
        found = self._by_key.get(key)
        if found is not None:
            return found
        length = len(digits)
        for tail in self._tail_lengths:
            if tail < length:
                shared = self._by_head[tail].get((plus, length, digits[:-tail]))
                if shared is not None:
                    self.shared_hits += 1
                    e164 = shared[0]
                    if e164 is None:
                        return shared
                    return e164[:-tail] + digits[-tail:], None, shared[2]
        self.full_checks += 1
        check, number = self._parse(plus + digits)
        verdict = (check.e164, check.reason, check.warning)
        tail = 0
        shortest = self._tail_lengths[-1] if self._tail_lengths else 0
        hopeless = (plus, length, digits[:-shortest]) if 0 < shortest < length else None
        if number is not None and hopeless and hopeless not in self._no_proof:
            tail = self._tails.longest_tail(plus, digits, number)
            if not tail and len(self._no_proof) < _MAX_REMEMBERED:
                # Skipping the proof is always safe: it only means remembering per value.
                self._no_proof.add(hopeless)
        if tail:
            self._by_head[tail][(plus, length, digits[:-tail])] = verdict
        else:
            self._by_key[key] = verdict
        return verdict

    def _parse(self, text: str) -> tuple[PhoneCheck, PhoneNumber | None]:
        try:
            number = phonenumbers.parse(text, self.country)
        except NumberParseException:
            return phonenumbers_verdict(text, self.country), None
        return quick_number_verdict(number), number

    def check_columns(
        self,
        values: Sequence[str],
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> tuple[list[str | None], list[str | None], list[str | None]]:
        """(E.164s, reasons, warnings) for every value, in order."""
        total = len(values)
        step = max(CHUNK, total // 100)
        e164s: list[str | None] = []
        reasons: list[str | None] = []
        warnings: list[str | None] = []
        verdict = self.verdict
        for start in range(0, total, step):
            if cancel is not None:
                cancel.raise_if_cancelled()
            chunk = [verdict(v) for v in values[start : start + step]]
            if chunk:
                e164, reason, warning = zip(*chunk, strict=True)
                e164s.extend(e164)
                reasons.extend(reason)
                warnings.extend(warning)
            progress(min(start + step, total), total, "Checking numbers")
        if total == 0:
            progress(0, 0, "Checking numbers")
        return e164s, reasons, warnings

    def check_all(
        self,
        values: Sequence[str],
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> list[PhoneCheck]:
        columns = self.check_columns(values, progress=progress, cancel=cancel)
        return [PhoneCheck(*v) for v in zip(*columns, strict=True)]
