"""Results into a copy of the operator's spreadsheet: `trackly send --results` end to end
against the sandbox, the window's button, formula safety, and never the original."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest

from trackly_desktop import cli
from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.results.spreadsheet_copy import (
    ADDED_COLUMNS,
    default_copy_path,
    write_results_copy,
)
from trackly_desktop.sandbox.demo_data import (
    DEMO_API_KEY,
    DEMO_LIST_NUMBER,
    DEMO_OPTED_OUT_NUMBERS,
)
from trackly_desktop.sandbox.server import SandboxServer

SHOPIFY = Path(__file__).parents[1] / "fixtures" / "consent" / "shopify_customers_export.csv"


@pytest.fixture
def server():
    with SandboxServer(seed=7) as srv:
        yield srv


@pytest.fixture
def shop_export(tmp_path: Path) -> Path:
    """A Shopify customers export with a formula-looking note and name, a customer who
    never agreed to texts (Bob) and one who replied STOP to Trackly (Cy)."""
    with SHOPIFY.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    phone, note, first = header.index("Phone"), header.index("Note"), header.index("First Name")
    body = rows[1:4]
    body[0][note] = "=HYPERLINK(\"http://x\",\"click\")"
    body[2][phone] = DEMO_OPTED_OUT_NUMBERS[0]
    body[2][first] = "@Cy"
    path = tmp_path / "customers_export.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *body])
    return path


def test_trackly_send_results_writes_a_copy_with_status_and_reason(
    tmp_path, server, monkeypatch, capsys, shop_export
):
    monkeypatch.setenv("TRACKLY_API_KEY", DEMO_API_KEY)
    original = shop_export.read_bytes()
    target = tmp_path / "out" / "customers - results.csv"
    args = ["send", str(shop_export), "--list-number", DEMO_LIST_NUMBER, "--template",
            "Hi {{First Name|there}}", "--base-url", server.base_url, "--quiet", "--yes",
            "--map", "phone=Phone", "--results", str(target)]  # fmt: skip
    assert cli.main(args) == 1  # the opted-out customer was not sent
    out = capsys.readouterr().out
    assert f"Results saved into a copy of your spreadsheet: {target}" in out
    assert shop_export.read_bytes() == original  # the original is untouched
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    assert header[:20] == SHOPIFY.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[20:] == list(ADDED_COLUMNS)
    status = {r[1]: dict(zip(ADDED_COLUMNS, r[20:], strict=True)) for r in rows[1:]}
    assert status["Ada"]["Status"] == "Sent"
    assert status["Ada"]["Reason"] == ""
    assert status["Ada"]["Sent at"][:2] == "20" and len(status["Ada"]["Sent at"]) == 16
    # A number starts with "+": the failures export's formula-safety rule (issue 11's) decides
    # how it is made inert in CSV; the number itself is the one format of the app.
    assert status["Ada"]["Number used"].lstrip("'") == "+1 202 555 0101"
    # Bob said no to texts in Shopify: never part of the send, and the copy says why.
    assert status["Bob"]["Status"] == "Not sent"
    assert status["Bob"]["Reason"] == (
        "This person has not agreed to receive texts; they will not be texted."
    )
    assert status["Bob"]["Sent at"] == status["Bob"]["Number used"] == ""
    assert "'@Cy" in status  # formula-safe: the name that starts with @ is inert
    assert status["'@Cy"]["Status"] == "Not sent"  # refused by Trackly: opted out
    assert status["'@Cy"]["Reason"] == (
        "This person unsubscribed or is blocked, so Trackly will not text them."
    )
    note = rows[1][header.index("Note")]
    assert note == "'=HYPERLINK(\"http://x\",\"click\")"


def test_a_workbook_gets_an_xlsx_copy_and_the_original_is_refused(tmp_path, server, monkeypatch,
                                                                  capsys):  # fmt: skip
    monkeypatch.setenv("TRACKLY_API_KEY", DEMO_API_KEY)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Customers"
    sheet.append(["Name", "Mobile", "Balance"])
    sheet.append(["=cmd|' /C calc'!A0", "(415) 555-0132", 12.5])
    sheet.append(["James", "(212) 555-1234", 3])
    sheet.cell(2, 1).data_type = "s"  # a name typed with a leading "=", stored as text
    source = tmp_path / "shop.xlsx"
    book.save(source)
    args = ["send", str(source), "--list-number", DEMO_LIST_NUMBER, "--template", "Hello",
            "--base-url", server.base_url, "--quiet", "--yes"]  # fmt: skip
    assert cli.main(args) == 0
    capsys.readouterr()
    with Journal() as journal:
        campaign_id = journal.campaigns()[0].id
    assert default_copy_path(source) == tmp_path / "shop - results.xlsx"
    written = write_results_copy(Journal().path, campaign_id, default_copy_path(source))
    copy = openpyxl.load_workbook(written)["Results"]
    values = [[c.value for c in row] for row in copy.iter_rows()]
    assert values[0] == ["Name", "Mobile", "Balance", *ADDED_COLUMNS]
    assert values[1][0] == "=cmd|' /C calc'!A0"  # kept as text...
    assert copy.cell(2, 1).data_type == "s"  # ...in a string cell, never a formula
    assert values[1][3] == "Sent" and values[2][3] == "Sent"
    assert values[1][6] == "+1 415 555 0132"
    with pytest.raises(TracklyDesktopError, match="That is your original spreadsheet"):
        write_results_copy(Journal().path, campaign_id, source)
    # Moved away since the send: one plain sentence.
    shutil.move(source, tmp_path / "elsewhere.xlsx")
    with pytest.raises(TracklyDesktopError, match="is no longer where it was"):
        write_results_copy(Journal().path, campaign_id, tmp_path / "x.xlsx")


def test_the_results_button_saves_the_copy(qtbot, tmp_path, server, monkeypatch, shop_export):
    from trackly_desktop.ui.results_view import ResultsView

    monkeypatch.setenv("TRACKLY_API_KEY", DEMO_API_KEY)
    args = ["send", str(shop_export), "--list-number", DEMO_LIST_NUMBER, "--template", "Hi",
            "--base-url", server.base_url, "--quiet", "--yes", "--map", "phone=Phone"]  # fmt: skip
    cli.main(args)
    with Journal() as journal:
        campaign_id = journal.campaigns()[0].id
    view = ResultsView(None)
    qtbot.addWidget(view)
    view.journal_path = Journal().path
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.show_campaign(campaign_id)
    assert view.copy_button.isEnabled()
    target = tmp_path / "copy.csv"
    with qtbot.waitSignal(view.copy_saved, timeout=10000):
        view.save_copy_to(target)
    assert view.state_label.text() == f"The results are in {target}. Your original is unchanged."
    assert target.read_text(encoding="utf-8-sig").splitlines()[0].endswith(
        "Status,Reason,Sent at,Number used,Fix made"
    )
    assert view.copy_button.text() == "Save results into a &copy of my spreadsheet…"
