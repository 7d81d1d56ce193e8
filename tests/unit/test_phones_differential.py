"""Proof that the fast path gives exactly phonenumbers' own verdict, on every row.

Two sets of values, each checked by `FastChecker` (the column path the app uses) and by
`check_phone` (phonenumbers' `parse`, `is_valid_number`, `number_type` and
`format_number(E164)` on the one value, with our Excel and 00-prefix rules on top):

- the four kinds of list the benchmark times (tests/unit/phone_lists.py), 200,000 rows
  each, every row compared: a local shop, a national list, an international one, random
  10-digit values;
- 1,040,000 generated messy values in twelve countries (tests/unit/phone_inputs.py):
  every format people type, and every kind of problem.

Any difference fails the test with the values that differ. phonenumbers' side runs in two
worker processes. The proof is only worth something if the fast path really ran, so the
installed phonenumbers must be a release the fast path follows (see pyproject.toml).
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

import pytest
from phone_inputs import COUNTRIES, PhoneInputs, verdicts
from phone_lists import COUNTRY, LIST_KINDS, phone_list

from trackly_desktop.core.phones.check import check_phone, phonenumbers_verdict
from trackly_desktop.core.phones.fastpath import FastChecker, fast_path_available

LIST_ROWS = 200_000
MESSY_TOTAL = 1_040_000


def _compare(values: list[str], country: str, label: str) -> dict:
    """In a worker process: the fast path's verdict and phonenumbers' on every value."""
    checker = FastChecker(country)
    fast = verdicts(checker, values)
    mismatches: list[str] = []
    kinds: Counter[str] = Counter()
    for value, mine in zip(values, fast, strict=True):
        theirs = check_phone(value, country)
        if mine != theirs and len(mismatches) < 20:
            mismatches.append(f"{label} {value!r}: fast {mine}, phonenumbers {theirs}")
        kinds["valid" if theirs.ok else theirs.reason or "?"] += 1
        if theirs.ok and not phonenumbers_verdict(value, country).ok:
            kinds["00 prefix read as +"] += 1
    return {
        "label": label,
        "rows": len(values),
        "mismatches": mismatches,
        "kinds": kinds,
        "column_path": len(values) - checker.phonenumbers_checks,
    }


def _list_job(kind: str) -> dict:
    return _compare(phone_list(kind, LIST_ROWS), COUNTRY, kind)


def _messy_job(country: str, seed: int, count: int) -> dict:
    return _compare(PhoneInputs(country, seed).values(count), country, country)


def _run(jobs: list[tuple]) -> list[dict]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        futures = [pool.submit(*job) for job in jobs]
        return [future.result() for future in futures]


def test_the_fast_path_runs_on_the_installed_phonenumbers() -> None:
    assert fast_path_available(), "phonenumbers outside the tested range: see pyproject.toml"


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_fast_path_equals_phonenumbers_on_every_row_of_the_four_lists() -> None:
    results = _run([(_list_job, kind) for kind in LIST_KINDS])
    mismatches = [m for r in results for m in r["mismatches"]]
    assert not mismatches, "\n".join(mismatches)
    by_kind = {r["label"]: r for r in results}
    assert [r["rows"] for r in results] == [LIST_ROWS] * 4
    for kind, result in by_kind.items():
        # Nearly every row took the column path (the rest: values that are not plain).
        assert result["column_path"] > 0.97 * LIST_ROWS, (kind, result["column_path"])
    # Each list holds what its name says (counts out of 200,000, from phonenumbers).
    valid = {kind: result["kinds"]["valid"] for kind, result in by_kind.items()}
    assert valid["local"] > 0.95 * LIST_ROWS
    assert 0.85 * LIST_ROWS < valid["national"] < 0.97 * LIST_ROWS  # ~5% mistyped
    assert by_kind["international"]["kinds"]["00 prefix read as +"] > 10_000
    assert 0.25 * LIST_ROWS < valid["random"] < 0.5 * LIST_ROWS


@pytest.mark.slow
@pytest.mark.timeout(1200)  # ~1 minute on an idle 2-core machine; the CI box is shared
def test_fast_path_equals_phonenumbers_on_a_million_messy_values() -> None:
    per_country = MESSY_TOTAL // len(COUNTRIES) + 1
    results = _run(
        [(_messy_job, country, 1000 + i, per_country) for i, country in enumerate(COUNTRIES)]
    )
    mismatches = [m for r in results for m in r["mismatches"]]
    assert not mismatches, "\n".join(mismatches)
    kinds = sum((r["kinds"] for r in results), Counter())
    # The generated values cover valid numbers and every kind of problem.
    for kind in ("valid", "not_a_number", "too_short", "too_long", "invalid_for_country"):
        assert kinds[kind] > 1_000, (kind, kinds)
    for kind in ("has_extension", "excel_damage", "missing", "unknown_country_code"):
        assert kinds[kind] > 50, (kind, kinds)
    assert kinds["00 prefix read as +"] > 50, kinds
    # Most values took the column path, in every country.
    for result in results:
        assert result["column_path"] > 0.6 * result["rows"], result["label"]
