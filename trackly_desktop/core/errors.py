"""Domain exceptions. Each carries one plain-language sentence an operator understands.

Only `ui/` turns these into dialogs and only `cli.py` prints them; the core raises them.
"""

from __future__ import annotations

from trackly_desktop.errors import TracklyDesktopError

__all__ = [
    "CampaignError",
    "Cancelled",
    "InputFileError",
    "MappingError",
    "TemplateError",
    "TracklyDesktopError",
]


class InputFileError(TracklyDesktopError):
    """A spreadsheet that cannot be read: empty, corrupt, protected, too large, not one."""


class MappingError(TracklyDesktopError):
    """A column mapping that cannot work (no phone column, a header that is not in the file)."""


class TemplateError(TracklyDesktopError):
    """A message template with an unknown field or unbalanced braces.

    `position` is the 0-based character offset of the problem in the template text.
    """

    def __init__(self, message: str, position: int = 0) -> None:
        super().__init__(message)
        self.position = position


class CampaignError(TracklyDesktopError):
    """A campaign that cannot be started or resumed as asked."""


class Cancelled(TracklyDesktopError):  # noqa: N818 - reads as "raise Cancelled"
    """The operator cancelled a long step; nothing was lost."""

    def __init__(self, message: str = "Cancelled.") -> None:
        super().__init__(message)
