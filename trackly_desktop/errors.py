"""The root of every error the app explains to the operator in one plain sentence.

It stands alone, below every layer, so that the API client's errors and the core's domain
errors share one base without the client importing the core.
"""

from __future__ import annotations


class TracklyDesktopError(Exception):
    """A problem the operator can act on; `str(exc)` is the sentence to show them."""
