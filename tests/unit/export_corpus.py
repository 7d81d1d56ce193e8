"""Files shaped like the exports operators really have, written by the tests.

Column layouts follow the products' own export formats (Shopify customers, Square
customer directory, Google Contacts, Outlook, HubSpot, Mailchimp audience, Wix contacts,
Mindbody clients, QuickBooks Online customer contact list); the values are made up.
Each builder returns the path it wrote; test_export_corpus.py says row by row what
`trackly check` must make of it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

SHOPIFY_HEADER = [
    "Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing",
    "Default Address Company", "Default Address Address1", "Default Address Address2",
    "Default Address City", "Default Address Province Code", "Default Address Country Code",
    "Default Address Zip", "Default Address Phone", "Phone", "Accepts SMS Marketing",
    "Total Spent", "Total Orders", "Note", "Tax Exempt", "Tags",
]  # fmt: skip
SQUARE_HEADER = [
    "Reference ID", "First Name", "Last Name", "Email Address", "Phone Number", "Nickname",
    "Company Name", "Street Address 1", "Street Address 2", "City", "State", "Postal Code",
    "Birthday", "Memo", "Square Customer ID", "Creation Source", "First Visit", "Last Visit",
    "Transaction Count", "Total Spend", "Email Subscription Status", "Instant Profile",
]  # fmt: skip
GOOGLE_HEADER = [
    "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name",
    "Phonetic Last Name", "Name Prefix", "Name Suffix", "Nickname", "File As",
    "Organization Name", "Organization Title", "Organization Department", "Birthday",
    "Notes", "Photo", "Labels", "E-mail 1 - Label", "E-mail 1 - Value", "Phone 1 - Label",
    "Phone 1 - Value", "Phone 2 - Label", "Phone 2 - Value", "Address 1 - Label",
    "Address 1 - Formatted", "Address 1 - City", "Address 1 - Postal Code",
]  # fmt: skip
OUTLOOK_HEADER = [
    "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department",
    "Job Title", "Business Street", "Business City", "Business State",
    "Business Postal Code", "Business Country/Region", "Home Street", "Home City",
    "Home State", "Home Postal Code", "Home Country/Region", "Assistant's Phone",
    "Business Fax", "Business Phone", "Business Phone 2", "Callback", "Car Phone",
    "Company Main Phone", "Home Fax", "Home Phone", "Home Phone 2", "ISDN", "Mobile Phone",
    "Other Fax", "Other Phone", "Pager", "Primary Phone", "Radio Phone", "TTY/TDD Phone",
    "Telex", "Anniversary", "Birthday", "E-mail Address", "E-mail Type", "Notes",
]  # fmt: skip
# Outlook.com's contacts export (People ▸ Manage ▸ Export contacts): 61 columns.
OUTLOOK_COM_HEADER = next(csv.reader([
    "First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,"
    "E-mail Address,E-mail 2 Address,E-mail 3 Address,Home Phone,Home Phone 2,Business Phone,"
    "Business Phone 2,Mobile Phone,Car Phone,Other Phone,Primary Phone,Pager,Business Fax,"
    "Home Fax,Other Fax,Company Main Phone,Callback,Radio Phone,Telex,TTY/TDD Phone,IMAddress,"
    "Job Title,Department,Company,Office Location,Manager's Name,Assistant's Name,"
    "Assistant's Phone,Company Yomi,Business Street,Business City,Business State,"
    "Business Postal Code,Business Country/Region,Home Street,Home City,Home State,"
    "Home Postal Code,Home Country/Region,Other Street,Other City,Other State,"
    "Other Postal Code,Other Country/Region,Personal Web Page,Spouse,Schools,Hobby,Location,"
    "Web Page,Birthday,Anniversary,Notes"
]))  # fmt: skip
HUBSPOT_HEADER = [
    "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number",
    "Lifecycle Stage", "Create Date", "Contact owner", "Last Activity Date",
]  # fmt: skip
MAILCHIMP_HEADER = [
    "Email Address", "First Name", "Last Name", "Address", "Phone Number", "Birthday",
    "MEMBER_RATING", "OPTIN_TIME", "OPTIN_IP", "CONFIRM_TIME", "CONFIRM_IP", "LATITUDE",
    "LONGITUDE", "GMTOFF", "DSTOFF", "TIMEZONE", "CC", "REGION", "LAST_CHANGED", "LEID",
    "EUID", "NOTES", "TAGS",
]  # fmt: skip
WIX_HEADER = [
    "First Name", "Last Name", "Email 1", "Phone 1", "Phone 2", "Address 1 - Street",
    "Address 1 - City", "Address 1 - Zip", "Labels", "Created At (UTC+0)",
    "Email subscriber status", "SMS subscriber status",
]  # fmt: skip
MINDBODY_HEADER = [
    "Client ID", "Last Name", "First Name", "Email", "Mobile Phone", "Home Phone",
    "Work Phone", "Address", "City", "State", "Zip", "Birth Date", "Last Visit",
]  # fmt: skip


def _csv(path: Path, header: list[str], rows: list[list[str]], *, encoding: str = "utf-8",
         delimiter: str = ",") -> Path:  # fmt: skip
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row + [""] * (len(header) - len(row)))
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def _row(header: list[str], **cells: str) -> list[str]:
    """A row of `header` with the named cells filled (keys: headers with _ for spaces)."""
    by_key = {h: "" for h in header}
    for key, value in cells.items():
        name = next(h for h in header if _key(h) == key)
        by_key[name] = value
    return [by_key[h] for h in header]


def _key(header: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in header.lower()).strip("_")


def shopify(folder: Path) -> Path:
    h = SHOPIFY_HEADER
    rows = [
        _row(h, customer_id="'7012345678901", first_name="Ann", last_name="Lee",
             email="ann@example.com", default_address_zip="'94110",
             default_address_phone="'+14155550101", phone="'+14155550102",
             accepts_sms_marketing="yes", total_spent="120.50", total_orders="3"),
        _row(h, customer_id="'7012345678902", first_name="Bo", last_name="Chan",
             email="bo@example.com", default_address_zip="'10001",
             default_address_phone="(212) 555-0143", accepts_sms_marketing="yes",
             total_spent="0.00", total_orders="0"),
        _row(h, customer_id="'7012345678903", first_name="Cy", last_name="Diaz",
             email="cy@example.com", accepts_sms_marketing="yes", total_spent="75.00",
             total_orders="1"),
    ]  # fmt: skip
    return _csv(folder / "customers_export.csv", h, rows)


def square(folder: Path) -> Path:
    h = SQUARE_HEADER
    rows = [
        _row(h, first_name="Dee", last_name="Park", email_address="dee@example.com",
             phone_number="+14155550111", square_customer_id="WX5N2Y3B1T4PZ8J9",
             creation_source="Third Party Import", first_visit="2024-03-01",
             transaction_count="4", total_spend="$88.00", postal_code="94110"),
        _row(h, first_name="Eli", last_name="Ross", phone_number="(415) 555-0112 / (415) 555-0113",
             square_customer_id="QH7M3K2L9R8T6V5C", transaction_count="1",
             total_spend="$12.50", postal_code="94103"),
    ]  # fmt: skip
    return _csv(folder / "export-20241101.csv", h, rows)


def google_contacts(folder: Path) -> Path:
    h = GOOGLE_HEADER
    rows = [
        # Home landline in Phone 1, the mobile in Phone 2: the mobile is texted.
        _row(h, first_name="Fay", last_name="Hart", labels="* myContacts",
             phone_1___label="Home", phone_1___value="+44 20 7946 0018",
             phone_2___label="Mobile", phone_2___value="+44 7911 123456"),
        # The only number is in Phone 2.
        _row(h, first_name="Gus", last_name="Ito", labels="* myContacts",
             phone_2___label="Mobile", phone_2___value="+44 7911 123457"),
        # Two mobiles in one cell, as Google joins them.
        _row(h, first_name="Hal", last_name="Jay", labels="* myContacts",
             phone_1___label="Mobile", phone_1___value="+1 415-555-0132 ::: (415) 555-0199"),
        # Only a home landline.
        _row(h, first_name="Ivy", last_name="Kim", labels="* myContacts",
             phone_1___label="Home", phone_1___value="+44 20 7946 0019"),
    ]  # fmt: skip
    return _csv(folder / "contacts.csv", h, rows)


def outlook(folder: Path) -> Path:
    h = OUTLOOK_HEADER
    rows = [
        _row(h, first_name="Jo", last_name="Lund", mobile_phone="(415) 555-0121",
             home_phone="(415) 555-0122", business_fax="(415) 555-0123"),
        # No mobile: the home number is used, and the row says so.
        _row(h, first_name="Kai", last_name="Moss", home_phone="+44 161 496 0000",
             business_fax="+44 161 496 0001"),
        # Only a fax: a fax never receives a text.
        _row(h, first_name="Lu", last_name="Ng", business_fax="(415) 555-0124"),
    ]  # fmt: skip
    return _csv(folder / "outlook_contacts.CSV", h, rows, encoding="cp1252")


def hubspot(folder: Path) -> Path:
    h = HUBSPOT_HEADER
    rows = [
        _row(h, record_id="51234567801", first_name="Mo", last_name="Otto",
             email="mo@example.com", phone_number="+1 (415) 555-0131",
             mobile_phone_number="+1 (415) 555-0130", create_date="2024-10-01 09:30"),
        _row(h, record_id="51234567802", first_name="Nia", last_name="Pratt",
             email="nia@example.com", phone_number="+1 (415) 555-0133",
             create_date="2024-10-02 11:00"),
    ]  # fmt: skip
    return _csv(folder / "hubspot-crm-exports-all-contacts-2024-11-01.csv", h, rows)


def mailchimp(folder: Path) -> Path:
    h = MAILCHIMP_HEADER
    rows = [
        _row(h, email_address="oz@example.com", first_name="Oz", last_name="Quinn",
             phone_number="415-555-0141", member_rating="2", optin_time="2024-01-05 10:00:00",
             timezone="America/Los_Angeles", cc="US", leid="123456789",
             euid="a1b2c3d4e5"),
        _row(h, email_address="pia@example.com", first_name="Pia", last_name="Rao",
             phone_number="", member_rating="4", timezone="America/New_York", cc="US",
             leid="123456790", euid="f6g7h8i9j0"),
    ]  # fmt: skip
    return _csv(folder / "subscribed_members_export_1a2b3c.csv", h, rows)


def wix(folder: Path) -> Path:
    h = WIX_HEADER
    rows = [
        _row(h, first_name="Quy", last_name="Sato", email_1="quy@example.com",
             phone_1="", phone_2="+1 415 555 0151", created_at__utc_0="2024-06-01 12:00"),
        _row(h, first_name="Rae", last_name="Tran", phone_1="555-0152",
             phone_2="", created_at__utc_0="2024-06-02 12:00"),
    ]  # fmt: skip
    return _csv(folder / "contacts (1).csv", h, rows)


def mindbody(folder: Path) -> Path:
    h = MINDBODY_HEADER
    rows = [
        _row(h, client_id="100000123", last_name="Ueda", first_name="Sam",
             mobile_phone="", home_phone="(415) 555-0161", work_phone="(415) 555-0162",
             zip="94110", birth_date="1990-04-01"),
        _row(h, client_id="100000124", last_name="Vega", first_name="Tia",
             mobile_phone="415.555.0163", home_phone="", zip="94110"),
    ]  # fmt: skip
    return _csv(folder / "ClientList.csv", h, rows)


def quickbooks(folder: Path) -> Path:
    """QuickBooks Online's Customer Contact List report exported to Excel."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Customer Contact List"
    sheet["A1"] = "Craig's Design and Landscaping Services"
    sheet["A2"] = "Customer Contact List"
    sheet["A3"] = "All Dates"
    rows = [
        ("", "Customer", "Phone Numbers", "Email", "Full Name", "Billing Address"),
        ("", "Amy's Bird Sanctuary", "Phone: (650) 555-3311", "birds@example.com",
         "Amy Lauterbach", "4581 Finch St., Bayshore, CA 94326"),
        ("", "Bill's Windsurf Shop", "(415) 444-6538", "surf@example.com",
         "Mr. Bill Lucchini", "12 Ocean Dr., Half Moon Bay, CA 94213"),
        ("", "Cool Cars", "", "cool@example.com", "Grover, Kirby", "65 Ocean Dr., Half Moon Bay"),
    ]  # fmt: skip
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            if value:
                sheet.cell(row=5 + offset, column=column, value=value)
    sheet["A11"] = "Friday, November 01, 2024 09:12 AM GMT-07:00"
    path = folder / "Customer Contact List.xlsx"
    book.save(path)
    return path


def pickups_workbook(folder: Path) -> Path:
    """A hand-made list: title, blank row, merged group row, header, footer total."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Saturday pickups — week 45"
    sheet["A3"], sheet["C3"] = "Customer", "Contact"
    sheet.merge_cells("A3:B3")
    sheet.merge_cells("C3:D3")
    rows = [
        ("Name", "Order", "Cell", "Notes"),
        ("Dr. Maria Gonzalez", "A-101", "(415) 555-0171", "gate code 1234"),
        ("Lee, Sam", "A-102", "415-555-0172", ""),
        ("Mrs. Jo Park", "A-103", "4155550173", "after 5pm"),
    ]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            if value:
                sheet.cell(row=4 + offset, column=column, value=value)
    sheet["A9"] = "Total pickups: 3"
    path = folder / "pickups.xlsx"
    book.save(path)
    return path


def uk_list(folder: Path) -> Path:
    return _csv(folder / "uk_clients.csv", ["Name", "Mobile"], [
        ["Olivia Smith", "07911 123456"],
        ["Harry Jones", "07400 123456"],
        ["Amelia Brown", "+44 7700 900456"],
        ["Jack Taylor", "020 7946 0018"],
        ["Visiting US cousin", "+1 415 555 0181"],
    ])  # fmt: skip


def canadian_list(folder: Path) -> Path:
    return _csv(folder / "toronto.csv", ["First Name", "Last Name", "Cell"], [
        ["Liam", "Tremblay", "(416) 555-0190"],
        ["Emma", "Roy", "604-555-0191"],
    ])  # fmt: skip


def australian_list(folder: Path) -> Path:
    return _csv(folder / "members.csv", ["Given Name", "Surname", "Mobile"], [
        ["Charlotte", "Wilson", "0412 345 678"],
        ["Oliver", "Nguyen", "0423 456 789"],
        ["Mia", "Kelly", "(02) 9374 4000"],
    ])  # fmt: skip


def german_list(folder: Path) -> Path:
    """Excel's plain CSV on a German PC: semicolons and Windows-1252."""
    return _csv(folder / "kunden.csv", ["Vorname", "Nachname", "Handy", "Festnetz"], [
        ["Jürgen", "Müller", "0171 1234567", "030 1234567"],
        ["Käthe", "Groß", "", "089 12345678"],
        ["Özlem", "Şahin", "0151/23456789", ""],
    ], encoding="utf-8-sig", delimiter=";")  # fmt: skip


def indian_list(folder: Path) -> Path:
    return _csv(folder / "customers_india.csv", ["Customer Name", "Mobile No"], [
        ["Priya Sharma", "98765 43210"],
        ["Rahul Verma", "+91 91234 56789"],
        ["Anil Kumar", "09876543211"],
        ["Sunita Rao", "99001 12233"],
    ])  # fmt: skip


def russian_cp1251(folder: Path) -> Path:
    return _csv(folder / "klienty.csv", ["Имя", "Фамилия", "Мобильный"], [
        ["Иван", "Петров", "8 (912) 345-67-89"],
        ["Ольга", "Смирнова", "+7 916 123-45-67"],
        ["Сергей", "Кузнецов", "89031234567"],
        ["Анна", "Попова", "8-926-555-44-33"],
    ], encoding="cp1251", delimiter=";")  # fmt: skip


def japanese_shift_jis(folder: Path) -> Path:
    return _csv(folder / "kokyaku.csv", ["氏名", "携帯電話"], [
        ["山田 太郎", "090-1234-5678"],
        ["鈴木 花子", "080-8765-4321"],
        ["佐藤 健", "070-1111-2222"],
    ], encoding="cp932")  # fmt: skip


def japanese_given_and_family(folder: Path) -> Path:
    """A sheet made by hand in Japanese, family and given names in their own columns."""
    return _csv(folder / "meibo.csv", ["姓", "名", "携帯番号", "電話番号（自宅）"], [
        ["山田", "太郎", "090-1234-5678", "03-1234-5678"],
        ["鈴木", "花子", "080-8765-4321", "06-8765-4321"],
        ["佐藤", "健", "070-1111-2222", ""],
    ], encoding="utf-8-sig")  # fmt: skip
