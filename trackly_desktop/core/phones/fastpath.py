"""The fast way to give a million values exactly phonenumbers' verdict.

One full phonenumbers check costs ~50 µs here, so a million rows would take close to a
minute. Most values are plain: digits with spaces, dashes, dots or brackets, maybe a
leading "+" or apostrophe, full-width digits. phonenumbers reads those by their digits
alone, and decides with regular expressions from its metadata, so (see `phone_tail`):

1. How a value is read (country code, where the national number starts) depends only on
   its first few digits: one parse per (leading "+"?, digit count, first digits) is
   remembered as a route, shared by "(415) 555-1234", "415.555.1234", "+1 415 …".
2. The verdict on a national number (valid? landline?) cannot depend on its last few
   digits when every pattern alternative that could apply ends in that many "any digit"
   positions: one check per (country code, length, head) serves every number with that
   head, each getting its own digits at the end of the E.164.

Anything else (letters, extensions, other symbols, values nothing could be proven for)
goes the full way, remembered per value. tests/unit/test_phones_differential.py compares
the result with phonenumbers' own on over a million generated values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache

import phonenumbers
from phonenumbers import (
    NumberParseException,
    PhoneMetadata,
    PhoneNumber,
    PhoneNumberFormat,
    PhoneNumberType,
)

from trackly_desktop.core.phones.check import (
    EXCEL_DAMAGE,
    HAS_EXTENSION,
    LANDLINE,
    MISSING,
    PHONE_REASONS,
    PhoneCheck,
    check_phone,
    excel_precheck,
    number_verdict,
    phonenumbers_verdict,
    with_00_prefix_rule,
)
from trackly_desktop.core.phones.tail import TailRules, tail_rules_for
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

# Two of phonenumbers' own helpers: the type check both is_valid_number and number_type
# run, and how parse records leading zeros. Without them the public path is used.
try:
    from phonenumbers.phonenumberutil import _number_type_helper
except ImportError:  # pragma: no cover - a future phonenumbers may rename it
    _number_type_helper = None
try:
    from phonenumbers.phonenumberutil import (
        _set_italian_leading_zeros_for_phone_number as _set_leading_zeros,
    )
except ImportError:  # pragma: no cover
    _set_leading_zeros = None
_NON_GEO = phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY

CHUNK = 8192
_MAX_REMEMBERED = 1 << 20
# Verdicts the 00-prefix rule may overturn (see `phones.with_00_prefix_rule`).
_MAY_BE_00_PREFIXED = frozenset(PHONE_REASONS) - {MISSING, EXCEL_DAMAGE, HAS_EXTENSION}


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
TailMatcher = Callable[[str], object] | None


@cache
def _tail_matcher(allowed: tuple[frozenset[str], ...]) -> Callable[[str], object]:
    """A quick test that a tail has, at each position, one of the allowed digits."""
    return re.compile("".join(f"[{''.join(sorted(a))}]" for a in allowed)).fullmatch


def quick_number_verdict(number: PhoneNumber) -> PhoneCheck:
    """`number_verdict` with one region search and one type check instead of two each.

    `is_valid_number` and `number_type` both look up the number's region and run the same
    type check on it; this does that once and, for a valid number, reads both answers off
    it. Anything else (extensions, invalid numbers) goes through `number_verdict` itself.
    """
    return _quick_verdict(number)[0]


def _quick_verdict(number: PhoneNumber) -> tuple[PhoneCheck, str | None]:
    """The verdict and, when it was looked up, the number's region."""
    if _number_type_helper is None or number.extension:
        return number_verdict(number), None
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
                warning = LANDLINE if kind == PhoneNumberType.FIXED_LINE else None
                return PhoneCheck(e164, None, warning), region
    return number_verdict(number), region


class FastChecker:
    """`check_phone` for one country, remembering what it worked out.

    Verdicts are kept as (e164, reason, warning) tuples: a million rows are checked into
    three plain columns without building a million objects.
    """

    def __init__(self, country: str) -> None:
        self.country = country
        self._rules: TailRules = tail_rules_for(country)
        # Values phonenumbers could not parse, or whose reading could not be shared.
        self._by_key: dict[tuple[str, str], Verdict] = {}
        # How values are read: (plus, digit count, first digits) -> (country code, where the
        # national number starts), with the head lengths in use per (plus, digit count).
        self._routes: dict[tuple[str, int, str], tuple[int, int]] = {}
        self._route_heads: dict[tuple[str, int], list[int]] = {}
        # Verdicts on national numbers: tail length -> (code, length, head) -> the verdict and
        # which tails it holds for (None: any); exact ones where no tail could be proven.
        self._by_head: dict[int, dict[tuple[int, int, str], tuple[Verdict, TailMatcher]]] = {}
        self._by_national: dict[tuple[int, str], Verdict] = {}
        self._tails: dict[int, tuple[int, ...]] = {}
        self._no_route: set[tuple[str, int, str]] = set()
        # For benchmarks and tests: values that went through phonenumbers, values that
        # reused a verdict proven for their first digits.
        self.full_checks = 0
        self.shared_hits = 0

    def check(self, value: str) -> PhoneCheck:
        return PhoneCheck(*self.verdict(value))

    def verdict(self, value: str) -> Verdict:
        found = self._phonenumbers_verdict(value)
        if found[0] is None and found[1] in _MAY_BE_00_PREFIXED:
            # Rare (invalid values only): the shared 00-prefix rule of `phones`.
            check = with_00_prefix_rule(value, self.country, PhoneCheck(*found))
            return check.e164, check.reason, check.warning
        return found

    def _phonenumbers_verdict(self, value: str) -> Verdict:
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
                return self._phonenumbers_verdict(text)
        found = self._by_key.get(key)
        if found is not None:
            return found
        length = len(digits)
        route = None
        for head in self._route_heads.get((plus, length), ()):
            route = self._routes.get((plus, length, digits[:head]))
            if route is not None:
                break
        if route is not None:
            code, start = route
            national = digits[start:]
            size = length - start
            for tail in self._tails.get(code, ()):
                if tail < size:
                    entry = self._by_head[tail].get((code, size, national[:-tail]))
                    if entry is not None and (entry[1] is None or entry[1](national[-tail:])):
                        self.shared_hits += 1
                        shared = entry[0]
                        e164 = shared[0]
                        if e164 is None:
                            return shared
                        return e164[:-tail] + national[-tail:], None, shared[2]
            exact = self._by_national.get((code, national))
            if exact is not None:
                return exact
        return self._learn(key, route)

    def _learn(self, key: tuple[str, str], route: tuple[int, int] | None) -> Verdict:
        """Ask phonenumbers about a value, and remember what the answer covers."""
        plus, digits = key
        self.full_checks += 1
        if route is not None and _set_leading_zeros is not None:
            # The route is proven: phonenumbers would read exactly this number; skip parsing.
            number = PhoneNumber(country_code=route[0], national_number=int(digits[route[1] :]))
            _set_leading_zeros(digits[route[1] :], number)
            check, region = _quick_verdict(number)
        else:
            check, number, region = self._parse(plus + digits)
        verdict = (check.e164, check.reason, check.warning)
        if number is None:
            self._remember(key, verdict)
            return verdict
        national = phonenumbers.national_significant_number(number)
        code = number.country_code
        if route is None:
            route = self._prove_route(plus, digits, number)
            if route is None:
                self._remember(key, verdict)
                return verdict
        # Only valid numbers are worth a proof: invalid ones are few and costly to prove.
        tail, allowed = self._rules.national_tail(number, region) if check.ok else (0, None)
        if tail:
            if tail not in self._tails.get(code, ()):
                self._tails[code] = tuple(sorted({*self._tails.get(code, ()), tail}, reverse=True))
            matcher = _tail_matcher(allowed) if allowed is not None else None
            table = self._by_head.setdefault(tail, {})
            table[(code, len(national), national[:-tail])] = (verdict, matcher)
        elif len(self._by_national) < _MAX_REMEMBERED:
            self._by_national[(code, national)] = verdict
        return verdict

    def _remember(self, key: tuple[str, str], verdict: Verdict) -> None:
        if len(self._by_key) < _MAX_REMEMBERED:  # a bound on memory for hostile files
            self._by_key[key] = verdict

    def _prove_route(self, plus: str, digits: str, number: PhoneNumber) -> tuple[int, int] | None:
        length = len(digits)
        shortest = (plus, length, digits[:3])
        if shortest in self._no_route:
            return None  # proving failed for values starting like this: don't pay again
        head = self._rules.route_head(plus, digits, number)
        if not head:
            if len(self._no_route) < _MAX_REMEMBERED:
                self._no_route.add(shortest)
            return None
        national = phonenumbers.national_significant_number(number)
        route = (number.country_code, length - len(national))
        self._routes[(plus, length, digits[:head])] = route
        heads = self._route_heads.setdefault((plus, length), [])
        if head not in heads:
            heads.append(head)
            heads.sort()
        return route

    def _parse(self, text: str) -> tuple[PhoneCheck, PhoneNumber | None, str | None]:
        try:
            number = phonenumbers.parse(text, self.country)
        except NumberParseException:
            return phonenumbers_verdict(text, self.country), None, None
        check, region = _quick_verdict(number)
        return check, number, region

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
