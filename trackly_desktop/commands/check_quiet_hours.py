"""Quiet hours in `trackly check`: each row's time zones and texting window at the moment
of the check, for the summary line and the JSON rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from trackly_desktop.core.audience.clock import operator_zone
from trackly_desktop.core.audience.local_times import local_times_for
from trackly_desktop.core.audience.quiet_hours import zone_of
from trackly_desktop.core.audience.wording import texting_hours_summary


class QuietHoursCheck:
    """Each row's time zones and window at the moment of the check (`now`)."""

    def __init__(self, recipients: Any, rules: Any, now: datetime) -> None:
        self.recipients = recipients
        self.now = now
        self.times = local_times_for(recipients, rules)

    def summary_line(self) -> str:
        return "Quiet hours: " + texting_hours_summary(
            self.times, self.recipients.ready_indices(), self.now
        )

    def columns(self) -> tuple[list[Any], list[str | None], list[int]]:
        """Per row "time_zone" (IANA name, or a list when several; None for a row with no
        number to place) and "window_opens" (ISO 8601 with offset; None when the row may
        be texted now), and the rows (ascending) whose window never opens.

        Worked out once per group of rows, not per row: the ISO text looks up the
        computer's zone on disk."""
        groups = self.times.groups
        states = self.times.group_states(self.now)
        zones: list[Any] = [g.zones[0] if len(g.zones) == 1 else list(g.zones) for g in groups]
        opens = [
            None if s.open_now or s.opens is None else iso_text(s.opens) for s in states
        ]
        zones.append(None)  # index -1: the rows with no number
        opens.append(None)
        index = [
            -1 if phone is None else group
            for group, phone in zip(self.times.group, self.recipients.phone, strict=True)
        ]
        never_groups = {k for k, s in enumerate(states) if s.never}
        never = [i for i, k in enumerate(index) if k in never_groups] if never_groups else []
        return [zones[k] for k in index], [opens[k] for k in index], never


def iso_text(when: datetime) -> str:
    """`when` in ISO 8601 in the operator's own zone, to the second."""
    return when.astimezone(zone_of(operator_zone())).isoformat(timespec="seconds")
