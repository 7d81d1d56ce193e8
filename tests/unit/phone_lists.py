"""The four kinds of customer list the phone benchmark and the differential proof use.

- local: a shop's list, a handful of area codes (the San Francisco Bay Area);
- national: numbers over every NANP area code and random exchanges, ~5% mistyped
  (a digit dropped, doubled or swapped), ~3% repeated;
- international: 15 countries' mobile and fixed-line numbers, written as E.164, in the
  international format (with +), with 00, and in their national format (no +);
- random: random 10-digit values (about two thirds of them invalid as US numbers).

Every list is read with the default country US. Values are written the ways people type
them: brackets, dashes, dots, spaces, a leading 1 or +1, Excel's apostrophe, full-width
digits, no-break spaces.
"""

from __future__ import annotations

import random
from functools import cache

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

LIST_KINDS = ("local", "national", "international", "random")
COUNTRY = "US"
LOCAL_AREA_CODES = ("415", "510", "650", "408", "925")
INTERNATIONAL = (
    "US", "CA", "GB", "DE", "FR", "MX", "IN", "AU", "BR", "IT", "JP", "ES", "NL", "CN", "ZA",
)  # fmt: skip
_WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


@cache
def nanp_area_codes() -> tuple[str, ...]:
    """Area codes phonenumbers accepts under +1 (US, Canada, the Caribbean)."""
    found = []
    for area in range(200, 1000):
        for exchange in ("234", "555", "456", "789", "312", "621"):
            if phonenumbers.is_valid_number(phonenumbers.parse(f"+1{area}{exchange}4567")):
                found.append(str(area))
                break
    return tuple(found)


def written_as_people_type(rng: random.Random, area: str, exchange: str, line: str) -> str:
    """A US number in one of the ways people type them (shared with bench_validation)."""
    roll = rng.random()
    if roll < 0.25:
        return f"({area}) {exchange}-{line}"
    if roll < 0.40:
        return f"{area}-{exchange}-{line}"
    if roll < 0.50:
        return f"{area}.{exchange}.{line}"
    if roll < 0.62:
        return f"+1 {area}-{exchange}-{line}"
    if roll < 0.70:
        return f"1 {area} {exchange} {line}"
    if roll < 0.85:
        return f"{area}{exchange}{line}"
    if roll < 0.90:
        return f"'{area}{exchange}{line}"
    if roll < 0.93:
        return f"+1{area}{exchange}{line}"
    if roll < 0.96:
        return f"{area}\u00a0{exchange}\u00a0{line}"
    return f"{area} {exchange} {line}".translate(_WIDE)


def _mistyped(rng: random.Random, digits: str) -> str:
    i = rng.randrange(len(digits))
    roll = rng.random()
    if roll < 0.4:
        return digits[:i] + digits[i + 1 :]  # a digit dropped
    if roll < 0.7:
        return digits[:i] + digits[i] + digits[i:]  # a digit typed twice
    j = min(i + 1, len(digits) - 1)
    return digits[:i] + digits[j] + digits[i] + digits[j + 1 :]  # two digits swapped


def _nanp(rng: random.Random, areas: tuple[str, ...], mistyped: float) -> str:
    area = rng.choice(areas)
    exchange = f"{rng.randint(2, 9)}{rng.randint(0, 99):02d}"
    line = f"{rng.randint(0, 9999):04d}"
    if rng.random() < mistyped:
        digits = _mistyped(rng, area + exchange + line)
        return digits if rng.random() < 0.5 else f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return written_as_people_type(rng, area, exchange, line)


def _international(rng: random.Random) -> str:
    region = rng.choice(INTERNATIONAL)
    kind = rng.choice((PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE))
    example = phonenumbers.example_number_for_type(region, kind)
    nsn = phonenumbers.national_significant_number(example)
    keep = max(2, len(nsn) - rng.choice((3, 4, 5, 6)))
    nsn = nsn[:keep] + "".join(rng.choice("0123456789") for _ in range(len(nsn) - keep))
    number = phonenumbers.parse(f"+{example.country_code}{nsn}")
    roll = rng.random()
    if roll < 0.3:
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if roll < 0.6:
        return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    if roll < 0.7:
        return "00 " + phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)[1:]
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)


def phone_list(kind: str, count: int, seed: int = 7) -> list[str]:
    """`count` phone values of one kind of list (see the module docstring)."""
    rng = random.Random(seed)
    values: list[str] = []
    for _ in range(count):
        if kind != "random" and values and rng.random() < 0.03:
            values.append(rng.choice(values))  # the same customer twice
        elif kind == "local":
            values.append(_nanp(rng, LOCAL_AREA_CODES, mistyped=0.03))
        elif kind == "national":
            values.append(_nanp(rng, nanp_area_codes(), mistyped=0.05))
        elif kind == "international":
            values.append(_international(rng))
        elif kind == "random":
            values.append(f"{rng.randrange(10**10):010d}")
        else:
            raise ValueError(kind)
    return values
