"""Plain words for every row reason and warning code.

The codes are stable (journal, `trackly check --json`); these sentences are what the
operator reads in the window and on the command line.
"""

from __future__ import annotations

# Row problems found while rendering the message (the phone ones live in core.phones).
BODY_TOO_LONG = "body_too_long"
EMPTY_BODY = "empty_body"
TEMPLATE_VALUE_HAS_BRACES = "template_value_has_braces"
# Why a row is `excluded`: who may be texted, not what is wrong with the row.
NO_CONSENT = "no_consent"  # the spreadsheet's consent column says no (or nothing)
DO_NOT_TEXT = "do_not_text"  # the number is on the lasting do-not-text list
EXCLUSION_REASONS = (NO_CONSENT, DO_NOT_TEXT)
CONSENT_UNREADABLE = "consent_unreadable"  # a consent cell that is neither yes nor no

_DESCRIPTIONS: dict[str, str] = {
    "missing": "There is no phone number in this row.",
    "not_a_number": "This is not a phone number.",
    "too_short": "The number is too short — is the area code missing?",
    "too_long": "The number has too many digits.",
    "invalid_for_country": "This is not a valid number for its country — check the digits.",
    "unknown_country_code": "The country code at the start of the number does not exist.",
    "excel_damage": "Digits were lost in Excel — export the column as text again.",
    "has_extension": "The number has an extension; text messages cannot reach an extension.",
    "duplicate": "The same number appears in an earlier row; it gets one message only.",
    "landline": "This looks like a landline number; it may not receive texts.",
    "two_countries": (
        "This number is valid both in the country the file is read as and in your default "
        "country: write it with its + country code."
    ),
    BODY_TOO_LONG: "The message for this row is over 1,600 characters; shorten the template.",
    EMPTY_BODY: "The message for this row is empty; fill in the fields it uses or add a fallback.",
    TEMPLATE_VALUE_HAS_BRACES: (
        "A value used in the message contains {{ or }}; remove the braces from the cell."
    ),
    NO_CONSENT: "This person has not agreed to receive texts; they will not be texted.",
    DO_NOT_TEXT: "This number is on your do-not-text list; it will not be texted.",
    CONSENT_UNREADABLE: (
        "The consent cell is neither yes nor no; write yes or no there (it is not guessed)."
    ),
}

ROW_REASONS = tuple(_DESCRIPTIONS)


def describe(code: str | None) -> str:
    """The sentence for a reason or warning code ("" for None, the code itself if unknown)."""
    if code is None:
        return ""
    return _DESCRIPTIONS.get(code, code.replace("_", " ").capitalize() + ".")
