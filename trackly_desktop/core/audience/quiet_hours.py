"""Quiet hours: when a person may be texted, in their own local time.

A `Window` gives, for each weekday (Monday first), the local texting hours as minutes
after midnight, or None when that day allows none (Alabama's Sundays). The default is the
US TCPA's 8 am to 9 pm; the stricter state rules are data (resources/quiet_hours_states.csv,
each with its law and source) that Settings may override. A row is inside its window when
it is inside in EVERY time zone it may be in, under the strictest rule of every state it
points to; `window_state` says whether it is inside now and, if not, when it next opens.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

from trackly_desktop.resource_files import resource_path

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DEFAULT_START, DEFAULT_END = 8 * 60, 21 * 60  # US TCPA, 47 CFR 64.1200(c)(1)
_LOOKAHEAD_DAYS = 9  # a weekly rule always opens within a week; two more for time zones

Hours = tuple[int, int] | None  # (start, end) in minutes after local midnight


@dataclass(frozen=True, slots=True)
class Window:
    days: tuple[Hours, ...]  # seven entries, Monday first

    @classmethod
    def daily(cls, start: int = DEFAULT_START, end: int = DEFAULT_END) -> Window:
        return cls(((start, end),) * 7)

    def stricter(self, other: Window) -> Window:
        """Only the hours both windows allow."""
        out: list[Hours] = []
        for mine, theirs in zip(self.days, other.days, strict=True):
            if mine is None or theirs is None:
                out.append(None)
                continue
            start, end = max(mine[0], theirs[0]), min(mine[1], theirs[1])
            out.append((start, end) if start < end else None)
        return Window(tuple(out))

    def describe(self) -> str:
        """ "8:00 am–8:00 pm", or per day when days differ."""
        if len(set(self.days)) == 1:
            return _hours_text(self.days[0])
        return "; ".join(f"{DAYS[i]} {_hours_text(h)}" for i, h in enumerate(self.days))


@dataclass(frozen=True, slots=True)
class StateRule:
    region: str
    window: Window
    law: str
    source: str


@dataclass(frozen=True, slots=True)
class WindowState:
    open_now: bool
    opens: datetime | None  # next opening when closed; None when open now or never
    closes: datetime | None  # when open: the moment it closes

    @property
    def never(self) -> bool:
        return not self.open_now and self.opens is None


def _hours_text(hours: Hours) -> str:
    if hours is None:
        return "none"
    return f"{clock_text(hours[0])}–{clock_text(hours[1])}"


def clock_text(minutes: int) -> str:
    """480 -> "8:00 am", 1260 -> "9:00 pm", 720 -> "12:00 pm"."""
    hour, minute = divmod(minutes % (24 * 60), 60)
    suffix = "am" if hour < 12 else "pm"
    return f"{(hour % 12) or 12}:{minute:02d} {suffix}"


def parse_hhmm(text: str) -> int:
    hour, _, minute = text.strip().partition(":")
    value = int(hour) * 60 + int(minute or 0)
    if not 0 <= value <= 24 * 60:
        raise ValueError(f"{text!r} is not a time of day")
    return value


def _day_range(text: str) -> list[int]:
    first, _, last = text.strip().partition("-")
    a, b = DAYS.index(first.strip()), DAYS.index((last or first).strip())
    return list(range(a, b + 1)) if a <= b else [*range(a, 7), *range(0, b + 1)]


def rules_from_rows(rows: Iterable[Mapping[str, str]]) -> dict[str, StateRule]:
    """State rules from rows like the CSV's (region, days, start, end, law, source).

    A region's days not named in any of its rows allow no texting at all."""
    days: dict[str, list[Hours]] = {}
    info: dict[str, tuple[str, str]] = {}
    for row in rows:
        region = row["region"].strip().upper()
        hours = (parse_hhmm(row["start"]), parse_hhmm(row["end"]))
        for day in _day_range(row["days"]):
            days.setdefault(region, [None] * 7)[day] = hours
        info.setdefault(region, (row.get("law", ""), row.get("source", "")))
    return {
        region: StateRule(region, Window(tuple(d)), *info[region]) for region, d in days.items()
    }


@cache
def state_rules() -> dict[str, StateRule]:
    """The shipped state rules (resources/quiet_hours_states.csv)."""
    with resource_path("quiet_hours_states.csv").open(encoding="utf-8", newline="") as handle:
        return rules_from_rows(csv.DictReader(handle))


def shipped_state_windows() -> dict[str, Window]:
    return {region: rule.window for region, rule in state_rules().items()}


_OFFSET_RE = re.compile(r"^UTC([+-])(\d\d):(\d\d)$")


@cache
def zone_of(name: str) -> tzinfo:
    """An IANA zone, or a fixed offset written "UTC-05:00" (see local_zones)."""
    fixed = _OFFSET_RE.match(name)
    if fixed:
        sign = -1 if fixed.group(1) == "-" else 1
        offset = timedelta(hours=int(fixed.group(2)), minutes=int(fixed.group(3)))
        return timezone(sign * offset, name)
    return ZoneInfo(name)


def _inside(when: datetime, zones: Iterable[str], window: Window) -> bool:
    for name in zones:
        local = when.astimezone(zone_of(name))
        hours = window.days[local.weekday()]
        if hours is None:
            return False
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        if not hours[0] * 60 <= seconds < hours[1] * 60:
            return False
    return True


def _local_instant(day: date, minutes: int, zone: tzinfo) -> datetime:
    if minutes >= 24 * 60:  # "until midnight": the start of the next day
        return _local_instant(day + timedelta(days=1), minutes - 24 * 60, zone)
    local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
    return local.astimezone(UTC)


def window_state(now: datetime, zones: tuple[str, ...], window: Window) -> WindowState:
    """Is a row in `zones` under `window` inside now; if not, when does it next open?"""
    if not zones:
        return WindowState(True, None, None)
    if _inside(now, zones, window):
        return WindowState(True, None, _closes(now, zones, window))
    starts: set[datetime] = set()
    for name in zones:
        zone = zone_of(name)
        today = now.astimezone(zone).date()
        for offset in range(-1, _LOOKAHEAD_DAYS):
            day = today + timedelta(days=offset)
            hours = window.days[day.weekday()]
            if hours is not None:
                start = _local_instant(day, hours[0], zone)
                if start > now:
                    starts.add(start)
    for start in sorted(starts):
        if _inside(start, zones, window):
            return WindowState(False, start, None)
    return WindowState(False, None, None)


def _closes(now: datetime, zones: tuple[str, ...], window: Window) -> datetime:
    ends = []
    for name in zones:
        zone = zone_of(name)
        local = now.astimezone(zone)
        hours = window.days[local.weekday()]
        assert hours is not None  # inside now
        ends.append(_local_instant(local.date(), hours[1], zone))
    return min(ends)


@dataclass(frozen=True)
class QuietHours:
    """The rules in force for one send: the default window and the state windows."""

    default: Window = field(default_factory=Window.daily)
    states: Mapping[str, Window] = field(default_factory=shipped_state_windows)

    def window_for(self, regions: Iterable[str]) -> Window:
        window = self.default
        for region in sorted(set(regions)):
            rule = self.states.get(region)
            if rule is not None:
                window = window.stricter(rule)
        return window


def quiet_hours_from_settings(
    start: str, end: str, state_rows: Iterable[Mapping[str, str]] | None
) -> QuietHours:
    """The rules Settings describe: the default window ("08:00"/"21:00") and the state table
    (rows of region, days, start, end; empty means the shipped rules). A value that does not
    read as a time falls back to the default, never to no quiet hours at all."""
    try:
        default = Window.daily(parse_hhmm(start), parse_hhmm(end))
        if default.days[0] is None or default.days[0][0] >= default.days[0][1]:
            raise ValueError("empty window")
    except ValueError:
        default = Window.daily()
    rows = list(state_rows or ())
    try:
        rules = rules_from_rows(rows) if rows else state_rules()
    except (KeyError, ValueError):
        rules = state_rules()
    return QuietHours(default, {region: rule.window for region, rule in rules.items()})


def state_rule_rows(rules: Mapping[str, StateRule] | None = None) -> list[dict[str, str]]:
    """The state rules as editable rows (region, days, start, end, law), one per run of days
    with the same hours: what Settings shows and saves."""
    out: list[dict[str, str]] = []
    for region, rule in sorted((rules or state_rules()).items()):
        day = 0
        while day < 7:
            hours = rule.window.days[day]
            last = day
            while last + 1 < 7 and rule.window.days[last + 1] == hours:
                last += 1
            if hours is not None:
                days = DAYS[day] if day == last else f"{DAYS[day]}-{DAYS[last]}"
                out.append(
                    {
                        "region": region,
                        "days": days,
                        "start": f"{hours[0] // 60:02d}:{hours[0] % 60:02d}",
                        "end": f"{hours[1] // 60:02d}:{hours[1] % 60:02d}",
                        "law": rule.law,
                    }
                )
            day = last + 1
    return out
