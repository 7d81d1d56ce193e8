"""Messy phone values, generated: every format the phone tests and benchmark feed in.

A value is built from a digit string (random, or a real example number of the country
with its last digits changed, so that many values share their first digits and the fast
path's shared verdicts are exercised) and dressed up: separators, brackets, "+", "00",
a national or international prefix, Excel's apostrophe, full-width digits, non-breaking
spaces, letters, extensions, stray symbols, too few or too many digits.
"""

from __future__ import annotations

import random

import phonenumbers
from phonenumbers import PhoneNumberType

from trackly_desktop.core.phones.check import PhoneCheck

COUNTRIES = ("US", "CA", "GB", "DE", "FR", "MX", "IN", "AU", "BR", "IT", "JP", "ES")
_TYPES = (
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.UAN,
    PhoneNumberType.PAGER,
)
_SEPARATORS = (" ", "-", ".", "", "\u00a0", " - ", "  ", "/", "\u2011", "\u3000")
_WIDE = str.maketrans("0123456789+", "０１２３４５６７８９＋")
_JUNK = 'abcxyzABC#*;,:!?~_&@$%^=[]{}<>|\\"`'


def _examples(region: str) -> list[str]:
    """National significant numbers of the region's example numbers, one per type."""
    found = []
    for kind in _TYPES:
        number = phonenumbers.example_number_for_type(region, kind)
        if number is not None:
            found.append(phonenumbers.national_significant_number(number))
    return found or ["2015550123"]


class PhoneInputs:
    """A reproducible stream of messy values for one country."""

    def __init__(self, country: str, seed: int) -> None:
        self.country = country
        self.rng = random.Random(seed)
        self.code = str(phonenumbers.country_code_for_region(country))
        self.examples = _examples(country)
        # A limited pool of number heads, so that many values share their first digits.
        self.heads = [self._head() for _ in range(400)]

    def _head(self) -> str:
        rng = self.rng
        base = rng.choice(self.examples)
        # Mostly short tails, so many values share a head and differ only at the end.
        cut = max(1, len(base) - rng.choice((1, 2, 3, 4, 4, 5, 6, 6, 7, 8, 9)))
        if rng.random() < 0.3:  # change a digit inside the head as well
            i = rng.randrange(cut)
            base = base[:i] + rng.choice("0123456789") + base[i + 1 :]
        return base[:cut] + "|" + str(len(base) - cut)

    def digits(self) -> str:
        """A national significant number: mostly from a shared head, sometimes random."""
        rng = self.rng
        if rng.random() < 0.15:
            return "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 16)))
        head, _, size = rng.choice(self.heads).partition("|")
        tail = int(size) + rng.choice((0, 0, 0, 0, 0, 0, -1, 1, -2, 2))
        return head + "".join(rng.choice("0123456789") for _ in range(max(0, tail)))

    def _grouped(self, digits: str) -> str:
        rng = self.rng
        out, i = [], 0
        while i < len(digits):
            step = rng.randint(1, 5)
            out.append(digits[i : i + step])
            i += step
        sep = rng.choice(_SEPARATORS)
        text = sep.join(out) if rng.random() < 0.8 else rng.choice(_SEPARATORS).join(out)
        if len(out) > 1 and rng.random() < 0.25:
            text = f"({out[0]}) " + sep.join(out[1:])
        return text

    def value(self) -> str:
        rng = self.rng
        nsn = self.digits()
        roll = rng.random()
        if roll < 0.35:
            prefix = ""
        elif roll < 0.50:
            prefix = "+" + self.code + rng.choice(("", " ", "-", " (0)"))
        elif roll < 0.58:
            prefix = "00" + rng.choice(("", " ")) + self.code + " "
        elif roll < 0.63:
            prefix = "011 " + self.code + " "
        elif roll < 0.73:
            prefix = rng.choice(("0", "1", "01", "0 ", "1 ", "1-", "9", "8", "00"))
        elif roll < 0.80:
            prefix = "+" + rng.choice(("44", "49", "33", "52", "91", "61", "1", "7", "999", "0"))
        else:
            prefix = ""
        text = prefix + self._grouped(nsn)
        roll = rng.random()
        if roll < 0.05:
            text = "'" + text
        elif roll < 0.09:
            text = text.translate(_WIDE)
        elif roll < 0.12:
            text = text.replace(" ", "\u00a0")
        elif roll < 0.16:
            text = rng.choice((" ", "  ", "\t", "")) + text + rng.choice((" ", "", "\n"))
        elif roll < 0.19:
            text += rng.choice((" x", " ext. ", " ext", "#", ";ext=", " , ", "x")) + str(
                rng.randint(1, 9999)
            )
        elif roll < 0.22:
            i = rng.randint(0, len(text))
            text = text[:i] + rng.choice(_JUNK) + text[i:]
        elif roll < 0.24:
            text = text + "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVWXY") for _ in range(4))
        elif roll < 0.26:
            text = rng.choice(("tel:", "Tel: ", "phone ", "+", "++", "(+", "((")) + text
        elif roll < 0.28:
            text = text + rng.choice((".0", ".5", ".25", "E+10", ",0", "e5", ".", ".00"))
        elif roll < 0.29:
            text = rng.choice(("", " ", "-", "'", "n/a", "none", "0", "12", "+", "1.2E+3"))
        return text

    def values(self, count: int) -> list[str]:
        return [self.value() for _ in range(count)]


def verdicts(checker, values: list[str]) -> list[PhoneCheck]:
    """A `FastChecker`'s columns as one `check_phone` verdict per value, to compare."""
    return [PhoneCheck(*v) for v in zip(*checker.check_columns(values), strict=True)]
