"""`trackly check` says each row's time zone and when its texting window opens."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trackly_desktop.cli import main
from trackly_desktop.settings import load_settings, save_settings


@pytest.fixture
def evening(fixed_clock: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fixed_clock.write_text("2026-12-07T20:30:00-05:00", encoding="utf-8")  # Monday
    monkeypatch.setenv("TZ", "America/New_York")  # the operator is in New York


def write_csv(folder: Path) -> Path:
    path = folder / "customers.csv"
    path.write_text(
        "First Name,Phone,State\n"
        "Ada,+1 212 555 0101,NY\n"
        "Bo,+1 305 555 0102,\n"
        "Cy,+1 212 555 0103,Florida\n"
        "Di,+1 907 555 0104,\n"
        "Ed,not a number,\n",
        encoding="utf-8",
    )
    return path


def test_json_has_checked_at_time_zones_and_openings(
    evening: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(write_csv(tmp_path)), "--country", "US", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["checked_at"] == "2026-12-07T20:30:00-05:00"
    assert data["mapping"]["state"] == "State"
    rows = {r["row"]: r for r in data["rows"]}
    assert (rows[2]["time_zone"], rows[2]["window_opens"]) == ("America/New_York", None)
    # Florida's 8 pm rule, by the area code, then by the address of a New York number.
    assert rows[3]["time_zone"] == "America/New_York"
    assert rows[3]["window_opens"] == "2026-12-08T08:00:00-05:00"
    assert rows[4]["time_zone"] == ["America/New_York", "America/Chicago"]
    assert rows[4]["window_opens"] == "2026-12-08T09:00:00-05:00"  # 8:00 am Central
    # 4:30 pm in Anchorage, 3:30 pm on Adak: inside in both.
    assert sorted(rows[5]["time_zone"]) == ["America/Adak", "America/Anchorage"]
    assert rows[5]["window_opens"] is None
    assert (rows[6]["time_zone"], rows[6]["window_opens"]) == (None, None)
    assert [r["status"] for r in data["rows"]] == ["ready"] * 4 + ["invalid"]


def test_human_report_counts_who_can_be_texted_now(
    evening: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(write_csv(tmp_path)), "--country", "US"]) == 0
    out = capsys.readouterr().out
    assert (
        "Quiet hours: 2 can be texted now; 2 are outside texting hours and will go from "
        "8:00 am their time." in out
    )


def test_json_says_when_a_window_never_opens(
    evening: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = load_settings()
    settings.quiet_hours_start, settings.quiet_hours_end = "08:00", "09:00"
    save_settings(settings)
    path = tmp_path / "customers.csv"
    path.write_text(
        "Phone,State,Consent\n"
        "+1 212 555 0101,Texas,yes\n"  # 8-9 am Central and 8-9 am Mountain never meet
        "+1 212 555 0102,,yes\n"
        "not a number,Texas,no\n",
        encoding="utf-8",
    )
    assert main(["check", str(path), "--country", "US", "--json"]) == 0
    out = capsys.readouterr().out
    rows = json.loads(out)["rows"]
    assert rows[0]["time_zone"] == ["America/Chicago", "America/Denver"]
    assert (rows[0]["window_opens"], rows[0]["window_never_opens"]) == (None, True)
    assert rows[1]["window_opens"] == "2026-12-08T08:00:00-05:00"
    assert "window_never_opens" not in rows[1]
    assert (rows[2]["time_zone"], rows[2]["window_opens"]) == (None, None)
    assert "window_never_opens" not in rows[2]
    # The keys in the order they have always been written, consent before the place.
    assert list(rows[0]) == [
        "row",
        "input_phone",
        "phone_column",
        "phone",
        "status",
        "reason",
        "warning",
        "body",
        "encoding",
        "segments",
        "consent",
        "time_zone",
        "window_opens",
        "window_never_opens",
    ]
    assert [r["consent"] for r in rows] == ["yes", "yes", "no"]
