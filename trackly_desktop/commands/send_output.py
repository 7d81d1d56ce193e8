"""What `trackly send` prints while it sends, and the failures file it leaves behind."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from trackly_desktop.core.audience.schedule import describe_when, describe_with_zone
from trackly_desktop.core.journal.schema import FailureRow
from trackly_desktop.core.results.export import export_failures
from trackly_desktop.core.sending.tally import SendProgress, describe_duration


def progress_line(p: SendProgress) -> str:
    parts = [f"sent {p.sent:,}", f"failed {p.failed:,}"]
    if p.uncertain:
        parts.append(f"uncertain {p.uncertain:,}")
    parts.append(f"left {p.remaining:,} of {p.total:,}")
    if p.checking_again:  # the duplicate check settles it: said, not left to guess
        parts.append(f"answer lost for {p.checking_again:,}, checking again")
    if p.rate_per_s > 0:
        parts.append(f"{p.rate_per_s:,.0f}/s")
    if p.eta_s is not None and p.remaining and not p.held:
        parts.append(f"about {describe_duration(p.eta_s)} left")
    if p.scheduled_for is not None:
        parts.append(f"waiting to start {describe_with_zone(p.scheduled_for, p.scheduled_for)}")
    if p.held and p.opens_at is not None:
        parts.append(f"{p.held:,} held for texting hours, next window opens "
                     f"{describe_when(p.opens_at, datetime.now(UTC))} your time")  # fmt: skip
    return " · ".join(parts)


class ProgressPrinter:
    """Progress on stderr: one rewritten line on a terminal, a line a second otherwise."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self._quiet = quiet
        self._tty = bool(getattr(self._stream, "isatty", lambda: False)())
        self._last = 0.0
        self._pending: SendProgress | None = None

    def __call__(self, progress: SendProgress) -> None:
        if self._quiet:
            return
        now = time.monotonic()
        self._pending = progress
        if now - self._last < (0.2 if self._tty else 1.0):
            return
        self._last = now
        self._emit(progress)

    def _emit(self, progress: SendProgress) -> None:
        line = progress_line(progress)
        if self._tty:
            self._stream.write("\r\x1b[2K" + line)
        else:
            self._stream.write(line + "\n")
        self._stream.flush()
        self._pending = None

    def finish(self) -> None:
        if self._quiet:
            return
        if self._pending is not None:
            self._emit(self._pending)
        if self._tty:
            self._stream.write("\n")
            self._stream.flush()


def write_failures(failures: list[FailureRow], target: Path) -> Path:
    return export_failures(failures, target)
