"""Column mapping: suggestions from headers and content, validation, memory."""

from __future__ import annotations

import json

import messy_files  # tests/unit is on sys.path (pytest rootdir-less test modules)
import pytest

from trackly_desktop import paths
from trackly_desktop.core.contacts.mapping import (
    ROLES,
    ColumnMapping,
    suggest_from_headers,
    suggest_mapping,
)
from trackly_desktop.core.contacts.remembered_mappings import MappingMemory
from trackly_desktop.core.errors import MappingError
from trackly_desktop.core.reading.spreadsheet import read_table


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Phone", "First Name", "Last Name"], ("Phone", "First Name", "Last Name", None)),
        (["Cell #", "FName", "Surname", "TZ"], ("Cell #", "FName", "Surname", "TZ")),
        (["Mobile", "Given name", "Family Name"], ("Mobile", "Given name", "Family Name", None)),
        (
            ["Tel", "first_name", "last_name", "Time Zone"],
            ("Tel", "first_name", "last_name", "Time Zone"),
        ),
        (["Telephone", "Forename"], ("Telephone", "Forename", None, None)),
        # "Name" alone is a full name: split into first and last (test_full_name_column).
        (["Phone Number", "Name"], ("Phone Number", None, None, None)),
        (["Móvil", "Nombre", "Apellidos"], ("Móvil", "Nombre", "Apellidos", None)),
        (
            ["Handynummer", "Vorname", "Nachname", "Zeitzone"],
            ("Handynummer", "Vorname", "Nachname", "Zeitzone"),
        ),
        (["Téléphone", "Prénom", "Nom"], ("Téléphone", "Prénom", "Nom", None)),
        (["Cell Phone", "PHONE"], ("Cell Phone", None, None, None)),
        (["Home Phone", "Mobile", "Fax"], ("Mobile", None, None, None)),
        (["Customer Mobile Number", "Notes"], ("Customer Mobile Number", None, None, None)),
        (["Home Phone", "Email"], ("Home Phone", None, None, None)),
        (["Fax", "Hotel", "Email"], (None, None, None, None)),
        (["Full Name", "First Name", "SMS"], ("SMS", "First Name", None, None)),
        (["Excellent?", "Cancellation", "Hotel"], (None, None, None, None)),
        (["SMS Opt-in", "Phone Type", "Fax Number", "Alt Phone"], ("Alt Phone", None, None, None)),
        (
            ["Teléfono móvil", "Customer First Name", "Client Surname"],
            ("Teléfono móvil", "Customer First Name", "Client Surname", None),
        ),
        (["Work Phone", "Cell (main)"], ("Cell (main)", None, None, None)),
    ],
)
def test_suggest_from_header_names(headers, expected) -> None:
    mapping = suggest_from_headers(headers)
    assert (mapping.phone, mapping.first_name, mapping.last_name, mapping.timezone) == expected


def test_suggest_mapping_on_a_read_table(tmp_path) -> None:
    table = read_table(messy_files.cp1252_csv(tmp_path))
    mapping = suggest_mapping(table)
    assert mapping == ColumnMapping("Phone", "First Name", "Last Name")
    assert mapping.custom_fields(table.columns) == ["Notes"]


def test_content_picks_the_phone_column_when_headers_do_not(tmp_path) -> None:
    path = tmp_path / "vague.csv"
    path.write_text(
        "Who,Reference,Contact,Comment\n"
        "Ann,10442,(415) 555-0101,call back\n"
        "Bob,10443,415.555.0102,\n"
        "Cy,10444,+44 20 7946 0958,VIP\n"
        "Di,10445,n/a,\n",
        encoding="utf-8",
    )
    mapping = suggest_mapping(read_table(path))
    assert mapping.phone == "Contact"  # 3 of 4 values are phone numbers; 5-digit refs are not


def test_content_overrules_a_weak_phone_header(tmp_path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "Number,Who,Reach me at\nA-1041,Ann,(415) 555-0101\nA-1042,Bob,415.555.0102\n",
        encoding="utf-8",
    )
    assert suggest_mapping(read_table(path)).phone == "Reach me at"
    plain = tmp_path / "plain.csv"
    plain.write_text("Number,Who\n4155550101,Ann\n4155550102,Bob\n", encoding="utf-8")
    assert suggest_mapping(read_table(plain)).phone == "Number"


def test_content_never_takes_a_column_named_for_another_role(tmp_path) -> None:
    path = tmp_path / "digits.csv"
    path.write_text("First Name,Code\n4155550101,x\n4155550102,y\n", encoding="utf-8")
    mapping = suggest_mapping(read_table(path))
    assert mapping.phone is None
    assert mapping.first_name == "First Name"


def test_content_on_a_file_without_header(tmp_path) -> None:
    path = tmp_path / "bare.csv"
    path.write_text("Ann,4155550101\nBob,4155550102\nCy,4155550103\n", encoding="utf-8")
    table = read_table(path)
    assert table.columns == ["A", "B"]
    assert suggest_mapping(table).phone == "B"


def test_no_phone_column_at_all(tmp_path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("Name,City\nAnn,Paris\nBob,Rome\n", encoding="utf-8")
    mapping = suggest_mapping(read_table(path))
    assert mapping.phone is None
    assert mapping.full_name == "Name"
    with pytest.raises(MappingError, match=r"^Choose which column holds the phone numbers\.$"):
        mapping.validate(["Name", "City"])


def test_dict_round_trip_and_custom_fields() -> None:
    mapping = ColumnMapping(phone="Cell", first_name="First", timezone="TZ")
    assert mapping.as_dict() == {"phone": "Cell", "first_name": "First", "timezone": "TZ"}
    assert ColumnMapping.from_dict(mapping.as_dict()) == mapping
    assert mapping.custom_fields(["First", "Cell", "Store", "TZ", "Points"]) == ["Store", "Points"]
    assert ROLES == (
        "phone", "first_name", "last_name", "timezone", "state", "postal_code", "consent",
        "full_name",
    )  # fmt: skip
    with pytest.raises(MappingError):
        ColumnMapping.from_dict({"phone": "Cell", "email": "E"})


def test_validate_rejects_missing_and_doubled_columns() -> None:
    ColumnMapping("Cell", "First").validate(["Cell", "First"])
    with pytest.raises(MappingError, match="“Mobile” chosen as phone number is not in this file"):
        ColumnMapping("Mobile").validate(["Cell"])
    with pytest.raises(MappingError, match="both phone number and first name"):
        ColumnMapping("Cell", first_name="Cell").validate(["Cell"])


def test_with_role_moves_a_header() -> None:
    mapping = ColumnMapping("Cell", first_name="Name")
    moved = mapping.with_role("last_name", "Name")
    assert moved == ColumnMapping("Cell", last_name="Name")
    assert mapping.with_role("first_name", None) == ColumnMapping("Cell")


def test_memory_recalls_for_the_same_headers_in_any_case_or_order(tmp_path) -> None:
    memory = MappingMemory(tmp_path / "m.json")
    columns = ["Contact", "Who", "Store"]
    memory.remember(columns, ColumnMapping(phone="Contact", first_name="Who"))
    assert memory.recall(columns) == ColumnMapping(phone="Contact", first_name="Who")
    assert memory.recall(["store", "WHO", "contact"]) == ColumnMapping(
        phone="contact", first_name="WHO"
    )
    assert memory.recall(["Contact", "Who"]) is None
    assert memory.recall(["Contact", "Who", "Store", "Extra"]) is None


def test_memory_default_path_and_latest_wins() -> None:
    memory = MappingMemory()
    assert memory.path == paths.mappings_path()
    memory.remember(["A", "B"], ColumnMapping(phone="A"))
    memory.remember(["A", "B"], ColumnMapping(phone="B", first_name="A"))
    assert MappingMemory().recall(["A", "B"]) == ColumnMapping(phone="B", first_name="A")
    stored = json.loads(paths.mappings_path().read_text(encoding="utf-8"))
    assert len(stored["entries"]) == 1
    assert not list(paths.mappings_path().parent.glob(".mappings-*"))  # no temp files left


def test_memory_is_bounded(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(MappingMemory, "MAX_ENTRIES", 12)  # each remember() fsyncs: keep it short
    memory = MappingMemory(tmp_path / "m.json")
    for i in range(MappingMemory.MAX_ENTRIES + 5):
        memory.remember([f"Phone {i}"], ColumnMapping(phone=f"Phone {i}"))
    stored = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert len(stored["entries"]) == MappingMemory.MAX_ENTRIES
    assert memory.recall(["Phone 0"]) is None
    assert memory.recall([f"Phone {MappingMemory.MAX_ENTRIES + 4}"]) is not None


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"[1, 2]",
        b'{"entries": "x"}',
        b'{"entries": [1, {"key": 3}]}',
        b"\xff\xfe",
    ],
)
def test_corrupt_memory_file_is_ignored_and_replaced(tmp_path, content) -> None:
    path = tmp_path / "m.json"
    path.write_bytes(content)
    memory = MappingMemory(path)
    assert memory.recall(["Phone"]) is None
    memory.remember(["Phone"], ColumnMapping(phone="Phone"))
    assert memory.recall(["Phone"]) == ColumnMapping(phone="Phone")


def test_remember_refuses_an_invalid_mapping(tmp_path) -> None:
    memory = MappingMemory(tmp_path / "m.json")
    with pytest.raises(MappingError):
        memory.remember(["Name"], ColumnMapping(phone=None, first_name="Name"))
    assert not (tmp_path / "m.json").exists()


def test_mapping_module_does_not_import_pandas_at_start() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import trackly_desktop.core.contacts.mapping; "
        "print('pandas' in sys.modules, 'phonenumbers' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


def test_state_and_postal_code_columns_of_a_shopify_customers_export():
    # The header row of Shopify's customers CSV export (Customers > Export).
    headers = [
        "First Name", "Last Name", "Email", "Accepts Email Marketing",
        "Default Address Company", "Default Address Address1", "Default Address Address2",
        "Default Address City", "Default Address Province Code",
        "Default Address Country Code", "Default Address Zip", "Default Address Phone",
        "Phone", "Accepts SMS Marketing", "Total Spent", "Total Orders", "Note",
        "Tax Exempt", "Tags",
    ]  # fmt: skip
    mapping = suggest_from_headers(headers)
    assert mapping.state == "Default Address Province Code"
    assert mapping.postal_code == "Default Address Zip"
    assert mapping.first_name == "First Name"


def test_state_and_zip_headers_of_a_plain_list():
    mapping = suggest_from_headers(["Name", "Mobile", "State", "ZIP Code", "Time Zone"])
    assert (mapping.state, mapping.postal_code, mapping.timezone) == (
        "State",
        "ZIP Code",
        "Time Zone",
    )
