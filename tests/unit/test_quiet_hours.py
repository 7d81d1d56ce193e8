"""Quiet hours in each person's own time: places, windows, openings (fake times, by hand)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from trackly_desktop.core.audience.local_times import local_times
from trackly_desktop.core.audience.local_zones import parse_zone, place_of
from trackly_desktop.core.audience.places import parse_region, region_of_postal_code
from trackly_desktop.core.audience.quiet_hours import (
    QuietHours,
    Window,
    state_rules,
    window_state,
)

ET = ZoneInfo("America/New_York")
NY, FL, CA = "+12125550100", "+13055550100", "+14155550100"
RULES = QuietHours()


def at(*args: int, tz: ZoneInfo = ET) -> datetime:
    return datetime(*args, tzinfo=tz)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def state_of(phone: str, now: datetime, **columns: str):
    place = place_of(phone, **columns)
    return window_state(now, place.zones, RULES.window_for(place.regions))


def test_florida_is_closed_at_8_30_pm_eastern_while_new_york_is_open() -> None:
    now = at(2026, 12, 7, 20, 30)  # Monday
    new_york = state_of(NY, now)
    assert new_york.open_now and new_york.closes == utc(2026, 12, 8, 2, 0)  # 9:00 pm ET
    florida = state_of(FL, now)
    assert not florida.open_now
    assert florida.opens == utc(2026, 12, 8, 13, 0)  # 8:00 am ET the next morning
    california = state_of(CA, now)  # 5:30 pm Pacific
    assert california.open_now and california.closes == utc(2026, 12, 8, 5, 0)


def test_a_message_held_over_midnight_opens_at_eight_the_next_morning() -> None:
    late = at(2026, 12, 7, 23, 40)
    assert state_of(NY, late).opens == utc(2026, 12, 8, 13, 0)
    after_midnight = at(2026, 12, 8, 0, 10)
    assert state_of(NY, after_midnight).opens == utc(2026, 12, 8, 13, 0)
    assert state_of(NY, at(2026, 12, 8, 8, 0)).open_now


def test_spring_forward_opens_at_8_am_daylight_time() -> None:
    # 2026-03-08 is the US change to daylight time: 8:00 am EDT is 12:00 UTC, not 13:00.
    state = state_of(NY, at(2026, 3, 7, 22, 0))
    assert state.opens == utc(2026, 3, 8, 12, 0)
    assert state_of(NY, utc(2026, 3, 8, 11, 59)).open_now is False  # 7:59 am EDT
    assert state_of(NY, utc(2026, 3, 8, 12, 0)).open_now


def test_fall_back_opens_at_8_am_standard_time() -> None:
    # 2026-11-01 is the change back to standard time: 8:00 am EST is 13:00 UTC.
    state = state_of(NY, at(2026, 10, 31, 22, 0))
    assert state.opens == utc(2026, 11, 1, 13, 0)
    assert state_of(NY, utc(2026, 11, 1, 12, 30)).open_now is False  # 7:30 am EST
    assert state_of(NY, utc(2026, 11, 1, 13, 0)).open_now


def test_an_area_code_spanning_two_zones_is_open_only_when_open_in_both() -> None:
    place = place_of("+19075550100")  # Alaska: Anchorage and the Aleutians (an hour behind)
    assert set(place.zones) == {"America/Anchorage", "America/Adak"}
    assert place.regions == ("AK",)
    # 8:30 am in Anchorage is 7:30 am on Adak: held until 8:00 on Adak (18:00 UTC).
    state = state_of("+19075550100", utc(2026, 12, 7, 17, 30))
    assert not state.open_now and state.opens == utc(2026, 12, 7, 18, 0)
    # Open from then until 9:00 pm in Anchorage (06:00 UTC), when Adak is at 8:00 pm.
    state = state_of("+19075550100", utc(2026, 12, 7, 18, 0))
    assert state.open_now and state.closes == utc(2026, 12, 8, 6, 0)


def test_the_strictest_rule_of_address_and_number_applies() -> None:
    # A New York number with a Florida address: Florida's 8 pm, in both of its zones.
    place = place_of(NY, state_text="Florida")
    assert place.regions == ("FL", "NY")
    assert place.zones == ("America/New_York", "America/Chicago")
    assert state_of(NY, at(2026, 12, 7, 19, 59), state_text="Florida").open_now
    assert not state_of(NY, at(2026, 12, 7, 20, 0), state_text="Florida").open_now
    # A Florida number with a New York address is still Florida's area code.
    assert not state_of(FL, at(2026, 12, 7, 20, 30), state_text="NY").open_now


def test_day_of_week_rules() -> None:
    # Texas: Sundays from noon. Sunday 2026-12-06 at 10:00 am Central is held until 12:00.
    dallas = "+12145550100"
    state = state_of(dallas, datetime(2026, 12, 6, 10, 0, tzinfo=ZoneInfo("America/Chicago")))
    assert state.opens == utc(2026, 12, 6, 18, 0)
    # Alabama: nothing on Sundays. Saturday 8:30 pm Central waits for Monday 8:00 am.
    birmingham = "+12055550100"
    state = state_of(birmingham, datetime(2026, 12, 5, 20, 30, tzinfo=ZoneInfo("America/Chicago")))
    assert state.opens == utc(2026, 12, 7, 14, 0)


def test_time_zone_column_comes_first_and_reads_common_spellings() -> None:
    assert parse_zone("EST") == ("America/New_York",)
    assert parse_zone("pt") == ("America/Los_Angeles",)
    assert parse_zone("UTC-5") == ("UTC-05:00",)
    assert parse_zone("GMT+05:30") == ("UTC+05:30",)
    assert parse_zone("Europe/Berlin") == ("Europe/Berlin",)
    assert parse_zone("MST") == ("America/Denver", "America/Phoenix")
    assert parse_zone("Mars/Olympus") == ()
    place = place_of(NY, zone_text="PT")
    assert place.zones == ("America/Los_Angeles",) and place.source == "time zone column"
    # A fixed offset: UTC-5 at 20:30 UTC-5 is open under the default window.
    state = window_state(utc(2026, 7, 1, 1, 30), ("UTC-05:00",), Window.daily())
    assert state.open_now and state.closes == utc(2026, 7, 1, 2, 0)


def test_states_and_postal_codes() -> None:
    assert parse_region("fl") == "FL"
    assert parse_region("Washington State") == "WA"
    assert parse_region("Ontario") == "ON"
    assert parse_region("Narnia") is None
    assert region_of_postal_code("33101") == "FL"
    assert region_of_postal_code("2101") == "MA"  # Boston's 02101 with its zero lost
    assert region_of_postal_code("73301-1234") == "TX"
    assert region_of_postal_code("98101") == "WA"
    assert region_of_postal_code("M5V 2T6") == "ON"
    assert region_of_postal_code("H2X1Y4") == "QC"
    assert region_of_postal_code("ABC") is None


def test_shipped_state_rules_name_their_law_and_source() -> None:
    rules = state_rules()
    for region in ("FL", "OK", "MD", "WA", "CT", "TX"):
        assert rules[region].law and rules[region].source.startswith("https://")
    assert rules["FL"].window.describe() == "8:00 am–8:00 pm"
    assert rules["CT"].window.describe() == "9:00 am–8:00 pm"


def test_rows_are_grouped_and_counted() -> None:
    phones = [NY, FL, CA, NY, FL, "+19075550100"]
    times = local_times(phones, RULES)
    assert len(times.groups) == 4
    counts = times.counts(range(6), at(2026, 12, 7, 20, 30))
    # NY x2 and CA open; FL x2 held; Alaska (4:30 pm AKST, 3:30 pm on Adak) open.
    assert (counts.open_now, counts.held, counts.never) == (4, 2, 0)
    assert counts.first_opening == utc(2026, 12, 8, 13, 0)
    assert times.row_group(1).local_time_text(at(2026, 12, 7, 23, 40)) == (
        "local time now 11:40 pm, Florida"
    )


def test_unknown_places_fall_back_to_the_operators_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/Chicago")
    times = local_times(["+18005550100"], RULES)  # toll-free: anywhere in North America
    group = times.row_group(0)
    assert group.guessed and group.zones == ("America/Chicago",)
    assert group.label == "place unknown, your time zone"
