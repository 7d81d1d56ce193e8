"""Each row's place and texting window, grouped: what Review shows and the journal keeps.

Rows with the same zones and the same window form one `QuietGroup` (a campaign has a few
dozen at most), so deciding who may be texted at a given moment is one window calculation
per group, not per row. A row whose place is unknown (a toll-free number, a country the
number data cannot place) is held to the operator's own time zone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trackly_desktop.core.audience.clock import operator_zone
from trackly_desktop.core.audience.local_zones import place_of
from trackly_desktop.core.audience.places import REGION_NAMES
from trackly_desktop.core.audience.quiet_hours import (
    QuietHours,
    Window,
    WindowState,
    clock_text,
    window_state,
    zone_of,
)


@dataclass(frozen=True, slots=True)
class QuietGroup:
    zones: tuple[str, ...]
    regions: tuple[str, ...]
    window: Window
    guessed: bool = False  # zones are the operator's own: the row's place is unknown

    def state(self, now: datetime) -> WindowState:
        return window_state(now, self.zones, self.window)

    @property
    def label(self) -> str:
        """ "Florida", "Texas, Oklahoma", "America/Anchorage or America/Adak"."""
        if self.regions:
            return ", ".join(REGION_NAMES.get(r, r) for r in self.regions)
        if self.guessed:
            return "place unknown, your time zone"
        return " or ".join(self.zones)

    def local_time_text(self, now: datetime) -> str:
        """ "local time now 11:40 pm, Florida" (each distinct local time when several)."""
        times = []
        for name in self.zones:
            local = now.astimezone(zone_of(name))
            text = clock_text(local.hour * 60 + local.minute)
            if text not in times:
                times.append(text)
        return f"local time now {' or '.join(times)}, {self.label}"


@dataclass(frozen=True, slots=True)
class HeldCounts:
    open_now: int
    held: int
    never: int  # no hour is inside the window in every zone the row may be in
    first_opening: datetime | None  # the earliest opening among the held rows


class LocalTimes:
    """`group[i]` indexes `groups` for row i of the rows it was built from."""

    def __init__(self, group: list[int], groups: list[QuietGroup]) -> None:
        self.group = group
        self.groups = groups

    def __len__(self) -> int:
        return len(self.group)

    def state(self, i: int, now: datetime) -> WindowState:
        return self.groups[self.group[i]].state(now)

    def row_group(self, i: int) -> QuietGroup:
        return self.groups[self.group[i]]

    def group_states(self, now: datetime) -> list[WindowState]:
        return [g.state(now) for g in self.groups]

    def counts(self, indices: Iterable[int], now: datetime) -> HeldCounts:
        states = self.group_states(now)
        open_now = held = never = 0
        first: datetime | None = None
        # Rows counted per group (a few dozen), not looked at one by one.
        for index, rows in Counter(map(self.group.__getitem__, indices)).items():
            state = states[index]
            if state.open_now:
                open_now += rows
            elif state.opens is None:
                never += rows
            else:
                held += rows
                first = state.opens if first is None or state.opens < first else first
        return HeldCounts(open_now, held, never, first)


def local_times(
    phones: Sequence[str | None],
    rules: QuietHours,
    *,
    zone_column: Sequence[str] | None = None,
    state_column: Sequence[str] | None = None,
    postal_column: Sequence[str] | None = None,
) -> LocalTimes:
    """Place every row and group the rows by zones and window."""
    fallback = (operator_zone(),)
    # Rows with the same number prefix and place cells are placed alike: each such key is
    # placed once (from its first row), and rows take their key's group, column by column.
    prefixes = [
        "" if p is None else p[:5] if p.startswith("+1") else p[:7] for p in phones
    ]
    places = [c for c in (zone_column, state_column, postal_column) if c is not None]
    keys: list[Any] = list(zip(prefixes, *places, strict=True)) if places else prefixes
    first_row = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
    group_keys: dict[tuple, int] = {}
    groups: list[QuietGroup] = []
    key_group: dict[Any, int] = {}
    for key in dict.fromkeys(keys):  # in the order of their first rows
        i = first_row[key]
        place = place_of(
            phones[i],
            zone_column[i] if zone_column is not None else "",
            state_column[i] if state_column is not None else "",
            postal_column[i] if postal_column is not None else "",
        )
        zones, guessed = (place.zones, False) if place.zones else (fallback, True)
        group_key = (zones, place.regions, guessed)
        index = group_keys.get(group_key)
        if index is None:
            index = group_keys[group_key] = len(groups)
            groups.append(QuietGroup(zones, place.regions, _window(rules, place.regions), guessed))
        key_group[key] = index
    return LocalTimes(list(map(key_group.__getitem__, keys)), groups)


def _window(rules: QuietHours, regions: tuple[str, ...]) -> Window:
    return rules.window_for(regions)


def local_times_for(recipients: Any, rules: QuietHours) -> LocalTimes:
    """`local_times` of checked `Recipients`, from its mapped time-zone, state and postal-code
    columns (any of them may be unmapped)."""
    mapping, table = recipients.mapping, recipients.table

    def column(role: str) -> list[str] | None:
        header = getattr(mapping, role, None)
        return table.column_values(header) if header else None

    return local_times(
        recipients.phone,
        rules,
        zone_column=column("timezone"),
        state_column=column("state"),
        postal_column=column("postal_code"),
    )
