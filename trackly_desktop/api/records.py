"""How a request body is encoded and measured against Trackly's size limits.

The client encodes each record exactly once, checks it against the 4,000-byte per-record
limit, and assembles the request from the encoded records, so what is measured is what
is sent. The send engine uses `record_size` to split batches by size as well as count.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from trackly_desktop.api.results import BulkError
from trackly_desktop.contract import MAX_RECORD_BYTES

# Bytes a request adds around its records: '{"list_number":"+...","messages":[' ... ']}'
# plus one comma per record; a generous figure keeps size-based splitting simple.
REQUEST_OVERHEAD_BYTES = 256

# Compact separators and raw UTF-8: the smallest faithful encoding, the one we send.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _refuse(value: object) -> None:
    raise TypeError(f"a value of type {type(value).__name__} cannot be sent")


def _c_record_encoder() -> Callable[[Any], str] | None:
    """The C encoder built once, with the settings above (JSONEncoder.encode builds one
    per call, which is half the cost of encoding a small record). None if this Python's
    json module has no usable one; results are checked against the reference first."""
    try:
        from json.encoder import c_make_encoder, encode_basestring  # noqa: PLC0415

        if c_make_encoder is None:
            return None
        make = c_make_encoder(None, _refuse, encode_basestring, None, ":", ",", False, False, False)
        sample = {"to": "+1", "body": 'Café "x"\n', "m": {"n": 1.5, "b": True, "z": None}}
        if "".join(make(sample, 0)) != _ENCODER.encode(sample):
            return None
    except Exception:  # any surprise in a private API: use the public path
        return None
    return lambda value: "".join(make(value, 0))


_FAST_ENCODE = _c_record_encoder()


class UnencodableRecord(ValueError):  # noqa: N818 - reads as "raise UnencodableRecord"
    """A record holding a value JSON cannot carry (NaN, a date object, ...)."""


def encode_json(value: Any) -> bytes:
    """The exact bytes the client sends for `value` (compact JSON, UTF-8)."""
    try:
        return _ENCODER.encode(value).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise UnencodableRecord(str(exc)) from None


def encode_text(value: Any) -> str:
    """`value` as the compact JSON text `encode_json` sends (before UTF-8): the C encoder
    built once, where this Python has it. Raises TypeError/ValueError like json.dumps."""
    if _FAST_ENCODE is None:
        return _ENCODER.encode(value)
    return _FAST_ENCODE(value)


def encode_record(message: Mapping[str, Any]) -> bytes:
    """One message of a bulk request, encoded as it goes on the wire."""
    if not isinstance(message, dict):
        message = dict(message)
    if _FAST_ENCODE is None:
        return encode_json(message)
    try:
        return _FAST_ENCODE(message).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise UnencodableRecord(str(exc)) from None


def record_size(message: Mapping[str, Any]) -> int:
    """Bytes this message takes in a request; over MAX_RECORD_BYTES Trackly refuses it."""
    return len(encode_record(message))


def _head(top: Mapping[str, Any] | None) -> bytes:
    head = b"{"
    for key, value in (top or {}).items():
        head += encode_json(key) + b":" + encode_json(value) + b","
    return head + b'"messages":['


@dataclass(frozen=True, slots=True)
class EncodedBatch:
    """A bulk request body ready to send, and what was kept out of it.

    `kept[i]` is the caller's index of the i-th record in `body`; `refused` holds the
    records that were not sent (over 4,000 bytes, or not encodable) as BulkErrors at the
    caller's index.
    """

    body: bytes
    kept: list[int]
    refused: list[BulkError]


def encode_batch(
    messages: Sequence[Mapping[str, Any]], top: Mapping[str, Any] | None, to_field: str = "to"
) -> EncodedBatch:
    """Encode a bulk request once, keeping records over the per-record limit out of it.

    Fast path: each record encoded to text by the C encoder, and the whole body encoded
    to UTF-8 in one go; a record is measured in bytes only when its text is long enough
    to possibly exceed the limit (a character is at most four UTF-8 bytes).
    """
    if _FAST_ENCODE is not None:
        try:
            texts = [_FAST_ENCODE(m if isinstance(m, dict) else dict(m)) for m in messages]
            suspect = MAX_RECORD_BYTES // 4
            if all(len(t) <= suspect or len(t.encode()) <= MAX_RECORD_BYTES for t in texts):
                body = _head(top) + ",".join(texts).encode("utf-8") + b"]}"
                return EncodedBatch(body, list(range(len(texts))), [])
        except (TypeError, ValueError):
            pass  # some record is bad: the careful path below says which
    records: list[bytes] = []
    kept: list[int] = []
    refused: list[BulkError] = []
    for index, message in enumerate(messages):
        to = message.get(to_field)
        to_text = to if isinstance(to, str) else None
        try:
            record = encode_record(message)
        except UnencodableRecord as exc:
            refused.append(BulkError(index, to_text, "unencodable_record", str(exc)))
            continue
        if len(record) > MAX_RECORD_BYTES:
            text = f"Record is {len(record)} bytes; the limit is {MAX_RECORD_BYTES}"
            refused.append(BulkError(index, to_text, "payload_too_large", text))
            continue
        records.append(record)
        kept.append(index)
    return EncodedBatch(assemble_bulk(records, top), kept, refused)


def encode_batch_texts(
    texts: Sequence[str], top: Mapping[str, Any] | None, to_field: str = "to"
) -> EncodedBatch:
    """A bulk request from records that are already JSON text (as the journal stores them).

    Each text must be one compact JSON object, encoded the way `encode_record` would (the
    caller vouches for that; nothing is parsed on the fast path). The limits are checked
    exactly as for dicts: a record over MAX_RECORD_BYTES in UTF-8 is kept out and reported
    as `payload_too_large` at its own index; the body is the same bytes `encode_batch`
    makes for the parsed records.
    """
    suspect = MAX_RECORD_BYTES // 4
    try:
        if all(len(t) <= suspect or len(t.encode()) <= MAX_RECORD_BYTES for t in texts):
            body = _head(top) + ",".join(texts).encode("utf-8") + b"]}"
            return EncodedBatch(body, list(range(len(texts))), [])
    except UnicodeEncodeError:
        pass  # a lone surrogate somewhere: the careful path below says which record
    records: list[bytes] = []
    kept: list[int] = []
    refused: list[BulkError] = []
    for index, text in enumerate(texts):
        try:
            record = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            refused.append(BulkError(index, _to_of(text, to_field), "unencodable_record", str(exc)))
            continue
        if len(record) > MAX_RECORD_BYTES:
            size = f"Record is {len(record)} bytes; the limit is {MAX_RECORD_BYTES}"
            refused.append(BulkError(index, _to_of(text, to_field), "payload_too_large", size))
            continue
        records.append(record)
        kept.append(index)
    return EncodedBatch(assemble_bulk(records, top), kept, refused)


def _to_of(text: str, to_field: str) -> str | None:
    # Only for a refused record (rare): its number, for the failures table.
    try:
        to = json.loads(text).get(to_field)
    except (ValueError, AttributeError):
        return None
    return to if isinstance(to, str) else None


def assemble_bulk(records: list[bytes], top: Mapping[str, Any] | None = None) -> bytes:
    """A bulk request body from already-encoded records (no second encoding pass).

    `top` holds the top-level fields besides `messages` (`list_number`, v1's
    `from_phone_number_id`).
    """
    return _head(top) + b",".join(records) + b"]}"
