"""Phone numbers: the formats people type, Excel damage, reasons, warnings, bulk checks."""

from __future__ import annotations

import phonenumbers
import pytest
from phone_inputs import verdicts

from trackly_desktop.core.errors import Cancelled
from trackly_desktop.core.phones.automaton import ColumnAutomaton, Unsupported, first_digits
from trackly_desktop.core.phones.check import (
    PhoneCheck,
    check_phone,
    default_country_from_locale,
    excel_precheck,
    phonenumbers_verdict,
)
from trackly_desktop.core.phones.columns import check_phones
from trackly_desktop.core.phones.fastpath import FastChecker, plain_key
from trackly_desktop.core.progress import CancelToken
from trackly_desktop.core.recipients.reasons import describe

SAME_US_NUMBER = [
    "(415) 555-1234",
    "415.555.1234",
    "415-555-1234",
    "+1 415-555-1234",
    "1 415 555 1234",
    "1-415-555-1234",
    "4155551234",
    "+14155551234",
    "'4155551234",  # Excel's text marker
    "'+1 415 555 1234",
    "４１５５５５１２３４",  # full-width digits
    "＋１ ４１５ ５５５ １２３４",
    "415\u00a0555\u00a01234",  # non-breaking spaces
    "  415 555 1234 \n",
    "4155551234.0",  # a numeric cell as text
    "011 1 415 555 1234",  # US international prefix
]


@pytest.mark.parametrize("value", SAME_US_NUMBER)
def test_us_formats_normalize_to_one_e164(value: str) -> None:
    assert check_phone(value, "US") == PhoneCheck("+14155551234", None, None)
    assert check_phones([value], "US") == [PhoneCheck("+14155551234", None, None)]


@pytest.mark.parametrize(
    ("value", "country", "e164"),
    [
        ("00 44 7911 123456", "GB", "+447911123456"),
        # 00 is not the US international prefix (011 is), but people write it anyway.
        ("00 44 7911 123456", "US", "+447911123456"),
        ("0044 7911 123456", "CA", "+447911123456"),
        ("00 1 415 555 1234", "US", "+14155551234"),
        ("00447911123456.0", "US", "+447911123456"),  # a numeric cell's ".0", then 00
        ("0011 44 7911 123456", "AU", "+447911123456"),  # Australia's own prefix
        ("00 44 7911", "US", None),  # too short either way: still flagged
        ("07911 123456", "GB", "+447911123456"),
        ("+44 (0)7911 123456", "US", "+447911123456"),
        ("0151 23456789", "DE", "+4915123456789"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("+52 55 1234 5678", "US", "+525512345678"),
        ("98765 43210", "IN", "+919876543210"),
        ("0412 345 678", "AU", "+61412345678"),
        ("(604) 111-0199", "CA", None),  # exchanges never start with 1
        ("(604) 253-0199", "CA", "+16042530199"),
    ],
)
def test_other_countries(value: str, country: str, e164: str | None) -> None:
    assert check_phone(value, country).e164 == e164
    checker = FastChecker(country)
    assert verdicts(checker, [value])[0] == check_phone(value, country)
    # Plain values are read and decided by the column path, not by phonenumbers itself.
    assert checker.phonenumbers_checks == 0


@pytest.mark.parametrize(
    "value",
    ["1.41555E+10", "4.479E+11", "1,41555E+10", "'1.41555E+10", "4155551234.5", "4155551234.25"],
)
def test_excel_damage_is_flagged_never_converted(value: str) -> None:
    check = check_phone(value, "US")
    assert check == PhoneCheck(None, "excel_damage", None)
    assert check_phones([value], "US") == [check]
    assert (
        describe("excel_damage") == "Digits were lost in Excel — export the column as text again."
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "missing"),
        ("   ", "missing"),
        ("'", "missing"),
        ("n/a", "not_a_number"),
        ("hello", "not_a_number"),
        ("555-1234", "too_short"),
        ("12", "too_short"),
        ("123456789012345678", "too_long"),
        ("(415) 555-12345", "too_long"),
        ("(123) 456-7890", "invalid_for_country"),
        ("+999 1234 5678", "unknown_country_code"),
        ("415-555-1234 x22", "has_extension"),
        ("415-555-1234 ext. 5", "has_extension"),
    ],
)
def test_reasons(value: str, reason: str) -> None:
    check = check_phone(value, "US")
    assert check.e164 is None
    assert check.reason == reason
    assert check_phones([value], "US") == [check]
    assert describe(reason).endswith((".", "?"))
    assert "_" not in describe(reason)


def test_landline_warning_does_not_block() -> None:
    # UK geographic numbers are fixed lines; US numbers cannot be told apart.
    check = check_phone("020 7946 0018", "GB")
    assert check.e164 == "+442079460018"
    assert check.warning == "landline"
    assert check_phone("07911 123456", "GB").warning is None
    assert check_phone("(415) 555-1234", "US").warning is None
    assert "may not receive texts" in describe("landline")


def test_excel_precheck_rules() -> None:
    assert excel_precheck("4155551234.0") == ("4155551234", None)
    assert excel_precheck("4155551234.000") == ("4155551234", None)
    assert excel_precheck("415.555.1234") == ("415.555.1234", None)
    assert excel_precheck("1.2E+3") == (None, "excel_damage")
    assert excel_precheck("  ") == (None, "missing")


def test_plain_key_only_for_plain_values() -> None:
    assert plain_key("(415) 555-1234") == "4155551234"
    assert plain_key("'+1 415") == "+1415"
    assert plain_key("４１５ ５５５") == "415555"
    assert plain_key("＋1\u00a0415") == "+1415"
    assert plain_key("415-555-1234 x2") is None
    assert plain_key("1-800-FLOWERS") is None
    assert plain_key("12") is None  # too few digits: punctuation matters to phonenumbers
    assert plain_key("4+15") is None
    assert plain_key("415 555 1234 ٣") is None  # another script's digit


def test_a_whole_column_is_decided_without_phonenumbers() -> None:
    checker = FastChecker("US")
    values = [f"(415) 253-{n:04d}" for n in range(2000)] + ["+44 7911 123456", "0800 123"]
    results = verdicts(checker, values)
    assert [r.e164 for r in results[:2000]] == [f"+1415253{n:04d}" for n in range(2000)]
    assert results[2000] == PhoneCheck("+447911123456", None, None)
    assert results[2001] == PhoneCheck(None, "too_short", None)
    assert checker.phonenumbers_checks == 0
    # Values that are not plain go to phonenumbers itself, once per distinct value.
    assert verdicts(checker, ["415-555-1234 x2", "1-800-FLOWERS", "415-555-1234 x2"]) == [
        PhoneCheck(None, "has_extension", None),
        PhoneCheck("+18003569377", None, None),
        PhoneCheck(None, "has_extension", None),
    ]
    assert checker.phonenumbers_checks == 2
    # A value holding the character that joins a chunk is not plain (it once recursed forever).
    hostile = ["415\x1e555 1234", "(415) 253-0000"]
    assert verdicts(checker, hostile) == [check_phone(v, "US") for v in hostile]


def test_an_untested_phonenumbers_release_gets_phonenumbers_own_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(phonenumbers, "__version__", "9.1.0")
    checker = FastChecker("US")
    values = ["(415) 253-0000", "+44 7911 123456", "12345"]
    assert verdicts(checker, values) == [check_phone(v, "US") for v in values]
    assert checker.phonenumbers_checks == 3


def test_the_tested_range_is_the_one_pyproject_pins() -> None:
    import tomllib
    from pathlib import Path

    from trackly_desktop.core.phones.fastpath import TESTED_PHONENUMBERS

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    pins = [d for d in project["project"]["dependencies"] if d.startswith("phonenumbers")]
    low, high = TESTED_PHONENUMBERS
    assert pins == [f"phonenumbers>={low[0]}.{low[1]},<{high[0]}.{high[1]}"]


def test_automaton_reads_the_pattern_syntax_phonenumbers_uses() -> None:
    import numpy as np

    patterns = [
        r"(?:2[0-2]|3)\d{2,3}",  # groups, classes, ranges, counted repeats
        r"[^0-4]5?7*",  # a negated class, optional and repeated digits
        r"1(?:23|4)+",
        r"\d{4}",
    ]
    strings = [
        "2012",
        "30000",
        "3000",
        "200",
        "5",
        "5577",
        "9777",
        "0",
        "123234",
        "14",
        "1",
        "0000",
    ]
    automaton = ColumnAutomaton(patterns)
    matched = {}
    for length in sorted({len(s) for s in strings}):
        group = [s for s in strings if len(s) == length]
        digits = np.array([[int(c) for c in s] for s in group], dtype=np.uint8)
        for text, state in zip(group, automaton.run(digits).tolist(), strict=True):
            matched[text] = sorted(automaton.matched(state))
    assert matched == {
        "2012": [0, 3],
        "30000": [],  # 3 and four more digits: one too many
        "3000": [0, 3],
        "200": [],
        "5": [1],
        "5577": [1, 3],
        "9777": [1, 3],
        "0": [],
        "123234": [2],
        "14": [2],
        "1": [],
        "0000": [3],
    }
    for outside in (r"1(?=2)", r"12$", r"[a-z]", r"1{2}?", r"1|\s"):
        with pytest.raises(Unsupported):
            ColumnAutomaton([outside])
    assert first_digits("011") == frozenset("0")
    assert first_digits("0|1[79]") == frozenset("01")
    assert first_digits("1?") == frozenset("0123456789")  # may match nothing: any start
    assert first_digits("(1)$") == frozenset("1")  # an end anchor only narrows: dropped
    assert first_digits("(?!1)2") == frozenset("0123456789")  # beyond the subset: any start
    assert first_digits(None) == frozenset()
    # Two digits: a match of one digit ("0") starts every "0x".
    noughts = {f"0{d}" for d in range(10)}
    assert first_digits("0|180020", 2) == frozenset(noughts | {"18"})  # Britain's
    assert first_digits("(1(?:[12]\\d|79)\\d\\d)|0", 2) == frozenset(noughts | {"11", "12", "17"})
    assert len(first_digits("1?", 2)) == 100


def test_bulk_progress_and_cancel() -> None:
    values = ["(415) 555-1234"] * 50_000
    seen: list[tuple[int, int, str]] = []
    check_phones(values, "US", progress=lambda d, t, w: seen.append((d, t, w)))
    assert seen[-1] == (50_000, 50_000, "Checking numbers")
    assert [d for d, _t, _w in seen] == sorted(d for d, _t, _w in seen)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        check_phones(values, "US", cancel=token)


def test_default_country_from_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert default_country_from_locale() == "GB"
    monkeypatch.setenv("LC_ALL", "de_DE")
    assert default_country_from_locale() == "DE"
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        monkeypatch.setenv(name, "C")
    monkeypatch.setattr("locale.getlocale", lambda: (None, None))
    assert default_country_from_locale() == "US"
    assert phonenumbers.country_code_for_region(default_country_from_locale())


def test_every_row_code_has_plain_words() -> None:
    from trackly_desktop.core.phones.check import LANDLINE, PHONE_REASONS
    from trackly_desktop.core.recipients.reasons import (
        BODY_TOO_LONG,
        EMPTY_BODY,
        ROW_REASONS,
        TEMPLATE_VALUE_HAS_BRACES,
    )

    for code in (*PHONE_REASONS, LANDLINE, BODY_TOO_LONG, EMPTY_BODY, TEMPLATE_VALUE_HAS_BRACES):
        assert code in ROW_REASONS
        sentence = describe(code)
        assert sentence[0].isupper() and sentence.endswith((".", "?"))
        assert "_" not in sentence
    assert describe(None) == ""
    assert describe("some_new_code") == "Some new code."


def test_00_prefix_rule_never_overrides_a_number_phonenumbers_accepts() -> None:
    # A valid reading as written always wins over the "+" reading.
    for value, country in [("0151 23456789", "DE"), ("06 12 34 56 78", "FR")]:
        assert check_phone(value, country) == phonenumbers_verdict(value, country)
    assert (
        check_phones(["00 44 7911 123456"] * 3, "US")
        == [PhoneCheck("+447911123456", None, None)] * 3
    )
