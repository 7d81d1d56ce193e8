"""Real-shaped exports through `trackly check --json`: what each row becomes, by hand.

Each case is one file from `export_corpus` (the column layout of the product's own
export), checked with the default country US unless said, as a person would run it.
A row's expectation is (spreadsheet row, column the number came from, E.164 or None,
status, reason, warning). Formats covered: Shopify customers, Square customer
directory, Google Contacts, Outlook, HubSpot, Mailchimp audience, Wix contacts,
Mindbody clients, QuickBooks Online customer contact list (.xlsx with title rows and a
date footer), a hand-made workbook (title, merged group row, footer total, full names),
UK, Canadian, Australian, German (semicolons, BOM), Indian lists, Windows-1251 Russian
and Shift-JIS Japanese lists.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit import export_corpus
from trackly_desktop.cli import main
from trackly_desktop.settings import load_settings, save_settings

R, INV, X = "ready", "invalid", "excluded"


def _check(tmp_path: Path, build, capsys, *extra: str) -> dict:
    settings = load_settings()
    settings.default_country = "US"
    save_settings(settings)
    path = build(tmp_path)
    code = main(["check", str(path), "--json", "--template", "Hi {{first_name|there}}", *extra])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def _rows(data: dict) -> list[tuple]:
    return [
        (r["row"], r["phone_column"], r["phone"], r["status"], r["reason"], r["warning"])
        for r in data["rows"]
    ]


def _bodies(data: dict) -> list[str]:
    return [r["body"] for r in data["rows"]]


def test_shopify_customers(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.shopify, capsys)
    # 'Customer ID' ('7012345678901, 13 digits) and the ZIP are never phones.
    assert data["mapping"]["phone"] == ["Phone", "Default Address Phone"]
    assert data["mapping"]["consent"] == "Accepts SMS Marketing"
    assert _rows(data) == [
        (2, "Phone", "+14155550102", R, None, None),
        (3, "Default Address Phone", "+12125550143", R, None, None),
        (4, None, None, INV, "missing", None),
    ]
    assert (data["country"], data["country_source"], data["header_row"]) == ("US", "default", 1)


def test_square_customers_with_two_numbers_in_a_cell(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.square, capsys)
    assert data["mapping"]["phone"] == ["Phone Number"]
    assert _rows(data) == [
        (2, "Phone Number", "+14155550111", R, None, None),
        (3, "Phone Number", "+14155550112", R, None, None),  # the first of "… / …"
    ]
    assert data["rows"][1]["input_phone"] == "(415) 555-0112"


def test_google_contacts_prefer_each_contacts_mobile(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.google_contacts, capsys)
    # "Phonetic First Name" and "Photo" start like "phone" but are not phones.
    assert data["mapping"]["phone"] == ["Phone 2 - Value", "Phone 1 - Value"]
    assert _rows(data) == [
        (2, "Phone 2 - Value", "+447911123456", R, None, None),  # Mobile over Home in Phone 1
        (3, "Phone 2 - Value", "+447911123457", R, None, None),  # only in Phone 2
        (4, "Phone 1 - Value", "+14155550132", R, None, None),  # first of " ::: "
        (5, "Phone 1 - Value", "+442079460019", R, None, "landline"),
    ]
    assert data["rows"][2]["input_phone"] == "+1 415-555-0132"


def test_google_contacts_rows_say_which_number(tmp_path, capsys) -> None:
    path = export_corpus.google_contacts(tmp_path)
    assert main(["check", str(path), "--country", "US"]) == 0
    out = capsys.readouterr().out
    assert (
        "row 5: +44 20 7946 0019 — Home number used: no mobile number in this row. "
        "This looks like a landline number; it may not receive texts."
    ) in out


def test_outlook_mobile_first_home_next_fax_never(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.outlook, capsys)
    phones = data["mapping"]["phone"]
    assert phones[0] == "Mobile Phone"
    assert "Business Fax" not in phones and "Pager" not in phones
    assert "Assistant's Phone" not in phones
    assert _rows(data) == [
        (2, "Mobile Phone", "+14155550121", R, None, None),
        (3, "Home Phone", "+441614960000", R, None, "landline"),
        (4, None, None, INV, "missing", None),  # only a fax number
    ]


def test_hubspot_mobile_phone_number_first(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.hubspot, capsys)
    assert data["mapping"]["phone"] == ["Mobile Phone Number", "Phone Number"]
    assert _rows(data) == [
        (2, "Mobile Phone Number", "+14155550130", R, None, None),
        (3, "Phone Number", "+14155550133", R, None, None),
    ]


def test_mailchimp_audience(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.mailchimp, capsys)
    assert data["mapping"]["phone"] == ["Phone Number"]
    assert data["mapping"]["timezone"] == "TIMEZONE"
    assert _rows(data) == [
        (2, "Phone Number", "+14155550141", R, None, None),
        (3, None, None, INV, "missing", None),
    ]


def test_wix_contacts(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.wix, capsys)
    assert data["mapping"]["phone"] == ["Phone 1", "Phone 2"]
    assert data["mapping"]["consent"] == "SMS subscriber status"
    assert _rows(data) == [
        (2, "Phone 2", "+14155550151", X, "no_consent", None),  # consent cell empty
        (3, "Phone 1", None, INV, "too_short", None),
    ]


def test_mindbody_clients(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.mindbody, capsys)
    assert data["mapping"]["phone"] == ["Mobile Phone", "Home Phone", "Work Phone"]
    assert _rows(data) == [
        (2, "Home Phone", "+14155550161", R, None, None),
        (3, "Mobile Phone", "+14155550163", R, None, None),
    ]


def test_quickbooks_contact_list_with_title_rows_and_date_footer(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.quickbooks, capsys)
    assert data["header_row"] == 5
    assert data["encoding"] is None  # a workbook
    assert data["mapping"]["phone"] == ["Phone Numbers"]
    assert data["mapping"]["full_name"] == "Full Name"
    assert _rows(data) == [
        (6, "Phone Numbers", "+16505553311", R, None, None),
        (7, "Phone Numbers", "+14154446538", R, None, None),
        (8, None, None, INV, "missing", None),
    ]
    assert _bodies(data) == ["Hi Amy", "Hi Bill", "Hi Kirby"]  # "Mr." dropped, "Grover, Kirby"


def test_hand_made_workbook_title_merged_group_footer(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.pickups_workbook, capsys)
    assert data["header_row"] == 4
    assert data["mapping"]["phone"] == ["Cell"]
    assert data["mapping"]["full_name"] == "Name"
    assert [r["row"] for r in data["rows"]] == [5, 6, 7]  # "Total pickups: 3" is not a contact
    assert _bodies(data) == ["Hi Maria", "Hi Sam", "Hi Jo"]


def test_hand_made_workbook_header_row_chosen(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.pickups_workbook, capsys, "--header-row", "3",
                  "--map", "phone=Contact")  # fmt: skip
    assert data["header_row"] == 3
    assert data["mapping"]["phone"] == ["Contact"]
    assert data["rows"][0]["row"] == 4
    assert data["rows"][0]["input_phone"] == "Cell"
    assert data["rows"][0]["reason"] == "not_a_number"


def test_uk_list_under_a_us_default_is_read_as_uk(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.uk_list, capsys)
    assert (data["country"], data["country_source"]) == ("GB", "inferred")
    assert _rows(data) == [
        (2, "Mobile", "+447911123456", R, None, None),
        (3, "Mobile", "+447400123456", R, None, None),
        (4, "Mobile", None, INV, "invalid_for_country", None),  # 07700 900xxx: drama numbers
        (5, "Mobile", "+442079460018", R, None, "landline"),
        (6, "Mobile", "+14155550181", R, None, None),  # a + code reads the same anywhere
    ]


def test_uk_list_explicit_country_wins(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.uk_list, capsys, "--country", "US")
    assert (data["country"], data["country_source"]) == ("US", "chosen")
    assert [r["reason"] for r in data["rows"]][:2] == ["too_long", "too_long"]


def test_uk_list_human_report_says_how_numbers_are_read(tmp_path, capsys) -> None:
    path = export_corpus.uk_list(tmp_path)
    settings = load_settings()
    settings.default_country = "US"
    save_settings(settings)
    assert main(["check", str(path)]) == 0
    assert "These look like UK numbers, read as United Kingdom (GB)" in capsys.readouterr().out


def test_canadian_list_stays_north_american(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.canadian_list, capsys)
    assert (data["country"], data["country_source"]) == ("US", "default")
    assert _rows(data) == [
        (2, "Cell", "+14165550190", R, None, None),
        (3, "Cell", "+16045550191", R, None, None),
    ]


def test_australian_list(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.australian_list, capsys)
    assert (data["country"], data["country_source"]) == ("AU", "inferred")
    assert _rows(data) == [
        (2, "Mobile", "+61412345678", R, None, None),
        (3, "Mobile", "+61423456789", R, None, None),
        (4, "Mobile", "+61293744000", R, None, "landline"),
    ]


def test_german_list_semicolons_bom_and_festnetz(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.german_list, capsys)
    assert (data["country"], data["country_source"]) == ("DE", "inferred")
    assert data["mapping"]["phone"] == ["Handy", "Festnetz"]
    assert _rows(data) == [
        (2, "Handy", "+491711234567", R, None, None),
        (3, "Festnetz", "+498912345678", R, None, "landline"),
        (4, "Handy", "+4915123456789", R, None, None),  # "0151/23456789" is one number
    ]
    assert _bodies(data) == ["Hi Jürgen", "Hi Käthe", "Hi Özlem"]


def test_indian_list(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.indian_list, capsys)
    assert (data["country"], data["country_source"]) == ("IN", "inferred")
    assert [r["phone"] for r in data["rows"]] == [
        "+919876543210", "+919123456789", "+919876543211", "+919900112233",
    ]  # fmt: skip
    assert _bodies(data)[0] == "Hi Priya"  # "Customer Name" split


def test_russian_windows_1251(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.russian_cp1251, capsys)
    assert data["encoding"] == "Windows-1251"
    assert data["mapping"]["phone"] == ["Мобильный"]
    assert (data["country"], data["country_source"]) == ("RU", "inferred")
    assert [r["phone"] for r in data["rows"]] == [
        "+79123456789", "+79161234567", "+79031234567", "+79265554433",
    ]  # fmt: skip
    assert (data["mapping"]["first_name"], data["mapping"]["last_name"]) == ("Имя", "Фамилия")
    assert _bodies(data) == ["Hi Иван", "Hi Ольга", "Hi Сергей", "Hi Анна"]


def test_japanese_shift_jis(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.japanese_shift_jis, capsys)
    assert data["encoding"] == "Shift-JIS"
    assert data["mapping"]["phone"] == ["携帯電話"]
    assert (data["country"], data["country_source"]) == ("JP", "inferred")
    assert [r["phone"] for r in data["rows"]] == ["+819012345678", "+818087654321", "+817011112222"]
    # "氏名" is a full name written family name first: never split into "Hi 山田".
    assert "first_name" not in data["mapping"]
    assert _bodies(data) == ["Hi there", "Hi there", "Hi there"]


def test_japanese_family_and_given_name_columns(tmp_path, capsys) -> None:
    data = _check(tmp_path, export_corpus.japanese_given_and_family, capsys)
    assert data["mapping"]["phone"] == ["携帯番号", "電話番号（自宅）"]  # mobile, then home
    assert (data["mapping"]["first_name"], data["mapping"]["last_name"]) == ("名", "姓")
    assert (data["country"], data["country_source"]) == ("JP", "inferred")
    assert [r["phone"] for r in data["rows"]] == ["+819012345678", "+818087654321", "+817011112222"]
    assert _bodies(data) == ["Hi 太郎", "Hi 花子", "Hi 健"]


@pytest.mark.parametrize("name", ["windows-1252", "cp1252"])
def test_encoding_named_on_the_command_line(tmp_path, capsys, name) -> None:
    path = tmp_path / "names.csv"
    path.write_bytes("Name,Phone\nRenée Côté,416 555 0132\n".encode("cp1252"))
    assert main(["check", str(path), "--country", "CA", "--json", "--encoding", name]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["encoding"] == "Windows-1252"
    assert data["rows"][0]["phone"] == "+14165550132"
