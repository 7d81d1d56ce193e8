"""Which columns hold the numbers to text, in the order to try them.

Contact exports have several phone columns: Outlook's "Mobile Phone", "Home Phone",
"Business Phone"...; HubSpot's "Phone Number" and "Mobile Phone Number"; Google's
"Phone 1 - Value", "Phone 2 - Value", each with a "Phone N - Type" (older exports) or
"Phone N - Label" column saying Mobile, Home or Work for that contact. The phone role
takes all of them, mobile first, then the main or other numbers, then home and work;
per row the first usable number is sent to (see core.recipients).

Never a phone column: faxes, pagers, an assistant's phone, and columns whose header
says they hold an ID, a date, a ZIP code, an amount or an e-mail address (a Shopify
"Customer ID" such as 7012345678901 has as many digits as a phone number).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from trackly_desktop.core.contacts.consent import header_polarity
from trackly_desktop.core.reading.header_words import (
    ABOUT_THE_NUMBER_WORDS,
    EXACT_ALIASES,
    WEAK_PHONE_KEYS,
    header_key,
    header_words,
)

MOBILE, MAIN, LANDLINE = 0, 1, 2
KIND_WORDS = {MOBILE: "mobile", MAIN: "main", LANDLINE: "landline"}
# Home and work in Russian, Japanese, Chinese and Korean, as `header_words` folds them.
_HOME_WORDS = ("домашний", "自宅", "家庭", "住宅", "집")
_WORK_WORDS = ("рабочий", "会社", "勤務先", "公司", "办公", "회사", "직장")
_HOME_KEYS = frozenset(header_key(w) for w in _HOME_WORDS)
_WORK_KEYS = frozenset(header_key(w) for w in _WORK_WORDS)
_MOBILE_WORDS = ("mobile", "mobil", "cell", "cellular", "handy", "movil", "celular", "sms",
                 "whatsapp", "portable", "gsm", "msisdn", "cellulare", "mobiel",
                 "telemovel", "mob",
                 *(header_key(w) for w in ("мобил", "сотов", "携帯", "手机", "휴대",
                                           "핸드폰")))  # fmt: skip
_LANDLINE_WORDS = frozenset({"home", "work", "business", "office", "company", "landline",
                             "car", "main", "fixed", "festnetz", "fijo", "fixe", "privat",
                             "dienstlich", "geschaftlich", "casa", "trabajo", "bureau",
                             "address", "billing", "shipping",
                             *_HOME_KEYS, *_WORK_KEYS})  # fmt: skip
_NEVER_WORDS = frozenset({"fax", "pager", "assistant", "assistants", "telex", "isdn", "tty",
                          "tdd", "radio", "callback", "emergency", "id", "zip", "postal",
                          "postcode", "plz", "date", "price", "amount", "total", "spent",
                          "email", "mail", "order", "orders", "sku", "account", "balance",
                          "ext", "extension", "label", "country", "code", "region",
                          "accepts", "marketing", "subscription", "consent", "permission",
                          "optin", "opt", "verified", "status", "type", "carrier"})  # fmt: skip
_GOOGLE_VALUE = re.compile(r"^phone\s*(\d+)\s*-\s*value$", re.IGNORECASE)
_GOOGLE_TYPE = "Phone {n} - {what}"
# Words that name a phone number: whole words, so "Phonetic First Name" and "Photo" are not.
_PHONE_WORDS = frozenset({"phone", "phones", "tel", "telephone", "telefon", "telefono",
                          "telefone", "telefoon", "telephon", "number", "numero", "nummer",
                          "ph", "phonenumber", "telefonnummer", "rufnummer",
                          "festnetz",
                          *(header_key(w) for w in ("телефон", "номер телефона", "電話",
                                                    "電話番号", "电话", "电话号码",
                                                    "전화", "전화번호"))})  # fmt: skip


def google_type_column(header: str, columns: list[str]) -> str | None:
    """The "Phone N - Type" / "Phone N - Label" column beside Google's "Phone N - Value"."""
    match = _GOOGLE_VALUE.match(header.strip())
    if match is None:
        return None
    wanted = {
        header_key(_GOOGLE_TYPE.format(n=match.group(1), what=what)) for what in ("Type", "Label")
    }
    return next((c for c in columns if header_key(c) in wanted), None)


def is_mobile_label(value: str) -> bool:
    """Whether a Google type/label cell ("Mobile", "* Mobile", "Cell") says mobile."""
    words = header_words(value)
    return any(w.startswith(_MOBILE_WORDS) for w in words)


def phone_kind(header: str) -> int | None:
    """MOBILE, MAIN or LANDLINE for a header that names a phone number; None otherwise."""
    key = header_key(header)
    words = header_words(header)
    if _GOOGLE_VALUE.match(header.strip()):
        return MAIN
    if not words or any(w in _NEVER_WORDS or w in ABOUT_THE_NUMBER_WORDS for w in words):
        return None
    if header_polarity(header) is not None:
        return None  # "Do Not Text", "SMS Opt-in": about consent, not a number
    mobile = any(w.startswith(_MOBILE_WORDS) for w in words) and not any(
        w in ("home", "work", "business", "office") for w in words
    )
    if mobile:
        return MOBILE
    named = key in EXACT_ALIASES["phone"] or any(w in _PHONE_WORDS for w in words)
    if not named:
        return None
    if any(w in _LANDLINE_WORDS for w in words):
        return LANDLINE
    return MAIN


def never_a_phone(header: str) -> bool:
    """Headers whose column is never read as phone numbers, whatever its digits."""
    return any(w in _NEVER_WORDS for w in header_words(header)) and not _GOOGLE_VALUE.match(
        header.strip()
    )


def ordered_phone_columns(
    columns: list[str], mostly_mobile: Callable[[str], bool] | None = None
) -> list[str]:
    """Every column whose header names a phone number, in the order to try them.

    `mostly_mobile(type_column)` says whether a Google type column mostly reads Mobile,
    so that column's numbers come first in the file's order (each row still prefers
    its own mobile number, see `google_type_column`).
    """
    found: list[tuple[int, int, int, str]] = []
    for position, header in enumerate(columns):
        kind = phone_kind(header)
        if kind is None:
            continue
        if kind == MAIN and mostly_mobile is not None:
            type_column = google_type_column(header, columns)
            if type_column is not None and mostly_mobile(type_column):
                kind = MOBILE
        # Within a kind, a header that is exactly a phone alias ("Phone", "Primary Phone")
        # before one that only contains a phone word ("Default Address Phone").
        exact = 0 if header_key(header) in EXACT_ALIASES["phone"] else 1
        found.append((kind, exact, position, header))
    headers = [header for *_order, header in sorted(found)]
    # "Number" alone is an order or account number as often as a phone: only when
    # nothing else names a phone.
    specific = [h for h in headers if header_key(h) not in WEAK_PHONE_KEYS]
    return specific or headers


def kind_word(header: str, type_value: str | None = None) -> str:
    """A word for the kind of number a column holds, for "Home number used: ..."."""
    text = type_value if type_value else header
    words = header_words(text)
    if any(w.startswith(_MOBILE_WORDS) for w in words):
        return "mobile"
    for word, said in (("home", "home"), ("work", "work"), ("business", "work"),
                       ("office", "work"), ("main", "main"), ("other", "other"),
                       ("primary", "main")):  # fmt: skip
        if word in words:
            return said
    if _HOME_KEYS.intersection(words):
        return "home"
    if _WORK_KEYS.intersection(words):
        return "work"
    return ""
