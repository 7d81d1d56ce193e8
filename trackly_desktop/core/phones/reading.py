"""How phonenumbers' `parse` reads a plain value: its country code and national number.

A plain value (see `fastpath.plain_keys`) reaches `parse` as a "+" or not and its
digits; `PlainReader.read` follows `parse` step by step from there, with the same public
metadata (`PhoneMetadata`), the same `re` calls and the same length checks:

1. an international prefix: "+", or the default country's own (011 from the US; not when
   a 0 follows it), then the country code: the first 1-3 digits that are one;
2. otherwise the default country's code written without "+", taken when the rest then
   fits the country's general pattern and the whole does not, or the whole is too long;
3. the national prefix (and any transform rule), kept when stripping it would leave a
   number of an impossible length;
4. parse's own limits: a national number of 2 to 17 digits.

A value "+" refuses (an unknown country code) is read again without its "+", as parse does.
"""

from __future__ import annotations

import re
from functools import cache

from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

from trackly_desktop.core.phones.automaton import first_digits
from trackly_desktop.core.phones.check import TOO_LONG, TOO_SHORT, UNKNOWN_COUNTRY_CODE

# phonenumbers' ValidationResult outcomes of a length check, and parse's limits.
POSSIBLE, LOCAL_ONLY, SHORT, LONG, INVALID_LENGTH = range(5)
_KEEPS_PREFIX = (SHORT, LOCAL_ONLY, INVALID_LENGTH)
_MIN_NSN, _MAX_NSN, _MAX_CODE = 2, 17, 3


class Region:
    """What `parse` reads from one region's metadata, its patterns compiled once."""

    def __init__(self, meta: PhoneMetadata) -> None:
        self.code = meta.country_code
        general = meta.general_desc
        pattern = general.national_number_pattern if general else None
        self.general = re.compile(pattern).fullmatch if pattern else (lambda _text: None)
        self.lengths = tuple(general.possible_length) if general else ()
        self.local_lengths = tuple(general.possible_length_local_only) if general else ()
        self.idd = re.compile(meta.international_prefix or "NonMatch").match
        prefix = meta.national_prefix_for_parsing
        self.national_prefix = re.compile(prefix) if prefix else None
        # The first two digits a national prefix can start a number with (no other does).
        self.prefix_starts = first_digits(prefix, 2)
        self.transform = meta.national_prefix_transform_rule or None

    def length_check(self, size: int) -> int:
        """`_test_number_length` against the general description."""
        lengths = self.lengths
        if size in self.local_lengths:
            return LOCAL_ONLY
        if lengths[0] == size:
            return POSSIBLE
        if lengths[0] > size:
            return SHORT
        if lengths[-1] < size:
            return LONG
        return POSSIBLE if size in lengths[1:] else INVALID_LENGTH

    def strip_national_prefix(self, number: str) -> str:
        """`_maybe_strip_national_prefix_carrier_code`, the number only."""
        match = self.national_prefix.match(number) if self.national_prefix and number else None
        if not match:
            return number
        if not self.transform or match.groups()[-1] is None:
            stripped = number[match.end() :]
        else:
            stripped = self.national_prefix.sub(self.transform, number, count=1)
        if self.general(number) and not self.general(stripped):
            return number
        return stripped


@cache
def region(code: int, name: str) -> Region | None:
    meta = PhoneMetadata.metadata_for_region_or_calling_code(code, name)
    return Region(meta) if meta is not None else None


class PlainReader:
    """`parse(value, country)` for plain values, as (country code, national number)."""

    def __init__(self, country: str) -> None:
        meta = PhoneMetadata.metadata_for_region(country)
        found = Region(meta) if meta is not None else None
        if found is None:
            raise ValueError(f"{country} is not a region phonenumbers knows")
        self.country, self.default = country, found
        self._own = str(found.code)
        self.plus_routes: dict[str, tuple | None] = {}
        # Digits no international prefix, own country code or national prefix starts: a
        # value starting with one is read as written, a national number of the country;
        # with one only the international prefix starts, so it is when that does not match.
        others = {self._own[0]} | first_digits(meta.national_prefix_for_parsing)
        self.idd_starts = first_digits(meta.international_prefix) - others
        self.plain_starts = frozenset("0123456789") - others - self.idd_starts

    def _country_code(self, plus: str, digits: str) -> tuple[int, str] | str:
        """`_maybe_extract_country_code`: (code, national), (0, "") for none, or a reason."""
        full = digits
        if not plus:
            idd = self.default.idd(digits)
            if idd is None or digits[idd.end() : idd.end() + 1] == "0":
                return self._own_code(digits) if digits.startswith(self._own) else (0, "")
            full = digits[idd.end() :]
        if len(full) <= _MIN_NSN:
            return TOO_SHORT
        if full[0] != "0":
            for size in range(1, min(len(full), _MAX_CODE) + 1):
                if int(full[:size]) in COUNTRY_CODE_TO_REGION_CODE:
                    return int(full[:size]), full[size:]
        return UNKNOWN_COUNTRY_CODE

    def _own_code(self, full: str) -> tuple[int, str]:
        default = self.default
        national = default.strip_national_prefix(full[len(self._own) :])
        too_long = default.length_check(len(full)) == LONG
        if too_long or (not default.general(full) and default.general(national)):
            return default.code, national
        return 0, ""

    def read(self, key: str) -> tuple[int, str] | str:
        """(country code, national number) for a value's digits (after "+" if it has one),
        or the reason code parse's refusal maps to."""
        default = self.default
        if key[0] != "+":
            if default.idd(key) is None and not key.startswith(self._own):
                return self._national(default.code, key, default)  # the common case, quickly
            plus, digits = "", key
        else:
            route = self.plus_route(key) if len(key) > 3 else None
            if route:  # the country code is decided by the first three digits
                return self._national(route[0], key[route[1] :], route[3])
            plus, digits = "+", key[1:]
        found = self._country_code(plus, digits)
        if found == UNKNOWN_COUNTRY_CODE and plus:
            found = self._country_code("", digits)  # parse tries again without the "+"
            if found == (0, ""):
                return UNKNOWN_COUNTRY_CODE
        if isinstance(found, str):
            return found
        code, national = found
        if not code:
            return self._national(default.code, digits, default)
        main = COUNTRY_CODE_TO_REGION_CODE[code][0]
        return self._national(
            code, national, default if main == self.country else region(code, main)
        )

    def plus_route(self, key: str) -> tuple[int, int, frozenset[str], Region | None] | None:
        """For "+" and 3 digits or more: (country code, where its national number starts,
        the first two digits a national prefix may start with, its main region), or None."""
        head = key[1:4]
        route = self.plus_routes.get(head, False)
        if route is False:
            found = self._country_code("+", head)
            route = None
            if not isinstance(found, str):
                code, rest = found
                main = COUNTRY_CODE_TO_REGION_CODE[code][0]
                where = self.default if main == self.country else region(code, main)
                route = code, 4 - len(rest), where.prefix_starts if where else frozenset(), where
            self.plus_routes[head] = route
        return route  # type: ignore[return-value]

    @staticmethod
    def _national(code: int, national: str, where: Region | None) -> tuple[int, str] | str:
        """The national prefix stripped where parse strips it, and parse's length limits."""
        if len(national) < _MIN_NSN:
            return TOO_SHORT
        if where is not None and national[:2] in where.prefix_starts:
            stripped = where.strip_national_prefix(national)
            if where.length_check(len(stripped)) not in _KEEPS_PREFIX:
                national = stripped
        if len(national) < _MIN_NSN:
            return TOO_SHORT
        if len(national) > _MAX_NSN:
            return TOO_LONG
        return code, national
