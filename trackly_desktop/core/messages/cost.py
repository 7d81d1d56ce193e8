"""What a send costs, and the plain characters that make it cost less.

The price is per message part (what providers bill), set by the operator in Settings as
text ("0.008"); empty means the cost is not shown anywhere. Money is Decimal throughout so
1,450 parts at 0.008 is 11.60, never 11.599999. The currency comes from the locale's
region unless the operator picks another.

"Plain characters": curly quotes, long dashes, the ellipsis and similar typography that
word processors put in turn a whole message into special characters (70 characters a part
instead of 160). `plain_characters()` swaps them for their plain look-alikes; what has no
plain equivalent (emoji, most non-Latin letters) is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.core.messages.segments import measure
from trackly_desktop.core.plurals import counted

# Region -> ISO 4217 currency, for the regions the app is used in; others fall back to USD.
_EURO = ("AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU",
         "LV", "MT", "NL", "PT", "SI", "SK")  # fmt: skip
CURRENCY_BY_REGION: dict[str, str] = {
    **dict.fromkeys(_EURO, "EUR"),
    "US": "USD", "GB": "GBP", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "IN": "INR",
    "ZA": "ZAR", "CH": "CHF", "SE": "SEK", "NO": "NOK", "DK": "DKK", "PL": "PLN",
    "JP": "JPY", "BR": "BRL", "MX": "MXN", "SG": "SGD", "HK": "HKD", "IL": "ILS",
    "AE": "AED", "NG": "NGN", "KE": "KES", "PH": "PHP", "CZ": "CZK", "HU": "HUF",
}  # fmt: skip
# Symbols written before the amount ("$11.60"); other currencies read "11.60 CHF".
CURRENCY_SYMBOLS: dict[str, str] = {
    "USD": "$", "GBP": "£", "EUR": "€", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$",
    "INR": "₹", "JPY": "¥", "BRL": "R$", "MXN": "MX$", "SGD": "S$", "HKD": "HK$",
    "ILS": "₪", "NGN": "₦", "PHP": "₱", "ZAR": "R",
}  # fmt: skip
CURRENCIES = tuple(sorted(set(CURRENCY_BY_REGION.values())))

# Typography with a plain (standard-character) look-alike.
PLAIN_EQUIVALENTS: dict[str, str] = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u2022": "-", "\u00b7": "-",
    "\u2026": "...",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
    "\ufeff": "", "\u2028": "\n", "\t": " ",
}  # fmt: skip
_PLAIN_TABLE = str.maketrans(PLAIN_EQUIVALENTS)


def currency_for_region(region: str) -> str:
    return CURRENCY_BY_REGION.get(region.upper(), "USD")


def parse_price(text: str) -> Decimal | None:
    """The price per part typed in Settings; None when empty (cost not shown).

    Accepts "0.008", "0,008" and a leading currency symbol ("$0.008"); refuses anything
    else with one plain sentence.
    """
    cleaned = text.strip().lstrip("".join(set("".join(CURRENCY_SYMBOLS.values()))))
    cleaned = cleaned.strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        price = Decimal(cleaned)
    except InvalidOperation:
        raise TracklyDesktopError(
            f"“{text.strip()}” is not a price: type the price of one message part, "
            "for example 0.008."
        ) from None
    if not price.is_finite() or price < 0:
        raise TracklyDesktopError("The price of a message part must be zero or more.")
    if price >= 100:
        raise TracklyDesktopError(
            "That price is for one message part, not the whole send: type something like 0.008."
        )
    return price


def estimate(parts: int, price: Decimal | None) -> Decimal | None:
    """The cost of `parts` message parts, to the cent (None when no price is set)."""
    if price is None:
        return None
    return (price * parts).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_money(amount: Decimal, currency: str) -> str:
    """ "$11.60", "€1,234.50", "11.60 CHF"."""
    digits = f"{amount:,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{digits}" if symbol else f"{digits} {currency}"


def about_cost(parts: int, price: Decimal | None, currency: str) -> str:
    """ "about $11.60", or "" when no price is set (the window then says nothing of cost)."""
    amount = estimate(parts, price)
    return "" if amount is None else f"about {format_money(amount, currency)}"


def plain_characters(text: str) -> str:
    """`text` with curly quotes, long dashes, ellipses and odd spaces made plain."""
    return text.translate(_PLAIN_TABLE)


@dataclass(frozen=True, slots=True)
class PlainSaving:
    """What "Use plain characters" would do to one message."""

    replaceable: tuple[str, ...]  # special characters that have a plain look-alike
    remaining: tuple[str, ...]  # special characters that stay (emoji, other scripts)
    parts_now: int
    parts_plain: int

    @property
    def saves_parts(self) -> int:
        return self.parts_now - self.parts_plain

    @property
    def worth_offering(self) -> bool:
        """Offered only where special characters cost parts and plain ones would not."""
        return bool(self.replaceable) and self.saves_parts > 0

    def words(self, what: str, less: str = "") -> str:
        """ "Plain characters instead of ’ — would make {what} 1 part instead of 2 ({less})."
        (the Message step, and `trackly check` and `send` for every message together)."""
        shown = " ".join(self.replaceable[:8])
        sentence = (
            f"Plain characters instead of {shown} would make {what} "
            f"{counted(self.parts_plain, 'part')} instead of {self.parts_now:,}"
        )
        return sentence + (f" ({less})." if less else ".")


def plain_saving(body: str) -> PlainSaving:
    """Which special characters in `body` could be plain, and the parts that would save."""
    now = measure(body)
    special = now.special_characters
    replaceable = tuple(c for c in special if c in PLAIN_EQUIVALENTS)
    remaining = tuple(c for c in special if c not in PLAIN_EQUIVALENTS)
    plain = measure(plain_characters(body)) if replaceable else now
    return PlainSaving(replaceable, remaining, now.segments, plain.segments)
