"""Typed answers of the Trackly API: what a single send and a bulk send report back."""

from __future__ import annotations

from dataclasses import dataclass

from trackly_desktop.api.errors import explain, means_already_sent


@dataclass(frozen=True, slots=True)
class SendResult:
    """A single message queued by `/v2/send` or `/v2/send-raw`."""

    message_id: str
    status: str


@dataclass(frozen=True, slots=True)
class BulkError:
    """One message of a bulk request that was not queued.

    `index` is its position in the request the caller passed (the client maps it back
    when it kept oversized records out of the request), `to` the number as the server
    echoed it (None if absent), `code` the machine code (v1 answers carry no code, so the
    client uses "rejected" with the server's text), `text` the server's own words.
    """

    index: int
    to: str | None
    code: str
    text: str

    @property
    def explanation(self) -> str:
        """Plain words for the operator; the server's text for an unknown code."""
        return explain(self.code, self.text)

    @property
    def already_sent(self) -> bool:
        """True for `duplicate_message`: the message went out earlier."""
        return means_already_sent(self.code)


@dataclass(frozen=True, slots=True)
class BulkResult:
    """The answer to a bulk request: how many were queued and which ones were not."""

    queued_count: int
    error_count: int
    errors: tuple[BulkError, ...]
    deprecated: bool = False
