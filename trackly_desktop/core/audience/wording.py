"""Quiet hours in words, the same in the window and in `trackly`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from trackly_desktop.core.audience.local_times import LocalTimes
from trackly_desktop.core.audience.quiet_hours import clock_text, zone_of

IGNORE_WARNING = (
    "Quiet hours are off for this send: everyone gets the message now, whatever the time "
    "where they are. Texting people at night breaks the US TCPA (8 am–9 pm their time) and "
    "stricter state laws such as Florida's (8 pm); use this only for urgent messages that "
    "are not marketing. The campaign records that quiet hours were ignored."
)
CLOSED_APP_NOTE = "Nothing is sent while the app (or trackly send) is closed."


def texting_hours_summary(times: LocalTimes, indices: Iterable[int], now: datetime) -> str:
    """ "1,200 can be texted now; 312 are outside texting hours and will go from 8:00 am
    their time." for the rows `indices` at `now`."""
    rows = list(indices)
    counts = times.counts(rows, now)
    if not counts.held and not counts.never:
        return f"All {counts.open_now:,} can be texted now (inside texting hours where they are)."
    parts = [f"{counts.open_now:,} can be texted now"]
    if counts.held:
        parts.append(
            f"{counts.held:,} {'is' if counts.held == 1 else 'are'} outside texting hours "
            f"and will go from {_opening_words(times, rows, now)} their time"
        )
    if counts.never:
        parts.append(
            f"{counts.never:,} have no hour inside texting hours in every time zone their "
            "number may be in (map a time-zone or state column)"
        )
    return "; ".join(parts) + "."


def _opening_words(times: LocalTimes, rows: list[int], now: datetime) -> str:
    held_groups = set(map(times.group.__getitem__, rows))
    starts: dict[int, str] = {}
    for index in held_groups:
        group = times.groups[index]
        state = group.state(now)
        if state.open_now or state.opens is None:
            continue
        # In a row's several zones the opening is the window's start in the westernmost
        # (the one that held it): the earliest local clock reading.
        minutes = min(
            (local.hour * 60 + local.minute)
            for local in (state.opens.astimezone(zone_of(z)) for z in group.zones)
        )
        starts[minutes] = clock_text(minutes)
    texts = [starts[m] for m in sorted(starts)]
    if len(texts) > 3:
        texts = [texts[0], texts[-1]]
        return f"{texts[0]} to {texts[1]}"
    return " or ".join(texts)
