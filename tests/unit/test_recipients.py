"""Recipients: statuses, bodies, duplicates, in-place fixes, JSON, progress and cancel.

Every test reads a real CSV written here through the real reader.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from trackly_desktop.commands.check_json import report
from trackly_desktop.core.contacts.mapping import ColumnMapping
from trackly_desktop.core.errors import Cancelled, MappingError, TemplateError
from trackly_desktop.core.messages.templates import parse_template
from trackly_desktop.core.progress import CancelToken
from trackly_desktop.core.reading.spreadsheet import read_table
from trackly_desktop.core.recipients.build import build_recipients

HEADER = ["Mobile", "First", "Last", "Order No", "Zone"]
ROWS = [
    ["(415) 555-1234", "Ada", "Lovelace", "A1", "America/Los_Angeles"],  # row 2: ready
    ["415.555.1234", "Bob", "", "B2", ""],  # row 3: duplicate of row 2
    ["1.41555E+10", "Cy", "", "C3", ""],  # row 4: Excel damage
    ["", "Di", "", "D4", ""],  # row 5: missing
    ["+44 20 7946 0018", "", "", "E5", ""],  # row 6: UK landline, ready with a warning
    ["212 555 0100", "Ed", "", "{{first_name}}", ""],  # row 7: braces in a used value
]
MAPPING = ColumnMapping(phone="Mobile", first_name="First", last_name="Last", timezone="Zone")
TEMPLATE = "Hi {{first_name|there}}, order {{Order No}} is ready. {{messageId}}"


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def recipients(tmp_path: Path):
    table = read_table(write_csv(tmp_path / "contacts.csv", ROWS))
    return build_recipients(table, MAPPING, TEMPLATE, "US")


def test_statuses_and_reasons(recipients) -> None:
    assert list(recipients.row_numbers) == [2, 3, 4, 5, 6, 7]
    assert recipients.status == ["ready", "duplicate", "invalid", "invalid", "ready", "invalid"]
    assert recipients.reason == [
        None,
        "duplicate",
        "excel_damage",
        "missing",
        None,
        "template_value_has_braces",
    ]
    assert recipients.phone[:2] == ["+14155551234", "+14155551234"]
    assert recipients.phone[2] is None
    assert recipients.warning[4] == "landline"
    assert recipients.input_phone[2] == "1.41555E+10"


def test_bodies_are_rendered_once_and_previews_match(recipients) -> None:
    assert recipients.body[0] == "Hi Ada, order A1 is ready. {{messageId}}"
    assert recipients.body[4] == "Hi there, order E5 is ready. {{messageId}}"
    template = parse_template(TEMPLATE, HEADER)
    for i in range(len(recipients)):
        row = recipients.table.row(i)
        values = {**row, "first_name": row["First"], "last_name": row["Last"]}
        assert template.render(values) == recipients.body[i]
    assert recipients.encoding[0] == "GSM-7"
    assert isinstance(recipients.segments, np.ndarray)
    assert recipients.segments[0] == 1


def test_summary_counts_parts_of_ready_rows(tmp_path: Path) -> None:
    long_order = "x" * 200  # two parts
    rows = [["(415) 555-1234", "A", "", long_order, ""], ["(415) 253-0000", "B", "", "y", ""]]
    table = read_table(write_csv(tmp_path / "c.csv", [*rows, ["bad", "C", "", "z", ""]]))
    result = build_recipients(table, MAPPING, "{{Order No}} ☕", "US")
    summary = result.summary()
    assert (summary.rows, summary.ready, summary.invalid, summary.duplicate) == (3, 2, 1, 0)
    assert list(result.segments) == [4, 1, 1]  # UCS-2: 202 units need 4 parts of 67
    assert summary.segments == 5
    assert result.encoding == ["UCS-2"] * 3


def test_body_problems_make_rows_invalid(tmp_path: Path) -> None:
    rows = [
        ["(415) 555-1234", "A", "", "x" * 1593, ""],
        ["(415) 253-0000", "", "", "", ""],
    ]
    table = read_table(write_csv(tmp_path / "c.csv", rows))
    result = build_recipients(table, MAPPING, "{{Order No}}{{messageId}}", "US")
    assert result.reason == ["body_too_long", None]  # 1593 + 8 > 1,600
    result = build_recipients(table, MAPPING, "{{Order No}}", "US")
    assert result.reason == [None, "empty_body"]
    assert result.segments[1] == 0
    ok = build_recipients(table, MAPPING, "{{Order No|-}}", "US")
    assert ok.status == ["ready", "ready"]


def test_update_phone_revalidates_and_rebalances_duplicates(recipients) -> None:
    table_column = recipients.table.column_values("Mobile")
    recipients.update_phone(0, "(415) 253-0000")  # row 2 moves away from the shared number
    assert recipients.status[:2] == ["ready", "ready"]
    assert recipients.phone[0] == "+14152530000"
    recipients.update_phone(2, "415-253-0000")  # fixed Excel damage, now duplicates row 2
    assert recipients.status[2] == "duplicate"
    recipients.update_phone(0, "nope")  # row 2 broken: row 4 now owns the number
    assert recipients.status[:3] == ["invalid", "ready", "ready"]
    assert recipients.reason[0] == "not_a_number"
    assert recipients.input_phone[0] == "nope"
    assert recipients.table.column_values("Mobile") == table_column  # the file's data is kept


def test_update_template_keeps_phone_checks(recipients) -> None:
    recipients.update_template("Order {{Order No}}")
    assert recipients.body[0] == "Order A1"
    assert recipients.status == ["ready", "duplicate", "invalid", "invalid", "ready", "invalid"]
    recipients.update_template("Hello")
    assert recipients.status[5] == "ready"  # the braces are no longer used
    with pytest.raises(TemplateError):
        recipients.update_template("{{Unknown}}")


def test_contact_data_and_display_name(recipients) -> None:
    assert recipients.contact_data(0)["custom_fields"] == {}  # no column shared by default
    assert recipients.shared_with_trackly() == (
        "Trackly receives for each person: the phone number, the message, first name, "
        "last name, time zone, and no other column."
    )
    recipients.share_columns(["Order No"])
    assert recipients.shared_with_trackly().endswith("time zone, and the columns “Order No”.")
    assert recipients.contact_data(0) == {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "custom_fields": {"Order No": "A1"},
        "timezone": "America/Los_Angeles",
    }
    assert "timezone" not in recipients.contact_data(1)
    assert recipients.display_name(0) == "Ada Lovelace"
    assert recipients.display_name(4) == "+44 20 7946 0018"
    assert recipients.ready_indices() == [0, 4]
    assert recipients.display_names([4, 0]) == ["+44 20 7946 0018", "Ada Lovelace"]
    sources = recipients.contact_sources()
    assert sources.first_name == ["Ada", "Bob", "Cy", "Di", "", "Ed"]
    assert sources.timezone is not None and sources.timezone[0] == "America/Los_Angeles"
    assert [h for h, _values in sources.custom] == ["Order No"]
    assert recipients.attention_indices() == [1, 2, 3, 4, 5]


def test_check_json_shape(recipients) -> None:
    data = report(recipients)
    assert data["file"].endswith("contacts.csv")
    assert data["sheet"] is None
    assert data["mapping"] == {
        "phone": ["Mobile"],
        "first_name": "First",
        "last_name": "Last",
        "timezone": "Zone",
    }
    assert data["header_row"] == 1
    assert data["encoding"] == "UTF-8"
    assert (data["country"], data["country_source"]) == ("US", "chosen")
    assert data["summary"] == {
        "rows": 6,
        "ready": 2,
        "invalid": 3,
        "duplicate": 1,
        "excluded": 0,
        "segments": 2,
    }
    first = data["rows"][0]
    assert first == {
        "row": 2,
        "input_phone": "(415) 555-1234",
        "phone_column": "Mobile",
        "phone": "+14155551234",
        "status": "ready",
        "reason": None,
        "warning": None,
        "body": "Hi Ada, order A1 is ready. {{messageId}}",
        "encoding": "GSM-7",
        "segments": 1,
    }


def test_bad_mapping_and_template_raise(tmp_path: Path) -> None:
    table = read_table(write_csv(tmp_path / "c.csv", ROWS))
    with pytest.raises(MappingError):
        build_recipients(table, ColumnMapping(phone="Phone"), "", "US")
    with pytest.raises(TemplateError) as caught:
        build_recipients(table, MAPPING, "Hi {{Nick}}", "US")
    assert caught.value.position == 3


def test_unmapped_role_renders_empty(tmp_path: Path) -> None:
    table = read_table(write_csv(tmp_path / "c.csv", ROWS[:1]))
    result = build_recipients(table, ColumnMapping(phone="Mobile"), "Hi {{first_name|you}}", "US")
    assert result.body == ["Hi you"]
    assert result.contact_data(0)["first_name"] == ""


def test_progress_and_cancel(tmp_path: Path) -> None:
    rows = [[f"(415) 253-{i % 10000:04d}", "A", "", str(i), ""] for i in range(30_000)]
    table = read_table(write_csv(tmp_path / "big.csv", rows))
    seen: list[tuple[int, int, str]] = []
    result = build_recipients(
        table, MAPPING, TEMPLATE, "US", progress=lambda d, t, w: seen.append((d, t, w))
    )
    phases = {w for _d, _t, w in seen}
    assert phases == {"Checking numbers", "Writing messages"}
    for phase in phases:
        done = [d for d, t, w in seen if w == phase]
        assert done == sorted(done) and done[-1] == 30_000
        assert len(done) >= 3
    assert result.summary().duplicate == 20_000
    token = CancelToken()

    def cancel_midway(done: int, total: int, what: str) -> None:
        if what == "Writing messages":
            token.cancel()

    with pytest.raises(Cancelled):
        build_recipients(table, MAPPING, TEMPLATE, "US", progress=cancel_midway, cancel=token)


def test_cycle_collector_is_back_on_after_bulk_steps(tmp_path: Path) -> None:
    import gc

    table = read_table(write_csv(tmp_path / "c.csv", ROWS))
    build_recipients(table, MAPPING, TEMPLATE, "US")
    assert gc.isenabled()
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        build_recipients(table, MAPPING, TEMPLATE, "US", cancel=token)
    assert gc.isenabled()
