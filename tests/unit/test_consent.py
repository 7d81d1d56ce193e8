"""Consent columns: which header is one, which way round, and what each cell says."""

from __future__ import annotations

import pytest

from trackly_desktop.core.contacts.consent import (
    CONSENT_UNREADABLE,
    NO_CONSENT,
    NOT_RECORDED,
    OPT_IN,
    OPT_OUT,
    ConsentColumn,
    describe_column,
    find_consent_column,
    header_polarity,
    verdict,
    verdicts,
)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Accepts SMS Marketing", OPT_IN),  # Shopify customers export
        ("SMS Marketing Consent", OPT_IN),  # Klaviyo-style
        ("SMS opt-in", OPT_IN),
        ("SMS consent", OPT_IN),
        ("sms_consent", OPT_IN),
        ("Text OK", OPT_IN),
        ("SMS Marketing Status", OPT_IN),
        ("SMS Subscription Status", OPT_IN),
        ("Subscribed to SMS", OPT_IN),
        ("Consent", OPT_IN),
        ("Opt-in", OPT_IN),
        ("Consentimiento SMS", OPT_IN),
        ("Acepta SMS", OPT_IN),
        ("SMS-Einwilligung", OPT_IN),
        ("Consentement SMS", OPT_IN),
        ("Consenso SMS", OPT_IN),
        ("Do Not Text", OPT_OUT),
        ("Don't text", OPT_OUT),
        ("Unsubscribed", OPT_OUT),
        ("Opted out", OPT_OUT),
        ("SMS blocked", OPT_OUT),
        ("STOP", OPT_OUT),
        ("SMS Opt Out", OPT_OUT),  # a HubSpot custom property
        ("Text Opt-Out", OPT_OUT),
        ("Keine SMS", OPT_OUT),
        ("Ne pas envoyer de SMS", OPT_OUT),
        # Email-only consent never decides who gets a text.
        ("Accepts Email Marketing", None),
        ("Email Subscription Status", None),
        ("Email opt-in", None),
        ("Email Marketing Consent", None),
        ("Unsubscribed from all email", None),
        ("Accepts WhatsApp Marketing", None),
        # About the consent, not the consent.
        ("SMS Consent Timestamp", None),
        ("Opted out date", None),
        ("SMS Consent Source", None),
        # Not consent at all.
        ("Blocked from online booking", None),  # Square customers export
        ("Marketing contact status", None),  # HubSpot: no channel named
        ("Accepts Marketing", None),  # Shopify's old column: email
        ("Tax Exempt", None),
        ("Phone", None),
        ("SMS", None),
        ("SMS Booking", None),
    ],
)
def test_header_polarity(header: str, expected: str | None) -> None:
    assert header_polarity(header) == expected


@pytest.mark.parametrize(
    ("value", "opt_in", "opt_out"),
    [
        ("yes", None, NO_CONSENT),
        ("YES", None, NO_CONSENT),
        (" Yes ", None, NO_CONSENT),
        ("y", None, NO_CONSENT),
        ("true", None, NO_CONSENT),
        ("TRUE", None, NO_CONSENT),
        ("1", None, NO_CONSENT),
        ("x", None, NO_CONSENT),
        ("✓", None, NO_CONSENT),
        ("ja", None, NO_CONSENT),
        ("no", NO_CONSENT, None),
        ("N", NO_CONSENT, None),
        ("false", NO_CONSENT, None),
        ("0", NO_CONSENT, None),
        ("nein", NO_CONSENT, None),
        ("", NOT_RECORDED, None),
        ("   ", NOT_RECORDED, None),
        # Status words mean the same in either kind of column.
        ("subscribed", None, None),
        ("SUBSCRIBED", None, None),
        ("Opted In", None, None),
        ("opted-in", None, None),
        ("unsubscribed", NO_CONSENT, NO_CONSENT),
        ("UNSUBSCRIBED", NO_CONSENT, NO_CONSENT),
        ("Opted Out", NO_CONSENT, NO_CONSENT),
        ("NEVER_SUBSCRIBED", NO_CONSENT, NO_CONSENT),
        ("non-subscribed", NO_CONSENT, NO_CONSENT),
        ("pending", NO_CONSENT, NO_CONSENT),
        ("STOP", NO_CONSENT, NO_CONSENT),
        # Never guessed.
        ("maybe", CONSENT_UNREADABLE, CONSENT_UNREADABLE),
        ("2025-01-02", CONSENT_UNREADABLE, CONSENT_UNREADABLE),
        ("yes please", CONSENT_UNREADABLE, CONSENT_UNREADABLE),
    ],
)
def test_verdict_of_each_value(value: str, opt_in: str | None, opt_out: str | None) -> None:
    assert verdict(value, OPT_IN) == opt_in
    assert verdict(value, OPT_OUT) == opt_out


def test_verdicts_of_a_column() -> None:
    values = ["yes", "no", "", "yes", "maybe", "no"]
    assert verdicts(values, OPT_IN) == [
        None,
        NO_CONSENT,
        NOT_RECORDED,
        None,
        CONSENT_UNREADABLE,
        NO_CONSENT,
    ]


def _sampler(data: dict[str, list[str]]):
    return lambda header: [v.strip() for v in data[header] if v.strip()]


def test_an_opt_out_column_wins_and_a_column_that_is_not_consent_is_skipped() -> None:
    data = {
        "Phone": ["+12025550101"],
        "SMS Status": ["delivered", "failed", "delivered"],  # a header that looks right
        "Accepts SMS Marketing": ["yes", "no"],
        "Do Not Text": ["", "x"],
    }
    found = find_consent_column(list(data), _sampler(data))
    assert found == ConsentColumn("Do Not Text", OPT_OUT)
    del data["Do Not Text"]
    assert find_consent_column(list(data), _sampler(data)) == ConsentColumn(
        "Accepts SMS Marketing", OPT_IN
    )


def test_found_by_content_only_from_status_words_and_never_from_an_email_column() -> None:
    data = {
        "Phone": ["+12025550101", "+12025550102"],
        "Email Subscription Status": ["Subscribed", "Unsubscribed"],
        "Tax Exempt": ["yes", "no"],
        "State": ["Subscribed", "Opted Out", "opted in"],
    }
    assert find_consent_column(list(data), _sampler(data)) == ConsentColumn(
        "State", OPT_IN, found_by="content"
    )
    del data["State"]
    assert find_consent_column(list(data), _sampler(data)) is None


def test_the_mapping_says_in_words_what_it_understood() -> None:
    assert describe_column(ConsentColumn("Accepts SMS Marketing", OPT_IN)) == (
        "Accepts SMS Marketing: rows with “no” will not be texted; empty cells mean no "
        "consent recorded and are not texted unless you include them."
    )
    assert describe_column(ConsentColumn("Do Not Text", OPT_OUT)) == (
        "Do Not Text: rows marked yes (or “opted out”) will not be texted; empty cells "
        "are texted."
    )
