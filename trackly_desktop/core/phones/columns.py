"""Whole columns of phone numbers checked at once, with `check_phone`'s verdict for each."""

from __future__ import annotations

from collections.abc import Sequence

from trackly_desktop.core.phones.check import PhoneCheck
from trackly_desktop.core.phones.fastpath import FastChecker
from trackly_desktop.core.progress import CancelToken, ProgressCallback, no_progress


def check_phones(
    values: Sequence[str],
    country: str,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> list[PhoneCheck]:
    """`check_phone` for every value, in order, quickly: one verdict per value.

    Reports progress about every 1% as "Checking numbers" and raises `Cancelled`
    between chunks once `cancel` is set.
    """
    columns = check_phone_columns(values, country, progress=progress, cancel=cancel)
    return [PhoneCheck(*v) for v in zip(*columns, strict=True)]


def check_phone_columns(
    values: Sequence[str],
    country: str,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> tuple[list[str | None], list[str | None], list[str | None]]:
    """`check_phones` as three columns (E.164s, reasons, warnings): no object per row."""
    checker = FastChecker(country.upper())
    return checker.check_columns(values, progress=progress, cancel=cancel)
