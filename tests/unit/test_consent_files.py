"""Real export files with a consent column (or none): every row's verdict, written by hand.

The files are in tests/fixtures/consent, shaped like each tool's customer export:
- Shopify customers export: its column list as Shopify writes it ("Accepts Email
  Marketing" ... "Phone", "Accepts SMS Marketing", ... "Tags"), yes/no values, phones
  written with Excel's leading apostrophe.
- Square customer directory export: no SMS consent at all, only "Email Subscription
  Status" and "Blocked from online booking", neither of which decides a text.
- Klaviyo profiles: SUBSCRIBED / UNSUBSCRIBED / NEVER_SUBSCRIBED per channel, and a
  consent timestamp column that is not the consent.
- HubSpot contacts: "Unsubscribed from all email" (email only) and an "SMS Opt Out"
  property (true/false), one value nobody can read.
- Mailchimp audience with SMS: "SMS Subscription Status" subscribed / unsubscribed /
  non-subscribed / pending, the phone in "SMS Phone Number".
- A hand-made "Do Not Text" column of x marks, a German "SMS-Einwilligung" ja/nein
  column, and a "Status" column recognised by its content.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trackly_desktop.commands.check_json import report_head, report_rows
from trackly_desktop.core.contacts.mapping import suggest_mapping
from trackly_desktop.core.reading.spreadsheet import read_table
from trackly_desktop.core.recipients.build import build_recipients

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "consent"
R, X, BAD = "ready", "excluded", "invalid"


def _check(name: str, *, include_unrecorded: bool = False, phone: str | None = None):
    table = read_table(FIXTURES / name)
    mapping = suggest_mapping(table)
    if phone is not None:
        mapping = mapping.with_role("phone", phone)
    recipients = build_recipients(
        table, mapping, "Hi {{first_name|there}}", "US", include_unrecorded=include_unrecorded
    )
    return mapping, recipients


def _rows(recipients) -> list[tuple[str, str | None]]:
    return list(zip(recipients.status, recipients.reason, strict=True))


def test_shopify_accepts_sms_marketing() -> None:
    mapping, recipients = _check("shopify_customers_export.csv")
    assert (mapping.phone, mapping.consent) == ("Phone", "Accepts SMS Marketing")
    assert mapping.consent_column.polarity == "opt_in"
    assert mapping.consent_words() == (
        "Accepts SMS Marketing: rows with “no” will not be texted; empty cells mean no "
        "consent recorded and are not texted unless you include them."
    )
    assert _rows(recipients) == [
        (R, None),  # Ada: yes
        (X, "no_consent"),  # Bob: no
        (R, None),  # Cy: yes to texts, no to email: texted
        (X, "no_consent"),  # Di: yes to email, no to texts: not texted
        (X, "no_consent"),  # Ed: empty: no consent recorded
        (R, None),  # Flo: YES
    ]
    assert recipients.note(1) == "Said no to texts (column Accepts SMS Marketing)"
    assert recipients.note(4) == "No consent to texts recorded (column Accepts SMS Marketing)"
    assert recipients.summary().excluded == 3
    assert recipients.exclusion_counts() == {"no_consent": 3, "do_not_text": 0}
    assert recipients.unrecorded_count() == 1


def test_shopify_empty_cells_included_by_choice() -> None:
    _, recipients = _check("shopify_customers_export.csv", include_unrecorded=True)
    assert recipients.status == [R, X, R, X, R, R]
    recipients.set_include_unrecorded(False)
    assert recipients.status == [R, X, R, X, X, R]


def test_square_has_no_sms_consent_and_email_status_never_decides() -> None:
    mapping, recipients = _check("square_customers_export.csv")
    assert (mapping.phone, mapping.consent) == ("Phone Number", None)
    assert mapping.consent_words() == "No consent column: every row with a good number is texted."
    assert _rows(recipients) == [(R, None), (R, None), (R, None)]


def test_klaviyo_sms_marketing_consent() -> None:
    mapping, recipients = _check("klaviyo_profiles_export.csv")
    assert (mapping.phone, mapping.consent) == ("Phone Number", "SMS Marketing Consent")
    assert _rows(recipients) == [
        (R, None),  # SUBSCRIBED
        (X, "no_consent"),  # UNSUBSCRIBED
        (R, None),  # email UNSUBSCRIBED, SMS SUBSCRIBED
        (X, "no_consent"),  # NEVER_SUBSCRIBED
        (X, "no_consent"),  # empty
    ]
    assert recipients.note(3) == "Said no to texts (column SMS Marketing Consent)"


def test_hubspot_sms_opt_out_and_an_unreadable_value() -> None:
    mapping, recipients = _check("hubspot_contacts_export.csv")
    assert (mapping.phone, mapping.consent) == ("Mobile Phone Number", "SMS Opt Out")
    assert mapping.consent_column.polarity == "opt_out"
    assert _rows(recipients) == [
        (R, None),  # false
        (X, "no_consent"),  # true
        (R, None),  # unsubscribed from email only
        (R, None),  # empty: no opt-out marked
        (BAD, "consent_unreadable"),  # "maybe": shown, never guessed
    ]
    assert recipients.note(1) == "Opted out of texts (column SMS Opt Out)"
    assert recipients.note(4) == (
        "The consent cell reads “maybe” (column SMS Opt Out): write yes or no there."
    )
    assert recipients.attention_indices() == [4]  # excluded rows are counted apart


def test_mailchimp_sms_subscription_status() -> None:
    mapping, recipients = _check("mailchimp_audience_sms.csv", phone="SMS Phone Number")
    assert mapping.consent == "SMS Subscription Status"
    assert _rows(recipients) == [
        (R, None),  # subscribed
        (X, "no_consent"),  # unsubscribed
        (X, "no_consent"),  # non-subscribed
        (X, "no_consent"),  # pending: not confirmed yet
    ]


def test_do_not_text_column_of_x_marks() -> None:
    mapping, recipients = _check("do_not_text_column.csv")
    assert (mapping.phone, mapping.consent) == ("Mobile", "Do Not Text")
    assert recipients.status == [R, X, X, R, X]
    assert recipients.unrecorded_count() == 0  # empty cells in an opt-out column are texted


def test_german_einwilligung() -> None:
    mapping, recipients = _check("handy_einwilligung.csv")
    assert (mapping.phone, mapping.first_name, mapping.consent) == (
        "Handy",
        "Vorname",
        "SMS-Einwilligung",
    )
    assert _rows(recipients) == [
        (R, None),  # ja
        (X, "no_consent"),  # nein
        (R, None),  # Ja
        (X, "no_consent"),  # empty
        (BAD, "consent_unreadable"),  # vielleicht
    ]


def test_a_status_column_found_by_its_content() -> None:
    mapping, recipients = _check("status_by_content.csv")
    assert (mapping.consent, mapping.consent_polarity) == ("Status", "opt_in")
    assert recipients.status == [R, X, R, X]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.csv")))
def test_check_json_names_the_consent_column_and_its_polarity(name: str) -> None:
    mapping, recipients = _check(name, phone="SMS Phone Number" if "mailchimp" in name else None)
    head = report_head(recipients)
    rows = list(report_rows(recipients))
    assert head["summary"]["excluded"] == recipients.status.count("excluded")
    assert {r["status"] for r in rows} <= {"ready", "invalid", "duplicate", "excluded"}
    if mapping.consent is None:
        assert "consent" not in head["mapping"]
    else:
        assert head["mapping"]["consent"] == mapping.consent
        assert head["mapping"]["consent_polarity"] in ("opt_in", "opt_out")
        values = read_table(FIXTURES / name).column_values(mapping.consent)
        assert [r["consent"] for r in rows] == values  # the cell as written
