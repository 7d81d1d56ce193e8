"""Sending later and releasing held groups: times written by hand, a fake clock."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from trackly_desktop.core.audience.clock import FakeClock, FileClock
from trackly_desktop.core.audience.local_times import QuietGroup
from trackly_desktop.core.audience.quiet_hours import QuietHours, Window
from trackly_desktop.core.audience.release import QuietRelease
from trackly_desktop.core.audience.schedule import describe_when, parse_send_at
from trackly_desktop.core.errors import CampaignError
from trackly_desktop.settings import Settings

NOW = datetime(2026, 12, 6, 22, 0, tzinfo=UTC)  # Sunday 5:00 pm in New York
NY_ZONE = "America/New_York"


def test_send_at_is_read_in_the_operators_zone() -> None:
    due = parse_send_at("2026-12-07 09:00", NOW, NY_ZONE)
    assert due == datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
    assert describe_when(due, NOW, NY_ZONE) == "tomorrow 9:00 am"
    assert describe_when(datetime(2026, 12, 8, 14, 0, tzinfo=UTC), NOW, NY_ZONE) == "Tue 9:00 am"
    # An explicit offset wins over the operator's zone.
    assert parse_send_at("2026-12-07T09:00:00+01:00", NOW, NY_ZONE) == datetime(
        2026, 12, 7, 8, 0, tzinfo=UTC
    )


def test_send_at_refuses_nonsense_and_the_past() -> None:
    with pytest.raises(CampaignError, match="not a date and time"):
        parse_send_at("next tuesday", NOW, NY_ZONE)
    with pytest.raises(CampaignError, match="already passed"):
        parse_send_at("2026-12-06 09:00", NOW, NY_ZONE)


def test_a_time_skipped_by_daylight_saving_is_read_after_the_jump() -> None:
    # 2:30 am on 2027-03-14 does not exist in New York: it is read as 3:30 am EDT (07:30 UTC).
    due = parse_send_at("2027-03-14 02:30", NOW, NY_ZONE)
    assert due == datetime(2027, 3, 14, 7, 30, tzinfo=UTC)


def test_release_plan_opens_groups_and_finds_the_next_opening() -> None:
    rules = QuietHours()
    groups = {
        1: QuietGroup((NY_ZONE,), ("NY",), rules.window_for(["NY"])),
        2: QuietGroup((NY_ZONE,), ("FL",), rules.window_for(["FL"])),
    }
    release = QuietRelease(groups)
    at_8_30_pm = datetime(2026, 12, 8, 1, 30, tzinfo=UTC)
    plan = release.plan(at_8_30_pm)
    assert plan.open_groups == [1]
    assert plan.next_opening == datetime(2026, 12, 8, 13, 0, tzinfo=UTC)
    # Two minutes before 9 pm New York counts as closed: a batch could land after it.
    plan = release.plan(datetime(2026, 12, 8, 1, 58, 30, tzinfo=UTC))
    assert plan.open_groups == []
    assert plan.next_opening == datetime(2026, 12, 8, 13, 0, tzinfo=UTC)
    # Only the groups still waiting count for the next opening.
    plan = release.plan(at_8_30_pm, waiting=[1])
    assert plan.open_groups == [1] and plan.next_opening is None


def test_fake_clock_moves_on_waits_and_a_frozen_one_waits_for_the_test() -> None:
    clock = FakeClock(NOW)
    target = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
    assert clock.wait_until(target, threading.Event())
    assert clock.now() == target and clock.waits == [target]
    frozen = FakeClock(NOW, frozen=True)
    stop = threading.Event()
    stop.set()
    assert frozen.wait_until(target, stop) is False and frozen.now() == NOW


def test_file_clock_reads_the_time_a_test_writes(tmp_path) -> None:
    path = tmp_path / "clock"
    path.write_text("2026-12-07T20:30:00-05:00", encoding="utf-8")
    clock = FileClock(path)
    assert clock.now() == datetime(2026, 12, 8, 1, 30, tzinfo=UTC)
    stop = threading.Event()
    assert clock.wait_until(datetime(2026, 12, 8, 1, 0, tzinfo=UTC), stop)


def test_settings_describe_the_rules_and_bad_values_keep_quiet_hours() -> None:
    settings = Settings(quiet_hours_start="09:00", quiet_hours_end="20:00")
    assert settings.quiet_hours().default == Window.daily(9 * 60, 20 * 60)
    assert settings.quiet_hours().window_for(["FL"]).describe() == "9:00 am–8:00 pm"
    broken = Settings(quiet_hours_start="late", quiet_hours_end="21:00")
    assert broken.quiet_hours().default == Window.daily(8 * 60, 21 * 60)
    edited = Settings(
        state_quiet_hours=[{"region": "NY", "days": "Mon-Sun", "start": "10:00", "end": "19:00"}]
    )
    rules = edited.quiet_hours()
    assert set(rules.states) == {"NY"}
    assert rules.window_for(["NY"]).describe() == "10:00 am–7:00 pm"
