"""Which held messages may go now: the send engine's view of a campaign's quiet groups.

A campaign stores each row's `QuietGroup` (its zones and window, frozen when the campaign
was made, so changing Settings later does not move a send already planned). At any moment
a group is open or closed; the engine claims rows of open groups only, and when only held
rows are left it waits for the earliest opening. A group counts as closed from
`CLOSING_MARGIN` before its window ends: a batch claimed then could reach the phone after
the window closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from trackly_desktop.core.audience.local_times import QuietGroup

CLOSING_MARGIN = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class ReleasePlan:
    open_groups: list[int]  # journal ids of the groups that may be sent now
    next_opening: datetime | None  # earliest opening of a closed group (None: none opens)


class QuietRelease:
    def __init__(self, groups: Mapping[int, QuietGroup]) -> None:
        self.groups = dict(groups)

    def plan(self, now: datetime, waiting: Iterable[int] | None = None) -> ReleasePlan:
        """Open groups now; `waiting` (groups with pending rows) limits the next opening."""
        considered = self.groups if waiting is None else {g: self.groups[g] for g in waiting}
        open_ids: list[int] = []
        openings: list[datetime] = []
        for group_id, group in considered.items():
            state = group.state(now)
            if state.open_now and (state.closes is None or state.closes - now > CLOSING_MARGIN):
                open_ids.append(group_id)
            elif state.open_now:
                # Inside, but closing within the margin: wait for its next opening.
                assert state.closes is not None
                later = group.state(state.closes)
                if later.opens is not None:
                    openings.append(later.opens)
            elif state.opens is not None:
                openings.append(state.opens)
        return ReleasePlan(sorted(open_ids), min(openings) if openings else None)
