"""The area code → state table shipped in resources/ is what phonenumbers' geocoder says.

The table is generated ahead of time (packaging/make_area_codes.py) because the geocoder's
data stays out of the bundle; if a phonenumbers upgrade moves an area code, this fails
instead of the quiet-hours rules silently using a stale state.
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

from trackly_desktop.core.audience.places import region_of_number

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    path = ROOT / "packaging" / "make_area_codes.py"
    spec = importlib.util.spec_from_file_location("make_area_codes", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_table_matches_phonenumbers_geocoder() -> None:
    with (ROOT / "resources" / "nanp_area_codes.csv").open(encoding="utf-8", newline="") as handle:
        shipped = [(int(row["area_code"]), row["region"]) for row in csv.DictReader(handle)]
    assert shipped == _generator().area_code_regions()


def test_known_area_codes_point_to_their_state() -> None:
    # Written by hand: Miami, Manhattan, Oklahoma City, Seattle, Toronto, Washington D.C.
    assert region_of_number("+13055550123") == "FL"
    assert region_of_number("+12125550123") == "NY"
    assert region_of_number("+14055550123") == "OK"
    assert region_of_number("+12065550123") == "WA"
    assert region_of_number("+14165550123") == "ON"
    assert region_of_number("+12025550123") == "DC"
    assert region_of_number("+447911123456") is None
