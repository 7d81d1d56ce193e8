"""What people call the phone, name and time-zone columns, in several languages.

Headers are compared after `header_key`: lower case, accents removed, punctuation and
spaces dropped ("Cell #" -> "cell", "Móvil" -> "movil", "First_Name" -> "firstname").
Exact aliases win over words found inside a longer header ("Customer Mobile Number").
"""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def header_key(name: str) -> str:
    """The comparable form of a header: lower case ASCII letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub("", ascii_only.replace("ß", "ss"))


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
    ),
}

# Words that suggest a role when they appear inside a longer header.
CONTAINED_WORDS: dict[str, tuple[str, ...]] = {
    "phone": ("mobile", "cell", "phone", "sms", "movil", "celular", "telef", "handy", "tel"),
    "first_name": ("firstname", "givenname", "forename", "vorname", "prenom", "nombre"),
    "last_name": ("lastname", "surname", "familyname", "nachname", "apellido"),
    "timezone": ("timezone", "zonahoraria", "zeitzone"),
}

# Headers that contain a phone word but are not the number to text.
NOT_A_TEXTABLE_PHONE = ("fax", "home", "work", "office", "landline", "business", "ext")

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
