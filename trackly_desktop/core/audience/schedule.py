"""Sending later: the operator's date and time, read in their own time zone, and its wording.

A scheduled campaign keeps its due time in the journal as UTC; it is shown back in the
operator's zone ("scheduled for Tue 9:00 am") with the zone named where it matters.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

from trackly_desktop.core.audience.clock import operator_zone
from trackly_desktop.core.audience.quiet_hours import clock_text, zone_of
from trackly_desktop.core.errors import CampaignError

_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
# A time further back than this is a typing mistake, not "now, but late".
_PAST_LIMIT = timedelta(minutes=1)


def parse_send_at(text: str, now: datetime, zone: str | None = None) -> datetime:
    """ "2026-12-07 09:00" in the operator's zone (or with its own offset) -> aware UTC time."""
    value = text.strip()
    when: datetime | None = None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        for pattern in _FORMATS:
            try:
                when = datetime.strptime(value, pattern)
                break
            except ValueError:
                continue
    if when is None:
        raise CampaignError(
            f"“{text}” is not a date and time; write it like 2026-12-07 09:00 (your own time)."
        )
    if when.tzinfo is None:
        when = _localize(when, zone or operator_zone())
    when = when.astimezone(UTC)
    if when < now - _PAST_LIMIT:
        raise CampaignError(
            f"{describe_when(when, now, zone)} has already passed; choose a later time."
        )
    return when


def _localize(naive: datetime, zone: str) -> datetime:
    # fold=0: a time skipped by the change to daylight time (2:30 am on that Sunday) is
    # read with the offset from before the jump, i.e. as 3:30 am, never an hour early; a
    # time that happens twice (the change back) is its first occurrence.
    return naive.replace(tzinfo=zone_of(zone), fold=0)


@cache
def _zone_label(zone: str) -> str:
    return zone.replace("_", " ")


def describe_when(when: datetime, now: datetime, zone: str | None = None) -> str:
    """ "Tue 9:00 am", "today 9:00 pm", "Tue 8 Dec 2026 9:00 am" (operator's time)."""
    tz = zone_of(zone or operator_zone())
    local, today = when.astimezone(tz), now.astimezone(tz).date()
    hour = clock_text(local.hour * 60 + local.minute)
    days = (local.date() - today).days
    if days == 0:
        return f"today {hour}"
    if days == 1:
        return f"tomorrow {hour}"
    if 1 < days < 7:
        return f"{local:%a} {hour}"
    return f"{local:%a} {local.day} {local:%b %Y} {hour}"


def describe_with_zone(when: datetime, now: datetime, zone: str | None = None) -> str:
    """ "Tue 9:00 am (America/New York time)"."""
    name = zone or operator_zone()
    return f"{describe_when(when, now, name)} ({_zone_label(name)} time)"
