"""How a workbook cell becomes the text the rest of the app sees.

Workbooks store numbers as floats, so a phone typed as 4155551234 arrives as
4155551234.0. The rules below give the digits back when nothing was lost, and keep a
visibly different text when Excel already damaged the value, so the phone check can
say so instead of guessing:

- text cells: unchanged (so "1.41555E+10" typed or imported as text stays exactly that);
- whole numbers below 10**15: their digits, "4155551234" (negative: "-5");
- whole numbers from 10**15 up: Excel keeps only 15 significant digits, so the digits
  are not trustworthy: scientific text with 15 significant digits, "1.23456789012346E+19";
- other numbers: up to 15 significant digits as Excel shows them: "4155551234.5", "0.3";
  tiny or huge ones in scientific text ("1E-07");
- TRUE / FALSE for booleans; ISO dates "2024-11-01", date-times "2024-11-01 13:05:00"
  (just the date when the time is midnight), times "13:05:00";
- empty cells and error cells without a value: "".
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

# Excel stores 15 significant digits; from here on a "whole number" may have lost digits.
EXACT_INTEGER_LIMIT = 10**15


def cell_text(value: object) -> str:
    """The text for one cell value as python-calamine returns it."""
    if type(value) is str:  # the common case first: one type check, no isinstance chain
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        if abs(value) >= EXACT_INTEGER_LIMIT:
            return format(float(value), ".15G")
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return _duration_text(value)
    return str(value)


def cell_texts(values: np.ndarray) -> list[str]:
    """`cell_text` of each value (a 1-D object array). Numbers come from workbooks as
    floats, most of them whole (order numbers, amounts, phones): those are turned to text
    all at once, other values one by one."""
    types = np.fromiter(map(type, values), dtype=object, count=len(values))
    is_float = types == float  # noqa: E721 - element-wise, over a numpy array
    texts = np.empty(len(values), dtype=object)
    rest = ~is_float
    texts[rest] = list(map(cell_text, values[rest]))
    numbers = values[is_float].astype(np.float64)
    whole = np.isfinite(numbers) & (numbers == np.trunc(numbers))
    whole &= np.abs(numbers) < EXACT_INTEGER_LIMIT
    float_texts = np.empty(len(numbers), dtype=object)
    float_texts[whole] = list(map(str, numbers[whole].astype(np.int64).tolist()))
    float_texts[~whole] = list(map(_float_text, numbers[~whole].tolist()))
    texts[is_float] = float_texts
    return texts.tolist()


def _float_text(value: float) -> str:
    if not math.isfinite(value):
        return ""
    if value.is_integer() and abs(value) < EXACT_INTEGER_LIMIT:
        return str(int(value))
    return format(value, ".15G")


def _duration_text(value: dt.timedelta) -> str:
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
