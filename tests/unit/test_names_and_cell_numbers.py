"""Full names split for greetings, several numbers in one cell, two countries' readings."""

from __future__ import annotations

import json

import pytest

from tests.unit import export_corpus
from trackly_desktop.cli import main
from trackly_desktop.core.contacts.name_split import split_full_name
from trackly_desktop.core.phones.cell_numbers import split_numbers
from trackly_desktop.settings import load_settings, save_settings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maria Gonzalez", ("Maria", "Gonzalez")),
        ("Gonzalez, Maria", ("Maria", "Gonzalez")),
        ("Dr. Ada Lovelace", ("Ada", "Lovelace")),
        ("Mrs Jane Doe", ("Jane", "Doe")),
        ("Ms. Li Na", ("Li", "Na")),
        ("Maria de la Cruz", ("Maria", "de la Cruz")),
        ("de la Cruz, Maria", ("Maria", "de la Cruz")),
        ("Cher", ("Cher", "")),
        ("Mr. Smith", ("", "Smith")),
        ("Ann Lee, MD", ("Ann", "Lee")),
        ("  ", ("", "")),
    ],
)
def test_full_names(text, expected) -> None:
    assert split_full_name(text) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("+1 415-555-0132 ::: (415) 555-0199", ["+1 415-555-0132", "(415) 555-0199"]),
        ("(415) 555-0132 / (415) 555-0199", ["(415) 555-0132", "(415) 555-0199"]),
        ("0412 345 678; 02 9374 4000", ["0412 345 678", "02 9374 4000"]),
        ("415-555-0132 or 415-555-0199", ["415-555-0132", "415-555-0199"]),
        ("415-555-0132\n415-555-0199", ["415-555-0132", "415-555-0199"]),
        ("0171/1234567", ["0171/1234567"]),  # one German mobile, not two numbers
        ("030/1234567", ["030/1234567"]),
        ("415 555 0132, ext 3", ["415 555 0132, ext 3"]),
        ("+49 (0) 171 1234567", ["+49 (0) 171 1234567"]),
    ],
)
def test_several_numbers_in_a_cell(cell, expected) -> None:
    assert split_numbers(cell) == expected


def test_a_number_valid_in_both_countries_is_never_silently_re_read(tmp_path, capsys) -> None:
    settings = load_settings()
    settings.default_country = "US"
    save_settings(settings)
    path = export_corpus.uk_list(tmp_path)
    with path.open("a", encoding="utf-8", newline="") as handle:
        # A London number without its 0: also a valid Maine number (+1 207 946 0099).
        handle.write("Amir Khan,207 946 0099\r\n")
    assert main(["check", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["country_source"] == "inferred"
    last = data["rows"][-1]
    assert (last["row"], last["phone"], last["status"], last["reason"]) == (
        7, None, "invalid", "two_countries",
    )  # fmt: skip
    assert main(["check", str(path), "--json", "--country", "GB"]) == 0
    chosen = json.loads(capsys.readouterr().out)["rows"][-1]
    assert (chosen["phone"], chosen["status"]) == ("+442079460099", "ready")
