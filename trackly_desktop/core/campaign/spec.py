"""A campaign: what the operator chose to send (file, mapping, template, list number, options).

`core.journal.record.create_campaign` stores the ready recipients in the journal, each
with the exact JSON object that goes into a bulk request, encoded once so the send engine
only joins strings. The API key is not part of a campaign.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from trackly_desktop.api.records import encode_text
from trackly_desktop.core.errors import CampaignError

E164_RE = re.compile(r"^\+[1-9]\d{7,14}$")


@dataclass(frozen=True)
class SendOptions:
    wrap_links: bool = False
    skip_duplicate_check: bool = False
    skip_rate_limit: bool = False
    skip_contact_validation: bool = False
    skip_journey_check: bool = False
    # Send at any hour, whatever each person's local time (urgent, non-marketing messages);
    # the operator confirmed a plain warning, and the campaign keeps the choice.
    ignore_quiet_hours: bool = False

    @property
    def uses_raw(self) -> bool:
        """Any skip flag needs `/v2/send-raw/bulk`; otherwise `/v2/send/bulk` is used."""
        return (
            self.skip_duplicate_check
            or self.skip_rate_limit
            or self.skip_contact_validation
            or self.skip_journey_check
        )

    def check_compatible(self) -> None:
        """Refuse a choice the API cannot honour, rather than drop part of it silently.

        `/v2/send-raw/bulk` (needed by any skip flag) has no `wrap_links`: links would go
        out unshortened and untracked although the operator asked for tracking.
        """
        if self.wrap_links and self.uses_raw:
            raise CampaignError(
                "Shortening and tracking links cannot be combined with the advanced "
                "switches (skipping Trackly's checks): turn one of them off."
            )

    def skip_flags(self) -> dict[str, bool]:
        return {
            "skip_duplicate_check": self.skip_duplicate_check,
            "skip_rate_limit": self.skip_rate_limit,
            "skip_contact_validation": self.skip_contact_validation,
            "skip_journey_check": self.skip_journey_check,
        }

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SendOptions:
        data = json.loads(text or "{}")
        known = {k: bool(v) for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(frozen=True)
class CampaignSpec:
    source_file: str | Path
    sheet: str | None
    mapping: dict[str, str]
    template: str
    list_number: str
    country: str
    options: SendOptions = field(default_factory=SendOptions)


class RecipientsLike(Protocol):
    """What `create_campaign` reads from `core.recipients.Recipients`."""

    row_numbers: Any
    phone: Any
    body: Any

    def ready_indices(self) -> Any: ...

    def contact_data(self, i: int) -> Mapping[str, Any]: ...

    def display_name(self, i: int) -> str: ...


@dataclass(frozen=True)
class RecipientRecord:
    """One ready row as the journal stores it."""

    row: int
    phone: str
    body: str
    name: str
    contact_data: dict[str, Any]


def check_list_number(list_number: str) -> str:
    number = (list_number or "").strip()
    if not E164_RE.match(number):
        raise CampaignError(
            "The sending number must be in international format, such as +18005551000."
        )
    return number


def clean_contact_data(data: Mapping[str, Any]) -> dict[str, Any]:
    # Empty values tell the server nothing and only make every request bigger.
    # Called once per row of a million-row campaign: plain dicts take the fast path.
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None or value == "":
            continue
        if type(value) is dict or isinstance(value, Mapping):
            inner = {str(k): v for k, v in value.items() if v is not None and v != ""}
            if inner:
                out[str(key)] = inner
            continue
        out[str(key)] = value
    return out


# Compact, raw UTF-8: the encoding the API client sends (api.records), so sizes match.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_encode_str = json.encoder.encode_basestring  # type: ignore[attr-defined]


def encode_contact_data(contact_data: Mapping[str, Any]) -> str:
    if type(contact_data) is dict:
        try:
            return encode_text(contact_data)  # the encoder built once: 2x faster per row
        except (TypeError, ValueError):
            pass  # NaN and odd types: exactly what json.dumps makes of them
    return _encode(contact_data)


def message_payload(
    campaign_id: int,
    record: RecipientRecord,
    list_number: str,
    options: SendOptions,
    contact_json: str | None = None,
) -> str:
    """The JSON object for one message of a bulk request, without the raw skip flags.

    The raw endpoint takes only `to`, `list_number`, `body`, the skip flags and `metadata`;
    the engine appends the flags itself so a re-sent row can carry
    `skip_duplicate_check: false` (see send_engine). Built by joining encoded parts (a
    million-row campaign is recorded several times faster than with one dumps per row);
    `contact_json` is the already-encoded contact data when the caller has it.
    """
    parts = [
        '{"to":',
        _encode_str(record.phone),
        ',"list_number":',
        _encode_str(list_number),
        ',"body":',
        _encode_str(record.body),
    ]
    if not options.uses_raw:
        if record.contact_data:
            parts += (',"contact_data":', contact_json or _encode(record.contact_data))
        if options.wrap_links:
            parts.append(',"wrap_links":true')
    parts += (
        ',"metadata":{"campaign_id":',
        str(int(campaign_id)),
        ',"row":',
        str(int(record.row)),
        "}}",
    )
    return "".join(parts)


def iter_ready_records(recipients: RecipientsLike) -> Iterator[RecipientRecord]:
    for index in recipients.ready_indices():
        i = int(index)
        phone = str(recipients.phone[i])
        body = str(recipients.body[i])
        if not E164_RE.match(phone):
            # A ready row must already hold a checked number; never send a guess.
            raise CampaignError(
                f"Row {int(recipients.row_numbers[i])} is marked ready but its number "
                "is not in international format; check the numbers again."
            )
        yield RecipientRecord(
            row=int(recipients.row_numbers[i]),
            phone=phone,
            body=body,
            name=str(recipients.display_name(i) or ""),
            contact_data=clean_contact_data(recipients.contact_data(i) or {}),
        )
