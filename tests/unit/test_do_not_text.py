"""The do-not-text list: a real SQLite file, real import files, across connections."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from trackly_desktop.core.audience.do_not_text import (
    DEMO_LIST_NAME,
    FROM_COMMAND_LINE,
    FROM_OPERATOR,
    LIST_NAME,
    DoNotTextList,
    list_path_for_journal,
)
from trackly_desktop.core.audience.do_not_text_files import export_csv, import_numbers
from trackly_desktop.core.errors import TracklyDesktopError

WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_added_number_is_kept_with_when_why_and_where(tmp_path: Path) -> None:
    path = tmp_path / LIST_NAME
    with DoNotTextList(path) as dnt:
        assert dnt.add("+12025550134", reason="Asked by phone", source=FROM_OPERATOR, when=WHEN)
        assert not dnt.add("+12025550134", reason="again", source=FROM_COMMAND_LINE)
    with DoNotTextList(path) as again:  # another connection, as another process would
        [entry] = again.entries()
        assert (entry.phone, entry.added, entry.reason, entry.source) == (
            "+12025550134",
            "2026-03-02T09:30:00+00:00",
            "Asked by phone",
            "operator",
        )
        assert "+12025550134" in again
        assert "+12025550135" not in again


def test_a_number_added_by_one_connection_is_seen_by_an_open_one(tmp_path: Path) -> None:
    path = tmp_path / LIST_NAME
    with DoNotTextList(path) as reader, DoNotTextList(path) as writer:
        assert reader.blocked(["+12025550134", "+12025550150"]) == set()
        writer.add("+12025550150", reason="", source=FROM_COMMAND_LINE)
        assert reader.blocked(["+12025550134", "+12025550150"]) == {"+12025550150"}
        assert reader.numbers() == {"+12025550150"}


def test_remove_and_search(tmp_path: Path) -> None:
    with DoNotTextList(tmp_path / LIST_NAME) as dnt:
        dnt.add_many(["+12025550101", "+12025550102"], reason="STOP reply", source="import")
        dnt.add("+447700900123", reason="Complaint 100%_sure", source=FROM_OPERATOR)
        assert [e.phone for e in dnt.entries("555 0102")] == ["+12025550102"]
        assert [e.phone for e in dnt.entries("100%_")] == ["+447700900123"]
        assert [e.phone for e in dnt.entries("stop")] == ["+12025550101", "+12025550102"]
        assert dnt.remove("+12025550101")
        assert not dnt.remove("+12025550101")
        assert len(dnt) == 2


def test_the_demo_journal_has_its_own_list(tmp_path: Path) -> None:
    assert list_path_for_journal(tmp_path / "journal.sqlite3") == tmp_path / LIST_NAME
    assert list_path_for_journal(tmp_path / "demo-journal.sqlite3") == tmp_path / DEMO_LIST_NAME


def test_import_from_a_bare_column_reports_added_already_and_unreadable(tmp_path: Path) -> None:
    source = tmp_path / "stops.csv"
    source.write_text(
        "+1 202 555 0134\n(202) 555-0199\nnot a number\n\n202.555.0134\n2025550177 ext 4\n",
        encoding="utf-8",
    )
    with DoNotTextList(tmp_path / LIST_NAME) as dnt:
        dnt.add("+12025550199", reason="earlier", source=FROM_OPERATOR, when=WHEN)
        report = import_numbers(dnt, source, "US", when=WHEN)
        assert (report.added, report.already, report.unreadable) == (1, 1, 2)
        assert report.unreadable_examples == [(3, "not a number"), (6, "2025550177 ext 4")]
        assert report.sentence() == (
            "1 added, 1 already on the list, 2 could not be read as a phone number."
        )
        assert dnt.numbers() == {"+12025550134", "+12025550199"}
        assert dnt.entries("0199")[0].reason == "earlier"  # an existing entry is kept as was


def test_import_from_an_xlsx_with_a_phone_column(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Mobile number", "Unsubscribed on"])
    sheet.append(["Ada", "+44 7911 123456", "2025-01-02"])
    sheet.append(["Bob", "07911 123457", "2025-01-03"])
    source = tmp_path / "stops.xlsx"
    book.save(source)
    with DoNotTextList(tmp_path / LIST_NAME) as dnt:
        report = import_numbers(dnt, source, "GB")
        assert (report.added, report.already, report.unreadable) == (2, 0, 0)
        assert dnt.numbers() == {"+447911123456", "+447911123457"}
        assert {e.source for e in dnt.entries()} == {"import"}
        assert {e.reason for e in dnt.entries()} == {"Imported from stops.xlsx"}


def test_export_is_formula_safe_and_imports_back_as_already_there(tmp_path: Path) -> None:
    target = tmp_path / "out" / "do-not-text.csv"
    with DoNotTextList(tmp_path / LIST_NAME) as dnt:
        dnt.add("+12025550101", reason="=HYPERLINK(1)", source=FROM_OPERATOR, when=WHEN)
        dnt.add("+12025550102", reason="STOP", source="trackly_opted_out", when=WHEN)
        assert export_csv(dnt, target) == 2
        raw = target.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        with target.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows == [
            ["Phone", "Added (UTC)", "Why", "Where it came from"],
            ["+12025550101", "2026-03-02T09:30:00+00:00", "'=HYPERLINK(1)", "Added in the app"],
            ["+12025550102", "2026-03-02T09:30:00+00:00", "STOP", "Trackly reported an opt-out"],
        ]
        report = import_numbers(dnt, target, "US")
        assert (report.added, report.already, report.unreadable) == (0, 2, 0)


def test_export_refuses_another_kind_of_file(tmp_path: Path) -> None:
    with DoNotTextList(tmp_path / LIST_NAME) as dnt, pytest.raises(TracklyDesktopError) as err:
        export_csv(dnt, tmp_path / "list.xlsx")
    assert str(err.value) == (
        "Cannot save the do-not-text list as “list.xlsx”: choose a name ending in .csv."
    )


def test_a_damaged_list_file_is_one_plain_sentence(tmp_path: Path) -> None:
    path = tmp_path / LIST_NAME
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(TracklyDesktopError) as err:
        DoNotTextList(path)
    assert str(err.value).startswith(f"The do-not-text list {path} cannot be opened (")
