"""Proof that the fast path gives exactly phonenumbers' own verdict.

Over 1,000,000 generated values in many formats and twelve countries, every value the
Excel-damage rule lets through must get from `FastChecker` exactly what
`phonenumbers.parse` + `is_valid_number` + `format_number(E164)` (+ `number_type`, for
the landline warning) say about it; values the Excel rule catches must get the rule's
verdict. phonenumbers' side runs in two worker processes while this one runs the fast path.

Also here: the pattern reading the fast path relies on, checked on small cases.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

import pytest
from phone_inputs import COUNTRIES, PhoneInputs

from trackly_desktop.core.phones.check import (
    check_phone,
    excel_precheck,
    phonenumbers_verdict,
    with_00_prefix_rule,
)
from trackly_desktop.core.phones.fastpath import FastChecker
from trackly_desktop.core.phones.tail import alternatives, tail_free, window

TOTAL = 1_040_000


def _compare(country: str, seed: int, count: int) -> dict:
    """In a worker process: generate values, get phonenumbers' verdicts and the fast path's."""
    values = PhoneInputs(country, seed).values(count)
    checker = FastChecker(country)
    fast = checker.check_all(values)
    mismatches: list[str] = []
    kinds: Counter[str] = Counter()
    compared = excel_caught = 0
    for value, mine in zip(values, fast, strict=True):
        text, reason = excel_precheck(value)
        if reason is None and text == value:
            # Untouched by the Excel rule: phonenumbers itself is the reference.
            compared += 1
            # phonenumbers itself is the reference, with the one documented rule on top:
            # a value written with the 00 international prefix that phonenumbers rejects
            # gets phonenumbers' verdict on the same number written with "+".
            theirs = with_00_prefix_rule(value, country, phonenumbers_verdict(value, country))
            if theirs != phonenumbers_verdict(value, country):
                kinds["00 prefix read as +"] += 1
        else:
            excel_caught += 1
            theirs = check_phone(value, country)
        if mine != theirs and len(mismatches) < 20:
            mismatches.append(f"{country} {value!r}: fast {mine}, phonenumbers {theirs}")
        kinds["valid" if theirs.e164 else theirs.reason or "?"] += 1
    return {
        "country": country,
        "mismatches": mismatches,
        "kinds": kinds,
        "compared": compared,
        "excel_caught": excel_caught,
        "shared_hits": checker.shared_hits,
    }


@pytest.mark.slow
@pytest.mark.timeout(1200)  # ~1 minute on an idle 2-core machine; the CI box is shared
def test_fast_path_equals_phonenumbers_on_a_million_values() -> None:
    per_country = TOTAL // len(COUNTRIES) + 1
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        futures = [
            pool.submit(_compare, country, 1000 + index, per_country)
            for index, country in enumerate(COUNTRIES)
        ]
        results = [future.result() for future in futures]
    mismatches = [m for r in results for m in r["mismatches"]]
    assert not mismatches, "\n".join(mismatches)
    assert sum(r["compared"] for r in results) >= 1_000_000
    assert sum(r["excel_caught"] for r in results) > 1_000
    kinds = sum((r["kinds"] for r in results), Counter())
    # The generated values cover valid numbers and every kind of problem.
    for kind in ("valid", "not_a_number", "too_short", "too_long", "invalid_for_country"):
        assert kinds[kind] > 1_000, (kind, kinds)
    for kind in ("has_extension", "excel_damage", "missing", "unknown_country_code"):
        assert kinds[kind] > 50, (kind, kinds)
    # The 00-prefix rule was exercised (countries whose own prefix is not 00: US, CA, ...).
    assert kinds["00 prefix read as +"] > 50, kinds
    # The shortcut under test was really taken, in several countries.
    shared = {r["country"]: r["shared_hits"] for r in results}
    assert sum(shared.values()) > 60_000, shared
    assert sum(1 for hits in shared.values() if hits > 1_000) >= 5, shared


def test_alternatives_are_read_from_the_pattern() -> None:
    # Python's parser factors "52" out of both alternatives; they must be seen apart.
    found = sorted(
        (a.free, len(a.starts)) for a in alternatives(r"52(?:3\d|4[0-5])\d{4}|[2-9]\d{6}")
    )
    assert found == [(4, 5), (5, 5), (6, 2)]  # 523\d\d{4} ends in five free digits
    assert tail_free(r"52(?:3\d|4[0-5])\d{4}|[2-9]\d{6}", "415", 6)  # the 52 branch cannot apply
    assert not tail_free(r"52(?:3\d|4[0-5])\d{4}|[2-9]\d{6}", "523", 6)
    assert tail_free(r"52(?:3\d|4[0-5])\d{4}|[2-9]\d{6}", "523", 4)
    assert not tail_free(r"8001111|80\d{5}", "800", 4)  # a literal end reads every digit
    assert not tail_free(r"1(?=\d*5)\d{6}", "1", 3)  # a look-ahead may read the tail
    assert tail_free(r"\d{2,3}\d{4}", "12", 4)
    assert tail_free(r"\d{2,3}\d{4}", "12", 6)  # any 6 or 7 digits
    assert not tail_free(r"\d{2,3}[0-4]\d{4}", "12", 5)


def test_windows_of_start_patterns() -> None:
    assert window("011") == 3
    assert window("0|180020") == 6
    assert window(None) == 0
    assert window(r"([2-9]\d{6})$|1") >= 10**6  # an end anchor reads to the end
    assert window(r"(?:1|2(?=3))") >= 10**6


def test_numbers_sharing_a_head_can_still_differ() -> None:
    # 5XX personal numbers: same first digits, verdict decided by later digits.
    checker = FastChecker("US")
    values = ["5213210000", "5214210000", "5002345678", "5001345678", "(212) 253-0000"]
    assert checker.check_all(values) == [check_phone(v, "US") for v in values]


def test_tail_classes() -> None:
    from trackly_desktop.core.phones.tail import tail_class

    # "[2-9]\d{6}" after the area code: any exchange starting 2-9 shares the verdict.
    allowed = tail_class(r"(?:415|650)[2-9]\d{6}|800\d{7}", "415", 7)
    assert allowed is not None
    assert allowed[0] == frozenset("23456789") and allowed[1] == frozenset("0123456789")
    assert tail_class(r"415(?:[2-9]\d{6}|1\d{5,6})", "415", 7) is None  # no fixed split
    checker = FastChecker("US")
    values = ["(415) 253-0000", "(415) 853-0001", "(415) 153-0000", "(415) 053-0000"]
    assert checker.check_all(values) == [check_phone(v, "US") for v in values]
    assert [c.e164 is not None for c in checker.check_all(values)] == [True, True, False, False]
