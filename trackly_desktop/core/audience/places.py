"""US states, Canadian provinces and the places a row may name: written by hand, once.

A state rule (quiet hours) is looked up by a two-letter region code; the time zones of a
region are every zone any part of it keeps, so a row known only by its state is inside
its window when it is inside in all of them (Florida's panhandle keeps Central time).
ZIP codes are read by their first three digits (the USPS sectional centre, which never
crosses a state line); Canadian postal codes by their first letter.
"""

from __future__ import annotations

import csv
import re
from functools import cache

from trackly_desktop.resource_files import resource_path

_ET, _CT, _MT, _PT = "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"

# code -> (name, zones)
_REGIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "AL": ("Alabama", (_CT,)),
    "AK": ("Alaska", ("America/Anchorage", "America/Adak")),
    "AZ": ("Arizona", ("America/Phoenix",)),
    "AR": ("Arkansas", (_CT,)),
    "CA": ("California", (_PT,)),
    "CO": ("Colorado", (_MT,)),
    "CT": ("Connecticut", (_ET,)),
    "DE": ("Delaware", (_ET,)),
    "DC": ("District of Columbia", (_ET,)),
    "FL": ("Florida", (_ET, _CT)),
    "GA": ("Georgia", (_ET,)),
    "HI": ("Hawaii", ("Pacific/Honolulu",)),
    "ID": ("Idaho", ("America/Boise", _PT)),
    "IL": ("Illinois", (_CT,)),
    "IN": ("Indiana", ("America/Indiana/Indianapolis", _CT)),
    "IA": ("Iowa", (_CT,)),
    "KS": ("Kansas", (_CT, _MT)),
    "KY": ("Kentucky", ("America/Kentucky/Louisville", _CT)),
    "LA": ("Louisiana", (_CT,)),
    "ME": ("Maine", (_ET,)),
    "MD": ("Maryland", (_ET,)),
    "MA": ("Massachusetts", (_ET,)),
    "MI": ("Michigan", ("America/Detroit", "America/Menominee")),
    "MN": ("Minnesota", (_CT,)),
    "MS": ("Mississippi", (_CT,)),
    "MO": ("Missouri", (_CT,)),
    "MT": ("Montana", (_MT,)),
    "NE": ("Nebraska", (_CT, _MT)),
    "NV": ("Nevada", (_PT,)),
    "NH": ("New Hampshire", (_ET,)),
    "NJ": ("New Jersey", (_ET,)),
    "NM": ("New Mexico", (_MT,)),
    "NY": ("New York", (_ET,)),
    "NC": ("North Carolina", (_ET,)),
    "ND": ("North Dakota", (_CT, _MT)),
    "OH": ("Ohio", (_ET,)),
    "OK": ("Oklahoma", (_CT,)),
    "OR": ("Oregon", (_PT, "America/Boise")),
    "PA": ("Pennsylvania", (_ET,)),
    "RI": ("Rhode Island", (_ET,)),
    "SC": ("South Carolina", (_ET,)),
    "SD": ("South Dakota", (_CT, _MT)),
    "TN": ("Tennessee", (_ET, _CT)),
    "TX": ("Texas", (_CT, _MT)),
    "UT": ("Utah", (_MT,)),
    "VT": ("Vermont", (_ET,)),
    "VA": ("Virginia", (_ET,)),
    "WA": ("Washington", (_PT,)),
    "WV": ("West Virginia", (_ET,)),
    "WI": ("Wisconsin", (_CT,)),
    "WY": ("Wyoming", (_MT,)),
    "PR": ("Puerto Rico", ("America/Puerto_Rico",)),
    "VI": ("U.S. Virgin Islands", ("America/St_Thomas",)),
    "GU": ("Guam", ("Pacific/Guam",)),
    "MP": ("Northern Mariana Islands", ("Pacific/Saipan",)),
    "AS": ("American Samoa", ("Pacific/Pago_Pago",)),
    "AB": ("Alberta", ("America/Edmonton",)),
    "BC": ("British Columbia", ("America/Vancouver", "America/Edmonton")),
    "MB": ("Manitoba", ("America/Winnipeg",)),
    "NB": ("New Brunswick", ("America/Moncton",)),
    "NL": ("Newfoundland and Labrador", ("America/St_Johns", "America/Goose_Bay")),
    "NS": ("Nova Scotia", ("America/Halifax",)),
    "NT": ("Northwest Territories", ("America/Yellowknife",)),
    "NU": ("Nunavut", ("America/Iqaluit", "America/Rankin_Inlet", "America/Cambridge_Bay")),
    "ON": ("Ontario", ("America/Toronto", "America/Winnipeg")),
    "PE": ("Prince Edward Island", ("America/Halifax",)),
    "QC": ("Quebec", ("America/Toronto",)),
    "SK": ("Saskatchewan", ("America/Regina",)),
    "YT": ("Yukon", ("America/Whitehorse",)),
}
REGION_NAMES: dict[str, str] = {code: name for code, (name, _) in _REGIONS.items()}
_BY_NAME = {name.lower(): code for code, name in REGION_NAMES.items()}
_BY_NAME.update({"washington state": "WA", "washington dc": "DC", "washington d.c.": "DC",
                 "québec": "QC", "newfoundland": "NL", "labrador": "NL"})  # fmt: skip

# First three ZIP digits (inclusive ranges) -> state.
_ZIP3: tuple[tuple[int, int, str], ...] = (
    (5, 5, "NY"), (6, 7, "PR"), (8, 8, "VI"), (9, 9, "PR"), (10, 27, "MA"), (28, 29, "RI"),
    (30, 38, "NH"), (39, 49, "ME"), (50, 54, "VT"), (55, 55, "MA"), (56, 59, "VT"),
    (60, 69, "CT"), (70, 89, "NJ"), (100, 149, "NY"), (150, 196, "PA"), (197, 199, "DE"),
    (200, 200, "DC"), (201, 201, "VA"), (202, 205, "DC"), (206, 219, "MD"), (220, 246, "VA"),
    (247, 268, "WV"), (270, 289, "NC"), (290, 299, "SC"), (300, 319, "GA"), (320, 339, "FL"),
    (341, 349, "FL"), (350, 369, "AL"), (370, 385, "TN"), (386, 397, "MS"), (398, 399, "GA"),
    (400, 427, "KY"), (430, 458, "OH"), (460, 479, "IN"), (480, 499, "MI"), (500, 528, "IA"),
    (530, 549, "WI"), (550, 567, "MN"), (569, 569, "DC"), (570, 577, "SD"), (580, 588, "ND"),
    (590, 599, "MT"), (600, 629, "IL"), (630, 658, "MO"), (660, 679, "KS"), (680, 693, "NE"),
    (700, 714, "LA"), (716, 729, "AR"), (730, 732, "OK"), (733, 733, "TX"), (734, 749, "OK"),
    (750, 799, "TX"), (800, 816, "CO"), (820, 831, "WY"), (832, 838, "ID"), (840, 847, "UT"),
    (850, 865, "AZ"), (870, 884, "NM"), (885, 885, "TX"), (889, 898, "NV"), (900, 961, "CA"),
    (967, 968, "HI"), (969, 969, "GU"), (970, 979, "OR"), (980, 994, "WA"), (995, 999, "AK"),
)  # fmt: skip
_POSTAL_LETTER = {"A": "NL", "B": "NS", "C": "PE", "E": "NB", "G": "QC", "H": "QC", "J": "QC",
                  "K": "ON", "L": "ON", "M": "ON", "N": "ON", "P": "ON", "R": "MB", "S": "SK",
                  "T": "AB", "V": "BC", "Y": "YT"}  # fmt: skip
_ZIP_RE = re.compile(r"^(\d{5})(?:[-\s]?\d{4})?$")
_CA_POSTAL_RE = re.compile(r"^([A-Z])\d[A-Z]\s?\d[A-Z]\d$")


def region_zones(code: str) -> tuple[str, ...]:
    return _REGIONS[code][1]


def parse_region(text: str) -> str | None:
    """ "FL", "Florida", "fl." or "Washington State" -> its two-letter code; None if unknown."""
    value = " ".join(text.replace(".", " ").split()).strip()
    if not value:
        return None
    if len(value) == 2 and value.upper() in _REGIONS:
        return value.upper()
    return _BY_NAME.get(value.lower()) or _BY_NAME.get(text.strip().lower())


def region_of_postal_code(text: str) -> str | None:
    """ "33101", "33101-1234", "2101" (a ZIP that lost its leading zero) or "M5V 2T6"."""
    value = text.strip().upper()
    if value.isdigit() and len(value) in (3, 4):
        value = value.zfill(5)  # spreadsheets drop the leading zeros of New England ZIPs
    match = _ZIP_RE.match(value)
    if match:
        prefix = int(match.group(1)[:3])
        for low, high, state in _ZIP3:
            if low <= prefix <= high:
                return state
        return None
    match = _CA_POSTAL_RE.match(value)
    if match:
        if match.group(1) == "X":  # X0A-X0C Nunavut, X0E/X1A Northwest Territories
            return "NU" if value[1:3] in ("0A", "0B", "0C") else "NT"
        return _POSTAL_LETTER.get(match.group(1))
    return None


@cache
def _area_codes() -> dict[str, str]:
    with resource_path("nanp_area_codes.csv").open(encoding="utf-8", newline="") as handle:
        return {row["area_code"]: row["region"] for row in csv.DictReader(handle)}


def region_of_number(e164: str) -> str | None:
    """The state or province a +1 number's area code belongs to (None elsewhere)."""
    if not e164.startswith("+1") or len(e164) != 12:
        return None
    return _area_codes().get(e164[2:5])
