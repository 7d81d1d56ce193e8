"""Where a row's person is: time zones and states from a time-zone column, a state or
postal-code column, or the phone number itself.

The zones come from the first of these a row has (the time-zone column, then the state or
postal code, then the number's prefix in phonenumbers' time-zone data); the states come
from all of them, address and number alike, because each may carry its own law: a US or
Canadian area code points to its state or province (Florida and Oklahoma presume an
in-state area code means an in-state resident). A number whose prefix spans several zones
keeps them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from trackly_desktop.core.audience.places import (
    parse_region,
    region_of_number,
    region_of_postal_code,
    region_zones,
)

_ET, _CT, _MT, _PT = "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"
# Abbreviations and names people type. An ambiguous one keeps every zone it may mean
# ("MST" is Denver, or Phoenix which keeps standard time all year).
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("EST", "EDT", "ET", "EASTERN", "EASTERN TIME", "US/EASTERN"), (_ET,)),
    **dict.fromkeys(("CST", "CDT", "CT", "CENTRAL", "CENTRAL TIME", "US/CENTRAL"), (_CT,)),
    **dict.fromkeys(("MDT", "MT", "MOUNTAIN", "MOUNTAIN TIME", "US/MOUNTAIN"), (_MT,)),
    "MST": (_MT, "America/Phoenix"),
    **dict.fromkeys(("PST", "PDT", "PT", "PACIFIC", "PACIFIC TIME", "US/PACIFIC"), (_PT,)),
    **dict.fromkeys(("AKST", "AKDT", "AKT", "ALASKA"), ("America/Anchorage",)),
    **dict.fromkeys(("HST", "HAST", "HAWAII"), ("Pacific/Honolulu",)),
    **dict.fromkeys(("AST", "ADT", "ATLANTIC"), ("America/Halifax", "America/Puerto_Rico")),
    **dict.fromkeys(("NST", "NDT", "NEWFOUNDLAND"), ("America/St_Johns",)),
    **dict.fromkeys(("UTC", "GMT", "Z", "ZULU"), ("UTC",)),
}
_OFFSET_RE = re.compile(r"^(?:UTC|GMT)?\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?$")


@dataclass(frozen=True, slots=True)
class Place:
    zones: tuple[str, ...]  # IANA names or "UTC-05:00"; empty when nothing is known
    regions: tuple[str, ...]  # two-letter US state / Canadian province codes
    source: str  # "time zone column", "state", "postal code", "number" or ""


@cache
def parse_zone(text: str) -> tuple[str, ...]:
    """ "America/New_York", "EST", "PT", "UTC-5", "GMT+05:30" -> zone names; () if unknown."""
    value = " ".join(text.split())
    if not value:
        return ()
    known = ABBREVIATIONS.get(value.upper())
    if known:
        return known
    offset = _OFFSET_RE.match(value.upper())
    if offset and (value.upper().startswith(("UTC", "GMT")) or value[0] in "+-−"):
        hours, minutes = int(offset.group(2)), int(offset.group(3) or 0)
        if hours > 14 or minutes >= 60:
            return ()
        sign = "-" if offset.group(1) in "-−" else "+"
        return ("UTC",) if hours == minutes == 0 else (f"UTC{sign}{hours:02d}:{minutes:02d}",)
    if "/" in value or value.upper() == "UTC":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            return ()
        return (value,)
    return ()


# A number that may be in more zones than this (toll-free, non-geographic) tells nothing.
MAX_NUMBER_ZONES = 6
_by_prefix: dict[str, tuple[str, ...]] = {}


def number_zones(e164: str) -> tuple[str, ...]:
    """The zones phonenumbers' time-zone data gives a number's prefix; () when unknown."""
    # The data is keyed by short prefixes (+1 and the area code in North America), so
    # numbers sharing their first digits share an answer: a million rows need only a few
    # hundred look-ups.
    key = e164[:5] if e164.startswith("+1") else e164[:7]
    found = _by_prefix.get(key)
    if found is None:
        found = _by_prefix[key] = _number_zones(e164)
    return found


def _number_zones(e164: str) -> tuple[str, ...]:
    import phonenumbers  # noqa: PLC0415 - heavy; only when a number must be placed
    from phonenumbers import timezone as number_timezone  # noqa: PLC0415

    try:
        parsed = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return ()
    zones = tuple(
        z
        for z in number_timezone.time_zones_for_number(parsed)
        if z != number_timezone.UNKNOWN_TIMEZONE
    )
    return zones if len(zones) <= MAX_NUMBER_ZONES else ()


def place_of(
    phone: str | None, zone_text: str = "", state_text: str = "", postal_text: str = ""
) -> Place:
    """Where one row's person is (see the module docstring for the order)."""
    address = parse_region(state_text) if state_text else None
    postal = region_of_postal_code(postal_text) if postal_text else None
    by_number = region_of_number(phone) if phone else None
    regions = tuple(dict.fromkeys(r for r in (address, postal, by_number) if r))
    zones = parse_zone(zone_text) if zone_text else ()
    if zones:
        return Place(zones, regions, "time zone column")
    for region, source in ((address, "state"), (postal, "postal code")):
        if region:
            return Place(region_zones(region), regions, source)
    if phone:
        zones = number_zones(phone)
        if zones:
            return Place(zones, regions, "number")
    return Place((), regions, "")
