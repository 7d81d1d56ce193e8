"""A campaign's ready rows as the journal stores them, built a chunk of columns at a time.

Recording a million-row campaign must take seconds, so the rows are not built one Python
object at a time: each chunk of ready rows becomes parallel columns (row, phone, body,
name, contact JSON), the strings of a column are JSON-escaped by the C encoder in one
pass, the mapping is looked up once per chunk, and each message's payload is one string
join. The bytes are exactly those `campaign.message_payload` and `encode_contact_data`
produce (a test compares them row by row), so the client's size checks measure what is
sent and a row fixed later by the operator is encoded the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice, repeat
from json.encoder import encode_basestring as _escape
from typing import TYPE_CHECKING, Any

from trackly_desktop.core.campaign.spec import (
    E164_RE,
    RecipientRecord,
    SendOptions,
    clean_contact_data,
    encode_contact_data,
)
from trackly_desktop.core.errors import CampaignError

if TYPE_CHECKING:
    from trackly_desktop.core.campaign.spec import RecipientsLike
    from trackly_desktop.core.recipients.build import ContactSources

CHUNK_ROWS = 20_000  # rows built and inserted at a time: bounded memory, few round trips


@dataclass(frozen=True, slots=True)
class ReadyColumns:
    """One chunk of ready rows, column by column; `contacts[i]` is compact JSON ("{}" when
    the row has no contact data worth sending)."""

    rows: list[int]
    phones: list[str]
    bodies: list[str]
    names: list[str]
    contacts: list[str]
    # Index of each row's quiet group in the campaign's list (None: no quiet hours).
    groups: list[int] | None = None


class ReadyRows:
    """The ready rows of a campaign, as chunks of columns (see `from_recipients`)."""

    def __init__(self, chunks: Iterable[ReadyColumns]) -> None:
        self._chunks = chunks

    def __iter__(self) -> Iterator[ReadyColumns]:
        return iter(self._chunks)

    @classmethod
    def from_records(cls, records: Iterable[RecipientRecord]) -> ReadyRows:
        return cls(_record_chunks(iter(records)))

    @classmethod
    def from_recipients(
        cls, recipients: RecipientsLike, groups: Sequence[int] | None = None
    ) -> ReadyRows:
        """The ready rows of `Recipients`, each number checked as E.164 once more;
        `groups[i]` is row i's quiet group (see core.audience.local_times), if any."""
        return cls(_recipient_chunks(recipients, groups))


def insert_rows(
    campaign_id: int,
    chunk: ReadyColumns,
    list_number: str,
    options: SendOptions,
    group_ids: Sequence[int] | None = None,
) -> Iterator[tuple[Any, ...]]:
    """The `recipient_rows` values (campaign_id, row, phone, body, name, contact_data,
    payload, quiet_group) of one chunk; `group_ids` maps a group index to its journal id."""
    payloads = payload_column(campaign_id, chunk, list_number, options)
    if chunk.groups is None or group_ids is None:
        quiet: Iterable[int | None] = repeat(None)
    else:
        quiet = [group_ids[g] for g in chunk.groups]
    return zip(
        repeat(campaign_id),
        chunk.rows,
        chunk.phones,
        chunk.bodies,
        chunk.names,
        chunk.contacts,
        payloads,
        quiet,
        strict=False,
    )


def payload_column(
    campaign_id: int, chunk: ReadyColumns, list_number: str, options: SendOptions
) -> list[str]:
    """Each row's message JSON, the same text as `campaign.message_payload`."""
    middle = ',"list_number":' + _escape(list_number) + ',"body":'
    meta = ',"metadata":{"campaign_id":' + str(int(campaign_id)) + ',"row":'
    if options.uses_raw:
        extras: Iterable[str] = repeat("")
    else:
        wrap = ',"wrap_links":true' if options.wrap_links else ""
        extras = [(',"contact_data":' + c if c != "{}" else "") + wrap for c in chunk.contacts]
    return [
        f'{{"to":{to}{middle}{body}{extra}{meta}{row}}}}}'  # one f-string: no intermediates
        for to, body, extra, row in zip(
            map(_escape, chunk.phones),
            map(_escape, chunk.bodies),
            extras,
            chunk.rows,
            strict=False,
        )
    ]


def contact_json_column(sources: ContactSources, indices: Sequence[int]) -> list[str]:
    """Compact JSON of each row's contact data without its empty values: the text of
    `encode_contact_data(clean_contact_data(recipients.contact_data(i)))`, column-wise."""
    n = len(indices)

    def fragments(key: str, values: list[str] | None, strip: bool = False) -> list[str]:
        if values is None:
            return [""] * n
        prefix = _escape(key) + ":"
        picked = [values[i] for i in indices]
        if strip:
            picked = [v.strip() for v in picked]
        return [prefix + _escape(v) if v else "" for v in picked]

    custom = [fragments(header, values) for header, values in sources.custom]
    if custom:
        inner = [",".join(filter(None, parts)) for parts in zip(*custom, strict=True)]
        custom_part = ['"custom_fields":{' + s + "}" if s else "" for s in inner]
    else:
        custom_part = [""] * n
    return [
        "{" + ",".join(filter(None, parts)) + "}"
        for parts in zip(
            fragments("first_name", sources.first_name),
            fragments("last_name", sources.last_name),
            custom_part,
            fragments("timezone", sources.timezone, strip=True),
            strict=True,
        )
    ]


def _record_chunks(records: Iterator[RecipientRecord]) -> Iterator[ReadyColumns]:
    while chunk := list(islice(records, CHUNK_ROWS)):
        yield ReadyColumns(
            rows=[int(r.row) for r in chunk],
            phones=[r.phone for r in chunk],
            bodies=[r.body for r in chunk],
            names=[r.name for r in chunk],
            contacts=[encode_contact_data(r.contact_data) for r in chunk],
        )


def _recipient_chunks(
    recipients: RecipientsLike, groups: Sequence[int] | None = None
) -> Iterator[ReadyColumns]:
    ready = [int(i) for i in recipients.ready_indices()]
    sources = getattr(recipients, "contact_sources", None)
    names_of = getattr(recipients, "display_names", None)
    for start in range(0, len(ready), CHUNK_ROWS):
        indices = ready[start : start + CHUNK_ROWS]
        row_numbers = [int(recipients.row_numbers[i]) for i in indices]
        phones = [str(recipients.phone[i]) for i in indices]
        for phone, row in zip(phones, row_numbers, strict=True):
            if not E164_RE.match(phone):
                # A ready row must already hold a checked number; never send a guess.
                raise CampaignError(
                    f"Row {row} is marked ready but its number is not in international "
                    "format; check the numbers again."
                )
        if sources is not None and names_of is not None:
            contacts = contact_json_column(sources(), indices)
            names = [str(n or "") for n in names_of(indices)]
        else:  # any other RecipientsLike: row by row, through its public methods
            contacts = [
                encode_contact_data(clean_contact_data(recipients.contact_data(i) or {}))
                for i in indices
            ]
            names = [str(recipients.display_name(i) or "") for i in indices]
        yield ReadyColumns(
            rows=row_numbers,
            phones=phones,
            bodies=[str(recipients.body[i]) for i in indices],
            names=names,
            contacts=contacts,
            groups=None if groups is None else [groups[i] for i in indices],
        )
