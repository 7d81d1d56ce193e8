"""A past campaign's story for History: its message, sending number, counts, parts, cost.

`campaign_stories` reads every campaign with its message text (cheap: one row each);
`campaign_parts` counts the message parts of one campaign from its stored bodies, in a
worker, since a million-message campaign takes a few seconds to measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trackly_desktop.core.journal.schema import CampaignSummary
from trackly_desktop.core.messages.segments import measure


@dataclass(frozen=True)
class CampaignStory:
    summary: CampaignSummary
    template: str
    sendable_again: int = 0  # what "Send again to the ones that failed" would send

    @property
    def file_name(self) -> str:
        return Path(self.summary.file).name if self.summary.file else ""

    def matches(self, needle: str) -> bool:
        """Search by file name or message text, ignoring case."""
        needle = needle.strip().casefold()
        if not needle:
            return True
        return needle in self.file_name.casefold() or needle in self.template.casefold()


def campaign_stories(journal_path: Path) -> list[CampaignStory]:
    from trackly_desktop.core.journal.store import Journal  # noqa: PLC0415

    with Journal(journal_path) as journal:
        return [
            CampaignStory(
                c,
                journal.spec(c.id).template,
                journal.sendable_again(c.id) if c.counts.failed or c.counts.uncertain else 0,
            )
            for c in journal.campaigns()
        ]


def campaign_parts(journal_path: Path, campaign_id: int) -> int:
    """Message parts the campaign's messages take (sent or not)."""
    from trackly_desktop.core.journal.store import Journal  # noqa: PLC0415

    total = 0
    with Journal(journal_path) as journal:
        for chunk in journal.bodies(campaign_id):
            total += sum(measure(body).segments for body in chunk)
    return total
