"""Write resources/nanp_area_codes.csv: each US and Canadian area code and its state or province.

Run by hand when phonenumbers' data changes (`python packaging/make_area_codes.py`); a unit
test regenerates the table and fails if the file no longer matches phonenumbers. The
geocoder tables are ~40 MB and stay out of the app; this 400-line table is what the app
needs from them ("an in-state area code means an in-state resident", Florida and Oklahoma).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import phonenumbers
from phonenumbers import geocoder

from trackly_desktop.core.audience.places import REGION_NAMES

OUT = Path(__file__).resolve().parent.parent / "resources" / "nanp_area_codes.csv"
_BY_NAME = {name.lower(): code for code, name in REGION_NAMES.items()}
_BY_NAME["washington state"] = "WA"
_BY_NAME["washington d.c."] = "DC"
_BY_NAME["washington, d.c."] = "DC"
_BY_NAME["newfoundland"] = "NL"
_BY_NAME["yukon territory"] = "YT"


def region_of(description: str) -> str | None:
    text = description.strip()
    tail = re.search(r",\s*([A-Z]{2})$", text)
    if tail and tail.group(1) in REGION_NAMES:
        return tail.group(1)
    return _BY_NAME.get(text.lower())


def area_code_regions() -> list[tuple[int, str]]:
    """Each NANP area code in use and the state or province most of its exchanges belong to."""
    rows = []
    for code in range(200, 1000):
        votes: Counter[str] = Counter()
        for exchange in ("201", "234", "262", "345", "456", "567", "678", "789", "890", "955"):
            number = phonenumbers.parse(f"+1{code}{exchange}0100")
            if phonenumbers.region_code_for_number(number) not in ("US", "CA"):
                break
            region = region_of(geocoder.description_for_number(number, "en"))
            if region:
                votes[region] += 1
        if votes:
            rows.append((code, votes.most_common(1)[0][0]))
    return rows


def main() -> None:
    rows = area_code_regions()
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["area_code", "region"])
        writer.writerows(rows)
    print(f"{len(rows)} area codes written to {OUT}")


if __name__ == "__main__":
    main()
