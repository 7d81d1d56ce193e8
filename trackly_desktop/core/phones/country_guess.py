"""The country a file's numbers are written for, when the operator has not said.

A UK list opened where the default country is the US reads "07911 123456" as a US
number with too many digits, every row of it. When most numbers written without a
+ code are not valid for the default country but are valid for exactly one other
country, that country is the better reading of the file, and the app says so.

Only the numbers without a + code (or 00) count: those with one read the same
whatever the country. Countries are compared by calling code, each under its main
region (AU, not Christmas Island, which shares +61 and its mobile ranges); two
countries that both fit is no answer. The guess never applies when the operator chose
a country (window or --country), and numbers valid under both readings are left for
the caller to flag (see `flag_two_readings`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from trackly_desktop.core.phones.check import check_phone, international_00_reading
from trackly_desktop.core.phones.columns import check_phone_columns

# Where the country numbers without a + code are read as came from.
CHOSEN, INFERRED, DEFAULT = "chosen", "inferred", "default"
# Row reason: valid as written in the inferred country and, differently, in the default.
TWO_COUNTRIES = "two_countries"

SAMPLE = 200
# A first pass over this many numbers rules out almost every country cheaply.
_PROBE = 24
MIN_NUMBERS = 3
# The default country must fail on more than half of the sampled numbers, and the
# other country must read at least this share of them (and more than the default).
MIN_SHARE = 0.6
_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")
# How far the best country's score must lead the next one's (scores run 0 to 1.75).
_CLEAR_LEAD = 0.2
_INTERNATIONAL = phonenumbers.PhoneNumberFormat.INTERNATIONAL
_MOBILE = phonenumbers.PhoneNumberType.MOBILE
_FIXED_OR_MOBILE = phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE


@lru_cache(maxsize=1)
def _main_regions() -> tuple[str, ...]:
    regions = []
    for code in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE):
        region = phonenumbers.region_code_for_country_code(code)
        if region not in ("ZZ", "001"):
            regions.append(region)
    return tuple(regions)


def national_sample(values: Sequence[str], limit: int = SAMPLE) -> list[str]:
    """Up to `limit` non-empty values written without a + code or 00 prefix."""
    sample: list[str] = []
    for value in values:
        text = value.strip().lstrip("'")
        if not text or text.startswith("+") or len(_DIGIT.findall(text)) < 6:
            continue
        if international_00_reading(text) is not None:
            continue
        sample.append(text)
        if len(sample) >= limit:
            break
    return sample


def _share(sample: list[str], country: str) -> float:
    return sum(check_phone(v, country).ok for v in sample) / len(sample)


def guess_country(values: Sequence[str], default: str) -> str | None:
    """Another country that reads these numbers where `default` does not; None if none.

    Short national numbers are valid in many countries ("0412 345 678" is a number in
    Australia, France and Korea), so validity alone names several. Each country that
    reads most of them is scored on how it reads them: valid, written the way that
    country writes its numbers ("07911 123456" is the UK's grouping), and mobile. The
    best must stand clearly above the next; a tie is no answer.
    """
    sample = national_sample(values)
    if len(sample) < MIN_NUMBERS:
        return None
    default = default.upper()
    default_share = _share(sample, default)
    if default_share >= 0.5:
        return None
    default_code = phonenumbers.country_code_for_region(default)
    probe = sample[:_PROBE]
    fits: list[tuple[float, str]] = []
    for region in _main_regions():
        if phonenumbers.country_code_for_region(region) == default_code:
            continue
        if _share(probe, region) < MIN_SHARE * 0.8:
            continue
        score = _fit(sample, region)
        if score is not None and score > default_share:
            fits.append((score, region))
    if not fits:
        return None
    fits.sort(reverse=True)
    if len(fits) > 1 and fits[0][0] - fits[1][0] < _CLEAR_LEAD:
        return None  # two countries read the file about equally: the operator decides
    return fits[0][1]


def _fit(sample: list[str], region: str) -> float | None:
    """valid share + half the share written in `region`'s grouping + a quarter mobile."""
    valid = grouped = mobile = 0
    for text in sample:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(number) or number.extension:
            continue
        valid += 1
        # As the country writes it, with its trunk 0 ("07911 123456") or without, as after
        # its + code ("98765 43210" in India).
        written = _grouping(text)
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        international = phonenumbers.format_number(number, _INTERNATIONAL)
        if written in (_grouping(national), _grouping(international)[1:]):
            grouped += 1
        kind = phonenumbers.number_type(number)
        if kind in (_MOBILE, _FIXED_OR_MOBILE):
            mobile += 1
    if valid < MIN_SHARE * len(sample):
        return None
    return (valid + 0.5 * grouped + 0.25 * mobile) / len(sample)


def _grouping(text: str) -> tuple[int, ...]:
    """The lengths of the digit groups as written: "(02) 9374 4000" -> (2, 4, 4)."""
    return tuple(len(group) for group in _DIGITS.findall(text))


@dataclass(frozen=True)
class CountryReading:
    """How a file's numbers without a + code are read."""

    country: str
    source: str  # CHOSEN, INFERRED or DEFAULT
    default: str  # the country that would have been used without the guess

    def sentence(self) -> str:
        """What the window and `trackly check` say about it."""
        name = country_name(self.country)
        if self.source == INFERRED:
            return f"These look like {short_name(self.country)} numbers, read as {name}."
        return f"Numbers without a + code are read as {name}."


def read_country(
    phone_columns: Sequence[Sequence[str]], country: str, source: str
) -> CountryReading:
    """The reading for a file: `country` unless it is only the default and the numbers
    of the first phone column that has any say another country."""
    if source != DEFAULT:
        return CountryReading(country, source, country)
    pooled: list[str] = []
    for values in phone_columns:  # a mobile column may be nearly empty beside a home one
        pooled.extend(national_sample(values, SAMPLE - len(pooled)))
        if len(pooled) >= SAMPLE:
            break
    guess = guess_country(pooled, country)
    if guess is not None:
        return CountryReading(guess, INFERRED, country)
    return CountryReading(country, DEFAULT, country)


def flag_two_readings(
    texts: list[str],
    e164s: list[str | None],
    reasons: list[str | None],
    reading: CountryReading,
) -> None:
    """Mark rows whose number is valid as written in the inferred country and also, as
    another number, in the default one: such a number is never silently re-read."""
    rows = [
        i for i, e in enumerate(e164s) if e is not None and not texts[i].lstrip().startswith("+")
    ]
    if not rows:
        return
    there, _reasons, _warnings = check_phone_columns([texts[i] for i in rows], reading.default)
    for i, other in zip(rows, there, strict=True):
        if other is not None and other != e164s[i]:
            e164s[i], reasons[i] = None, TWO_COUNTRIES


def short_name(code: str) -> str:
    """For "These look like UK numbers": "UK", "Australian", else the country's name."""
    return _ADJECTIVES.get(code.upper(), country_name(code))


_ADJECTIVES = {
    "GB": "UK", "US": "US", "AE": "UAE", "AU": "Australian", "CA": "Canadian",
    "DE": "German", "IN": "Indian", "FR": "French", "ES": "Spanish", "IT": "Italian",
    "IE": "Irish", "JP": "Japanese", "RU": "Russian", "MX": "Mexican", "BR": "Brazilian",
    "NL": "Dutch", "ZA": "South African", "CN": "Chinese", "PH": "Philippine",
    "PK": "Pakistani", "NG": "Nigerian", "KR": "South Korean", "TR": "Turkish",
    "PL": "Polish", "GR": "Greek", "CZ": "Czech", "SE": "Swedish", "CH": "Swiss",
    "AT": "Austrian", "BE": "Belgian", "PT": "Portuguese", "NZ": "New Zealand",
}  # fmt: skip


def country_name(code: str) -> str:
    """An English name for a region code, for messages ("GB" -> "United Kingdom")."""
    return _NAMES.get(code.upper(), code.upper())


_NAMES = {
    "US": "United States", "GB": "United Kingdom", "CA": "Canada", "AU": "Australia",
    "NZ": "New Zealand", "IE": "Ireland", "DE": "Germany", "AT": "Austria",
    "CH": "Switzerland", "FR": "France", "BE": "Belgium", "NL": "Netherlands",
    "ES": "Spain", "PT": "Portugal", "IT": "Italy", "IN": "India", "PK": "Pakistan",
    "BD": "Bangladesh", "PH": "Philippines", "SG": "Singapore", "MY": "Malaysia",
    "ZA": "South Africa", "NG": "Nigeria", "KE": "Kenya", "MX": "Mexico", "BR": "Brazil",
    "AR": "Argentina", "CO": "Colombia", "CL": "Chile", "PE": "Peru", "JP": "Japan",
    "CN": "China", "HK": "Hong Kong", "TW": "Taiwan", "KR": "South Korea",
    "RU": "Russia", "UA": "Ukraine", "PL": "Poland", "CZ": "Czechia", "SE": "Sweden",
    "NO": "Norway", "DK": "Denmark", "FI": "Finland", "GR": "Greece", "TR": "Turkey",
    "IL": "Israel", "AE": "United Arab Emirates", "SA": "Saudi Arabia", "EG": "Egypt",
}  # fmt: skip
