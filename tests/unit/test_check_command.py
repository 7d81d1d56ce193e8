"""`trackly check` through the real dispatcher, on files written here."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from trackly_desktop.cli import main
from trackly_desktop.settings import load_settings, save_settings

ROWS = [
    ["Phone", "Name", "Surname", "Order"],
    ["(415) 555-1234", "Ada", "Lovelace", "A1"],
    ["415.555.1234", "Bob", "", "B2"],
    ["1.41555E+10", "Cy", "", "C3"],
    ["+44 7911 123456", "", "", "D4"],
]


@pytest.fixture
def contacts(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(ROWS)
    return path


def test_json_report(contacts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["check", str(contacts), "--country", "us", "--json", "--template", "Hi {{Name|you}}"]
    )
    out = capsys.readouterr()
    assert code == 0
    assert out.err == ""
    data = json.loads(out.out)
    assert data["file"] == str(contacts)
    assert data["sheet"] is None
    assert data["mapping"]["phone"] == ["Phone"]
    assert data["country"] == "US"
    assert data["country_source"] == "chosen"
    assert data["summary"] == {
        "rows": 4,
        "ready": 2,
        "invalid": 1,
        "duplicate": 1,
        "excluded": 0,
        "segments": 2,
    }
    assert [r["row"] for r in data["rows"]] == [2, 3, 4, 5]
    assert [r["status"] for r in data["rows"]] == ["ready", "duplicate", "invalid", "ready"]
    assert data["rows"][2]["reason"] == "excel_damage"
    assert data["rows"][2]["phone"] is None
    assert data["rows"][3]["phone"] == "+447911123456"
    assert data["rows"][3]["body"] == "Hi you"
    assert {r["encoding"] for r in data["rows"]} == {"GSM-7"}


def test_human_summary_lists_rows_needing_attention(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", str(contacts), "--country", "US", "--template", "Order {{Order}}"])
    out = capsys.readouterr().out
    assert code == 0
    assert "contacts.csv: 4 rows" in out
    assert "Ready: 2   Invalid: 1   Duplicates: 1" in out
    assert "row 3: 415.555.1234 — The same number appears in an earlier row" in out
    assert (
        "row 4: 1.41555E+10 — Digits were lost in Excel — export the column as text again." in out
    )
    assert "row 2" not in out


def test_map_template_file_and_settings_country(
    contacts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = load_settings()
    settings.default_country = "GB"
    save_settings(settings)
    template = tmp_path / "message.txt"
    template.write_text("\ufeffHi {{first_name|there}} ☕", encoding="utf-8")
    args = ["check", str(contacts), "--template-file", str(template), "--json"]
    code = main([*args, "--map", "first_name=Surname", "--map", "last_name="])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["mapping"]["first_name"] == "Surname"
    # Read as GB numbers, the US ones are not valid; the +44 one is.
    assert [r["status"] for r in data["rows"]] == ["invalid", "invalid", "invalid", "ready"]
    assert data["rows"][0]["body"] == "Hi Lovelace ☕"
    assert data["rows"][0]["encoding"] == "UCS-2"


def test_workbook_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["nothing to see"])
    sheet = book.create_sheet("Customers")
    sheet.append(["Mobile", "First name"])
    sheet.append([4155551234, "Ada"])  # a numeric cell
    book.save(path)
    code = main(["check", str(path), "--sheet", "Customers", "--country", "US", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["sheet"] == "Customers"
    assert data["rows"][0]["phone"] == "+14155551234"
    assert data["rows"][0]["body"] is None  # no template given
    assert data["rows"][0]["segments"] == 0


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--template", "Hi {{Nickname}}"], "at character 4"),
        (["--template", "Hi {{Name"], "never closed"),
        (["--map", "phone=Mobile"], "“Mobile” chosen as phone"),
        (["--map", "boss=Name"], "“boss” is not a column role"),
        (["--map", "phone"], "should look like ROLE=HEADER"),
        (["--country", "Narnia"], "is not a country code"),
        (["--template-file", "/nonexistent/message.txt"], "does not exist"),
    ],
)
def test_bad_input_is_one_sentence_and_exit_2(
    contacts: Path, extra: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", str(contacts), "--country", "US", *extra][:None])
    out = capsys.readouterr()
    assert code == 2
    assert out.out == ""
    assert words in out.err
    assert out.err.count("\n") == 1
    assert "Traceback" not in out.err


def test_missing_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "gone.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("trackly check: ") and "gone.csv" in err


@pytest.mark.parametrize("chunk", [8192, 1, 2])
def test_streamed_json_equals_the_object(
    contacts: Path, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from trackly_desktop.commands import check_json
    from trackly_desktop.core.contacts.mapping import suggest_mapping
    from trackly_desktop.core.reading.spreadsheet import read_table
    from trackly_desktop.core.recipients.build import build_recipients

    monkeypatch.setattr(check_json, "_JSON_CHUNK", chunk)  # rows written in chunks of this many
    table = read_table(contacts)
    recipients = build_recipients(table, suggest_mapping(table), "Hi {{Name|you}} ☕", "US")
    out = io.StringIO()
    check_json.write_json(recipients, out)
    assert json.loads(out.getvalue()) == check_json.report(recipients)
    assert out.getvalue().endswith("]}\n")


def test_json_rows_keep_what_orjson_refuses(contacts: Path) -> None:
    import io

    from trackly_desktop.commands.check_json import write_json
    from trackly_desktop.core.contacts.mapping import suggest_mapping
    from trackly_desktop.core.reading.spreadsheet import read_table
    from trackly_desktop.core.recipients.build import build_recipients

    table = read_table(contacts)
    recipients = build_recipients(table, suggest_mapping(table), "Hi {{Name|you}}", "US")
    recipients.body[1] = "Hi \ud800 there"  # a lone surrogate, as from a damaged file
    out = io.StringIO()
    write_json(recipients, out)
    rows = json.loads(out.getvalue())["rows"]
    assert [r["body"] for r in rows] == ["Hi Ada", "Hi \ud800 there", "Hi Cy", "Hi you"]
    assert [r["row"] for r in rows] == [2, 3, 4, 5]


def test_cost_from_the_price_in_settings_and_from_the_command_line(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = load_settings()
    settings.price_per_part, settings.currency = "0.04", "GBP"
    save_settings(settings)
    # Two ready rows, "Order A1" is one part each: 2 parts at £0.04.
    assert main(["check", str(contacts), "--country", "US", "--template", "Order {{Order}}"]) == 0
    assert "Estimated cost: about £0.08 for 2 message parts." in capsys.readouterr().out
    args = ["check", str(contacts), "--country", "US", "--template", "Order {{Order}}"]
    assert main([*args, "--price-per-part", "0.5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cost"] == {"amount": "1.00", "currency": "GBP"}
    assert main([*args, "--price-per-part", "lots"]) == 2
    assert "“lots” is not a price" in capsys.readouterr().err


def test_no_price_no_cost_line(contacts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(contacts), "--country", "US", "--template", "Hi"]) == 0
    assert "cost" not in capsys.readouterr().out.lower()


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "consent"


def test_consent_and_the_do_not_text_list_in_words_and_json(capsys):
    source = str(FIXTURES / "hubspot_contacts_export.csv")
    assert main(["optouts", "add", "+1 202 555 0131", "--reason", "asked"]) == 0
    capsys.readouterr()
    assert main(["check", source, "--country", "US"]) == 0
    out = capsys.readouterr().out.splitlines()
    for line in (
        "Ready: 2   Invalid: 1   Duplicates: 0   Not texted: 2   Message parts to send: 0",
        "Consent: SMS Opt Out: rows marked yes (or “opted out”) will not be texted; empty "
        "cells are texted.",
        "2 rows will not be texted: 1 did not agree to texts (column SMS Opt Out), "
        "1 on your do-not-text list.",
        "  row 6: +1 202-555-0135 — The consent cell reads “maybe” (column SMS Opt Out): "
        "write yes or no there.",
    ):
        assert line in out
    assert main(["check", source, "--country", "US", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mapping"]["consent"] == "SMS Opt Out"
    assert data["mapping"]["consent_polarity"] == "opt_out"
    assert data["summary"]["excluded"] == 2
    assert [(r["status"], r["reason"], r["consent"]) for r in data["rows"]] == [
        ("excluded", "do_not_text", "false"),
        ("excluded", "no_consent", "true"),
        ("ready", None, "false"),
        ("ready", None, ""),
        ("invalid", "consent_unreadable", "maybe"),
    ]
    # Read the other way round when the header does not say it right.
    assert main(["check", source, "--country", "US", "--json", "--consent-means", "opt_in"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["status"] for r in data["rows"]] == [
        "excluded", "ready", "excluded", "excluded", "invalid",
    ]  # fmt: skip


# 100 characters with a curly apostrophe and a long dash (named in the order they come):
# special characters, 2 parts each; plain, 1 part. The file's two ready rows: 4 parts now,
# 2 with plain characters.
CURLY = "It\u2019s ready \u2014 " + "x" * 86


def test_check_names_the_special_characters_and_what_plain_ones_save(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = load_settings()
    settings.currency = "USD"
    save_settings(settings)
    args = ["check", str(contacts), "--country", "US", "--template", CURLY]
    assert main([*args, "--price-per-part", "0.5"]) == 0
    out = capsys.readouterr().out
    assert "Message parts to send: 4" in out
    assert (
        "Plain characters instead of \u2019 \u2014 would make the 2 messages 2 parts instead "
        "of 4 (about $1.00 less).\n"
        "Add --plain-characters to use plain ones (trackly check and trackly send both take "
        "it), or retype them in the message.\n"
    ) in out

    assert main([*args, "--json"]) == 0  # no price set: no money saved in the JSON
    data = json.loads(capsys.readouterr().out)
    assert data["plain_characters"] == {
        "characters": ["\u2019", "\u2014"],
        "segments": 4,
        "segments_plain": 2,
        "saves_segments": 2,
        "option": "--plain-characters",
    }
    assert "made_plain" not in data

    assert main([*args, "--plain-characters", "--price-per-part", "0.5"]) == 0
    out = capsys.readouterr().out
    assert "Message parts to send: 2" in out
    assert "Plain characters: \u2019 \u2014 in the message made plain (--plain-characters)." in out
    assert "would make" not in out
    assert main([*args, "--plain-characters", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["plain_characters"] is None and data["made_plain"] == ["\u2019", "\u2014"]
    assert data["rows"][0]["body"] == "It's ready - " + "x" * 86
    assert data["rows"][0]["encoding"] == "GSM-7"


def test_no_plain_characters_hint_when_they_would_save_nothing(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Short: one part either way. An emoji keeps the long one special whatever is plain.
    for template in ("It\u2019s ready", CURLY + "\U0001f389", "Plain text"):
        assert main(["check", str(contacts), "--country", "US", "--template", template]) == 0
        assert "Plain characters" not in capsys.readouterr().out
        assert main(["check", str(contacts), "--country", "US", "--template", template,
                     "--json"]) == 0  # fmt: skip
        assert json.loads(capsys.readouterr().out)["plain_characters"] is None
