"""`trackly check --json`: the report as one JSON object, written column by column.

`report` is the object (file, sheet, mapping, header_row, encoding, country,
country_source, summary, rows), built whole; `write_json` streams the same object with the
check's time, cost, quiet hours and plain characters added. The rows are the bulk of it (a
big list has hundreds of thousands), so nothing is done per row that can be done per
column or per group of rows: each row's dict is one literal filled from the columns side
by side (`report_columns`, in the order of `JSON_ROW_KEYS`), the quiet-hours fields come
from one lookup per group of rows, and orjson turns a chunk of rows into the output's
UTF-8 bytes, written as they are.
"""

from __future__ import annotations

import codecs
import json
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

import orjson

from trackly_desktop.commands.check_quiet_hours import QuietHoursCheck, iso_text
from trackly_desktop.commands.plain_characters import PlainOffer
from trackly_desktop.core.collector import collector_paused

# Rows a chunk: small enough that a chunk's dicts and bytes stay in the CPU's cache and
# the allocator reuses the same memory (200,000 rows: 0.25 s with 8,192 a chunk, 0.20 s
# with 256; tests/benchmarks/bench_phones.py --parts json).
_JSON_CHUNK = 256


def write_json(
    recipients: Any,
    out: TextIO,
    cost: dict[str, str] | None = None,
    quiet: QuietHoursCheck | None = None,
    plain: PlainOffer | None = None,
) -> None:
    """One JSON object, written a chunk of rows at a time so a million rows need no
    million-row string."""
    head_object = report_head(recipients)
    if quiet is not None:
        head_object = {"checked_at": iso_text(quiet.now), **head_object}
    if cost is not None:
        head_object["cost"] = {"amount": cost["amount"], "currency": cost["currency"]}
    if plain is not None:
        head_object["plain_characters"] = plain.as_json()
        if plain.made_plain:
            head_object["made_plain"] = list(plain.made_plain)
    head = json.dumps(head_object, ensure_ascii=False)
    output = _Output(out)
    output.text(head[:-1] + ', "rows": [')
    base = report_columns(recipients)
    extra: list[tuple[str, Sequence[Any]]] = []
    if recipients.consent_value is not None:  # the cell as written, so a "no" can be checked
        extra.append(("consent", recipients.consent_value))
    never: list[int] = []
    if quiet is not None:
        zones, opens, never = quiet.columns()
        extra += [("time_zone", zones), ("window_opens", opens)]
    with collector_paused():  # dicts by the thousand, and no reference cycle among them
        for start in range(0, len(recipients), _JSON_CHUNK):
            stop = min(start + _JSON_CHUNK, len(recipients))
            rows = _rows(*(column[start:stop] for column in base))
            for key, column in extra:
                for row, value in zip(rows, column[start:stop], strict=True):
                    row[key] = value
            for i in never[bisect_left(never, start) : bisect_left(never, stop)]:
                rows[i - start]["window_never_opens"] = True
            output.rows(rows, first=start == 0)
    output.text("]}\n")


def _rows(*columns: list[Any]) -> list[dict[str, Any]]:
    """`report_rows` for a chunk, one dict literal a row (not a `zip` with the keys each):
    the keys of `JSON_ROW_KEYS`, in order (the tests hold the two equal)."""
    return [
        {
            "row": row,
            "input_phone": input_phone,
            "phone_column": phone_column,
            "phone": phone,
            "status": status,
            "reason": reason,
            "warning": warning,
            "body": body,
            "encoding": encoding,
            "segments": segments,
        }
        for (
            row,
            input_phone,
            phone_column,
            phone,
            status,
            reason,
            warning,
            body,
            encoding,
            segments,
        ) in zip(*columns, strict=True)
    ]


class _Output:
    """The report's text, and its rows' UTF-8 bytes straight to the stream's buffer when
    the stream writes UTF-8 (no decoding and encoding again of tens of megabytes)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        buffer = getattr(out, "buffer", None)
        encoding = getattr(out, "encoding", None)
        utf8 = encoding is not None and codecs.lookup(encoding).name == "utf-8"
        self.buffer = buffer if utf8 else None

    def text(self, text: str) -> None:
        self.out.write(text)

    def rows(self, rows: list[dict[str, Any]], *, first: bool) -> None:
        items = json_rows(rows)
        if isinstance(items, str):
            self.out.write(items if first else "," + items)
        elif self.buffer is None:
            self.out.write(items.decode("utf-8") if first else "," + items.decode("utf-8"))
        else:
            self.out.flush()  # the text written so far goes first
            self.buffer.write(items if first else b"," + items)


def json_rows(rows: list[dict[str, Any]]) -> bytes | str:
    """The rows as JSON array items (without the brackets): orjson's UTF-8, ~10x the
    stdlib's speed; the stdlib's text for what orjson refuses (a lone surrogate read from
    a damaged file)."""
    try:
        return orjson.dumps(rows)[1:-1]
    except orjson.JSONEncodeError:
        return json.dumps(rows, ensure_ascii=False)[1:-1]


JSON_ROW_KEYS = (
    "row",
    "input_phone",
    "phone_column",
    "phone",
    "status",
    "reason",
    "warning",
    "body",
    "encoding",
    "segments",
)


def report(recipients: Any) -> dict[str, Any]:
    """The object `trackly check --json` prints, without what the check adds at its time
    (checked_at, cost, quiet hours, plain characters); "body" is null with no template."""
    return {**report_head(recipients), "rows": list(report_rows(recipients))}


def report_head(recipients: Any) -> dict[str, Any]:
    """`report` without its rows: file, sheet, mapping and summary."""
    table, summary = recipients.table, recipients.summary()
    return {
        "file": str(table.source),
        "sheet": table.sheet,
        "mapping": _mapping(recipients),
        "header_row": table.header_row,
        "encoding": table.encoding.label if table.encoding is not None else None,
        "country": recipients.reading.country,
        "country_source": recipients.reading.source,
        "summary": {
            "rows": summary.rows,
            "ready": summary.ready,
            "invalid": summary.invalid,
            "duplicate": summary.duplicate,
            "excluded": summary.excluded,
            "segments": summary.segments,
        },
    }


def _mapping(recipients: Any) -> dict[str, Any]:
    mapping = recipients.mapping
    mapped: dict[str, Any] = {k: v for k, v in mapping.as_dict().items() if v}
    mapped["phone"] = list(mapping.phone_columns)
    column = recipients.consent_column
    if column is not None:
        mapped["consent_polarity"] = column.polarity
        mapped["consent_meaning"] = mapping.consent_words()
        mapped["include_unrecorded_consent"] = recipients.include_unrecorded
    return mapped


def report_rows(recipients: Any) -> Iterator[dict[str, Any]]:
    """The rows of `report`, one at a time (a million never sit in memory at once)."""
    consent = recipients.consent_value  # the cell as written, so a "no" can be checked
    for i, values in enumerate(zip(*report_columns(recipients), strict=True)):
        found = dict(zip(JSON_ROW_KEYS, values, strict=True))
        if consent is not None:
            found["consent"] = consent[i]
        yield found


def report_columns(recipients: Any) -> list[list[Any]]:
    """The columns of each row's first keys, in the order of `JSON_ROW_KEYS`."""
    n = len(recipients)
    choice = recipients.choice
    if choice is None:
        phone_column: list[str | None] = [recipients.mapping.phone] * n
    elif not choice.column.any():  # every row's number (or problem) from the first column
        phone_column = [choice.headers[0]] * n
    else:  # the column each number came from; NO_COLUMN (-1) is the None at the end
        headers: list[str | None] = [*choice.headers, None]
        phone_column = [headers[k] for k in choice.column.tolist()]
    with_bodies = bool(recipients.template.text.strip())
    return [
        recipients.row_numbers.tolist(),
        recipients.input_phone,
        phone_column,
        recipients.phone,
        recipients.status,
        recipients.reason,
        recipients.warning,
        recipients.body if with_bodies else [None] * n,
        recipients.encoding,
        recipients.segments.tolist(),
    ]
