"""What people call the phone, name and time-zone columns, in several languages.

Headers are compared after `header_key`: lower case, accents removed, punctuation and
spaces dropped ("Cell #" -> "cell", "Móvil" -> "movil", "First_Name" -> "firstname").
Letters of other scripts are kept ("Мобильный" -> "мобильныи", "携帯電話" as it is), so
Russian, Japanese, Chinese and Korean headers can be aliases too. Exact aliases win over
words found inside a longer header ("Customer Mobile Number").
"""

from __future__ import annotations

import re
import unicodedata

# Anything that is not a letter or digit of some script separates words ("_" included).
_NOT_ALNUM = re.compile(r"[\W_]+")


def _folded(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ß", "ss")


def header_key(name: str) -> str:
    """The comparable form of a header: lower-case letters and digits, no accents."""
    return _NOT_ALNUM.sub("", _folded(name))


def _keys(*aliases: str) -> tuple[str, ...]:
    # Non-Latin aliases are written as people type them and folded once, here.
    return tuple(header_key(alias) for alias in aliases)


# Exact aliases, best first within each role: an earlier alias wins when two headers match.
EXACT_ALIASES: dict[str, tuple[str, ...]] = {
    "phone": (
        "mobile",
        "mobilephone",
        "mobilenumber",
        "mobileno",
        "mobilephonenumber",
        "mob",
        "cell",
        "cellphone",
        "cellnumber",
        "cellno",
        "cellular",
        "cellphonenumber",
        "smsnumber",
        "sms",
        "textnumber",
        "whatsapp",
        "phone",
        "phonenumber",
        "phoneno",
        "phonenum",
        "ph",
        "phno",
        "phone1",
        "primaryphone",
        "tel",
        "telno",
        "telephone",
        "telephonenumber",
        "contactnumber",
        "contactno",
        "number",
        "msisdn",
        "gsm",
        "movil",
        "numeromovil",
        "celular",
        "telefono",
        "numerodetelefono",
        "telefonomovil",
        "handy",
        "handynummer",
        "mobilnummer",
        "telefon",
        "telefonnummer",
        "mobiltelefon",
        "portable",
        "telephoneportable",
        "numerodetelephone",
        "mobiel",
        "telefoon",
        "cellulare",
        "numerodicellulare",
        "telemovel",
        *_keys("мобильный", "мобильный телефон", "сотовый", "сотовый телефон", "телефон"),
        *_keys("номер телефона", "мобільний", "携帯電話", "携帯", "携帯番号", "携帯電話番号"),
        *_keys("電話番号", "電話", "手机", "手机号", "手机号码", "电话", "电话号码"),
        *_keys("휴대폰", "휴대전화", "핸드폰", "전화번호"),
    ),
    "first_name": (
        "firstname",
        "first",
        "fname",
        "givenname",
        "given",
        "forename",
        "firstnames",
        "nombre",
        "vorname",
        "prenom",
        "nome",
        "voornaam",
        "primernombre",
        # Given names only: a Russian "ФИО" or Japanese "氏名" column starts with the family
        # name, which the full-name split would greet people by.
        *_keys("имя", "ім'я", "名", "下の名前"),
        "name",
        "fullname",
        "customername",
        "contactname",
        "clientname",
        "customer",
        "contact",
    ),
    "last_name": (
        "lastname",
        "last",
        "lname",
        "surname",
        "familyname",
        "family",
        "apellido",
        "apellidos",
        "nachname",
        "familienname",
        "nom",
        "nomdefamille",
        "cognome",
        "sobrenome",
        "achternaam",
        *_keys("фамилия", "прізвище", "姓", "苗字", "성"),
    ),
    "timezone": (
        "timezone",
        "tz",
        "zone",
        "timezonename",
        "olson",
        "iana",
        "zonahoraria",
        "husohorario",
        "zeitzone",
        "fuseauhoraire",
        "fusoorario",
        *_keys("часовой пояс", "タイムゾーン", "时区", "時區"),
    ),
    "state": (
        "state",
        "province",
        "stateprovince",
        "stateorprovince",
        "statecode",
        "provincecode",
        "stateregion",
        "st",
        "defaultaddressprovincecode",  # Shopify customers export
        "billingprovince",
        "shippingprovince",
        "billingstate",
        "shippingstate",
        "mailingstate",  # Salesforce contacts
        "addressstate",
        "region",
        "estado",
        "bundesland",
    ),
    "postal_code": (
        "zip",
        "zipcode",
        "postalcode",
        "postcode",
        "zippostalcode",
        "postal",
        "defaultaddresszip",  # Shopify customers export
        "billingzip",
        "shippingzip",
        "mailingzippostalcode",  # Salesforce contacts
        "mailingpostalcode",
        "addresszip",
        "codigopostal",
        "plz",
    ),
}

# Words that suggest a role inside a longer header. Phone words must begin a word of the
# header ("Customer Mobile Number", "Teléfono móvil"), so "Excellent" is not a "cell";
# the name and zone words are long enough to be found anywhere in the squeezed key
# ("CustomerFirstName").
PHONE_WORD_PREFIXES = (
    "mobile",
    "cell",
    "phone",
    "sms",
    "movil",
    "celular",
    "telef",
    "handy",
    "tel",
    *_keys("мобил", "сотов", "телефон", "携帯", "電話", "手机", "电话", "휴대"),
)
CONTAINED_KEYS: dict[str, tuple[str, ...]] = {
    "first_name": ("firstname", "givenname", "forename", "vorname", "prenom", "nombre"),
    "last_name": ("lastname", "surname", "familyname", "nachname", "apellido"),
    "timezone": ("timezone", "zonahoraria", "zeitzone"),
    "state": ("stateprovince", "provincecode", "province"),
    "postal_code": ("zipcode", "postalcode", "postcode", "zippostal"),
}

# A phone word next to one of these names another number, or something about the number.
OTHER_NUMBER_WORDS = frozenset(
    {
        "fax",
        "home",
        "work",
        "office",
        "landline",
        "business",
        "ext",
        "extension",
        "alt",
        "alternate",
        "secondary",
        *_keys("домашний", "рабочий", "факс", "自宅", "会社", "勤務先", "ファックス"),
    }
)
ABOUT_THE_NUMBER_WORDS = frozenset(
    {
        "opt",
        "optin",
        "optout",
        "optedin",
        "optedout",
        "consent",
        "type",
        "carrier",
        "status",
        "verified",
        "valid",
        "country",
        "code",
        "prefix",
        "ok",
        "allowed",
        "date",
        "subscribed",
        "unsubscribed",
        "subscription",
        "marketing",
        "accepts",
        "accepted",
        "blocked",
        "stop",
        "einwilligung",
        "consentimiento",
        "consentement",
    }
)


def header_words(name: str) -> list[str]:
    """The header's words in comparable form: "Cell # (Main)" -> ["cell", "main"]."""
    return [w for w in _NOT_ALNUM.split(_folded(name)) if w]


# Phone aliases that often hold something else (an order or account number).
WEAK_PHONE_KEYS = frozenset({"number", "contactnumber", "contactno", "ph"})

# "Name" alone may hold a full name; use it for first_name only when nothing better exists.
WEAK_FIRST_NAME = frozenset(
    {"name", "fullname", "customername", "contactname", "clientname", "customer", "contact"}
)


def exact_rank(role: str, key: str) -> int | None:
    """0 for the best alias of `role`, higher for weaker ones, None when not an alias."""
    aliases = EXACT_ALIASES[role]
    return aliases.index(key) if key in aliases else None


def is_known_header(name: str) -> bool:
    key = header_key(name)
    return any(key in aliases for aliases in EXACT_ALIASES.values())


def phone_word_rank(name: str) -> int | None:
    """How strongly a longer header suggests the number to text; None when it does not.

    100+ for a header with a phone word ("Customer Mobile Number"), 900 for another kind
    of number ("Home Phone": still better than nothing), None when the header is about
    the number rather than the number ("SMS Opt-in", "Phone Type") or a fax.
    """
    words = header_words(name)
    hits = [
        index
        for index, prefix in enumerate(PHONE_WORD_PREFIXES)
        if any(w.startswith(prefix) for w in words)
    ]
    if not hits or any(w in ABOUT_THE_NUMBER_WORDS or w == "fax" for w in words):
        return None
    if any(w in OTHER_NUMBER_WORDS for w in words):
        return 900
    return 100 + min(hits)
