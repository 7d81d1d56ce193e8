"""Per-message rules of the Trackly API as the sandbox enforces them, and the texts it answers.

Kept free of HTTP so the backend's hot loop is a few dict look-ups and precompiled regexes
per message (the sandbox must accept over 100,000 messages a second).
"""

from __future__ import annotations

import json
import random
import re
from typing import Any

import orjson

from trackly_desktop.contract import (  # noqa: F401 - the sandbox's limits
    MAX_BATCH_MESSAGES,
    MAX_BODY_CHARS,
    MAX_RECORD_BYTES,
    MAX_REQUEST_BYTES,
)

E164 = re.compile(r"\+[1-9]\d{7,14}")
# A URL ends before whitespace or quotes, and never on sentence punctuation.
URL = re.compile(r"https?://[^\s<>\"']*[^\s<>\"'.,;:!?)\]]")
MACRO = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
MESSAGE_ID_MACRO = "{{messageId}}"

# A per-message code outside the contract on purpose (the demo's carrier trouble): the
# provider may answer codes it never documented, and the app must show them in its words.
UNDOCUMENTED_CODE = "carrier_unavailable"
# The server's own words for each code (what a real server puts in "error").
TEXTS: dict[str, str] = {
    "missing_api_key": "No API key in request headers",
    "invalid_api_key": "API key is invalid or revoked",
    "account_inactive": "Account is not active",
    "missing_messages": "The messages array is required but was not provided.",
    "too_many_messages": "The messages array exceeds the 1,000 message limit.",
    "missing_from": "Sending number ID (from_phone_number_id) not provided",
    "request_too_large": "Request payload exceeds the 5 MB limit",
    "invalid_json": "Request body is not a JSON object",
    "not_found": "No such endpoint",
    "method_not_allowed": "Method not allowed",
    "missing_to": "The to field is required but was not provided.",
    "missing_list_number": "The list_number field is required but was not provided.",
    "missing_body": "The body field is required but was not provided.",
    "invalid_phone": "Invalid recipient phone number format",
    "invalid_list_number": "The list_number field is not a valid E.164 phone number.",
    "list_not_found": "The sending list was not found or does not belong to your account.",
    "webhook_not_configured": "Webhook verification required before sending (BYOC lists).",
    "not_sendable": "VOIP numbers not allowed",
    "payload_too_large": "Individual contact payload exceeds 4,000 bytes",
    "body_too_long": "Message body exceeds 1,600 characters",
    "duplicate_message": "Duplicate message: same body sent to this recipient recently",
    "opted_out": "Recipient has unsubscribed or is blocked",
    UNDOCUMENTED_CODE: "The recipient's carrier is temporarily unavailable; try again later",
    "invalid_message": "Each message must be a JSON object",
    "internal_error": "Internal server error",
    "service_unavailable": "Service temporarily unavailable",
}
# v1 reports per-message errors without a code, in its own words.
V1_TEXTS: dict[str, str] = {
    "missing_to": "Missing phone number (to_msisdn)",
    "missing_body": "Missing message body",
    "invalid_phone": "Invalid phone number format",
    "body_too_long": "Message body exceeds 1,600 characters",
}

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_PAIRS = [a + b for a in _ID_ALPHABET for b in _ID_ALPHABET]  # 1,296 two-char chunks
_PREFIX_SPACE = 36**4


# Keys whose values are already known to be short E.164 strings or the body.
PLAIN_KEYS = frozenset({"to", "body", "list_number", "metadata"})
PERSONAL_KEYS = PLAIN_KEYS | {"contact_data", "wrap_links"}


# A record whose orjson encoding is this short is proven within MAX_RECORD_BYTES: orjson
# writes every token as the stdlib's compact encoder does (same string escapes, UTF-8
# bytes, ints, literals) except floats, where a token of at least 3 bytes ("0.0", "null"
# for NaN) may be at most 24 ("-2.2250738585072014e-308", "-Infinity") in the stdlib's
# form: at most 8 times longer. About twice an app message's size; 5x cheaper than repr.
PROVEN_SMALL_BYTES = MAX_RECORD_BYTES // 8


# orjson reads an integer past 64 bits as a float where the stdlib keeps the integer: a
# body with a run of 19 digits (an integer within 64 bits has at most 18 digits, or 19
# with a "-", or 20 unsigned) is left to the stdlib. Digits are found by mapping them to
# "0" and the rest to "x" (0.4 ms for a 250 KB body; a regular expression took 5 ms).
_DIGITS_TO_ZERO = bytes(48 if 48 <= b <= 57 else 120 for b in range(256))
_LONG_DIGIT_RUN = b"0" * 19


def parse_request(raw: bytes) -> Any:
    """The request body's JSON value, or None when it is not JSON.

    orjson parses a bulk body in half the stdlib's time. What orjson reads differently
    (above) or refuses (NaN, lone surrogates, UTF-16, nesting past 1,024) goes to the
    stdlib, so what is accepted, and its value, is exactly what json.loads gives.
    """
    if raw.translate(_DIGITS_TO_ZERO).find(_LONG_DIGIT_RUN) < 0:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None


def record_too_large(message: dict[str, Any], body: str) -> bool:
    """True when the message's compact UTF-8 JSON is over 4,000 bytes.

    Called after `to` and `list_number` passed the E.164 check. Proves small records small
    without encoding them: a body character takes at most 6 bytes of JSON (a \\u escape),
    and any value's JSON takes at most four bytes per character of its repr (UTF-8 needs at
    most four bytes a character, JSON's escapes are at most twice as long as repr's).
    """
    if message.keys() <= PLAIN_KEYS:
        metadata = message.get("metadata")
        # 100 bytes cover the four keys, quotes, separators and two E.164 numbers.
        bound = 100 + 6 * len(body) + (4 * len(repr(metadata)) if metadata is not None else 0)
    elif message.keys() <= PERSONAL_KEYS:
        # What the desktop app sends: contact_data beside the plain keys. 140 bytes cover
        # six keys, `true`, quotes, separators and two E.164 numbers; only the two small
        # dicts are repr'd, never the body again (a repr of the whole message cost 5 us).
        metadata = message.get("metadata")
        contact = message.get("contact_data")
        bound = (
            140
            + 6 * len(body)
            + (4 * len(repr(metadata)) if metadata is not None else 0)
            + (4 * len(repr(contact)) if contact is not None else 0)
        )
    else:
        bound = 4 * len(repr(message))
    if bound <= MAX_RECORD_BYTES:
        return False
    try:
        return len(_ENCODER.encode(message).encode("utf-8")) > MAX_RECORD_BYTES
    except (TypeError, ValueError):
        return True


def render_contact_data(body: str, contact_data: dict[str, Any]) -> str:
    """Fill {{first_name}}, {{last_name}} and custom fields; leave other macros alone."""
    values: dict[str, str] = {}
    custom = contact_data.get("custom_fields")
    if isinstance(custom, dict):
        values.update({str(k): "" if v is None else str(v) for k, v in custom.items()})
    for name in ("first_name", "last_name"):
        value = contact_data.get(name)
        if value is not None:
            values[name] = str(value)

    def fill(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))

    return MACRO.sub(fill, body)


class MessageIds:
    """Unique 8-character ids, cheap enough to mint a million a second.

    An id is a 4-character prefix per request (a seeded permutation of a request counter,
    so never repeated within 36**4 requests) and a 4-character suffix per position in the
    request (a seeded shuffle of distinct codes): two string look-ups per message.
    """

    def __init__(self, seed: int | None) -> None:
        rng = random.Random(seed)
        multiplier = rng.randrange(36**3, _PREFIX_SPACE)
        while multiplier % 2 == 0 or multiplier % 3 == 0:  # coprime with 36: a bijection
            multiplier += 1
        self._multiplier = multiplier
        self._offset = rng.randrange(_PREFIX_SPACE)
        self._requests = 0
        self.suffixes = [_PAIRS[v // 1296] + _PAIRS[v % 1296]
                         for v in rng.sample(range(_PREFIX_SPACE), MAX_BATCH_MESSAGES)]  # fmt: skip

    def prefix(self) -> str:
        """The prefix for the next request; callers hold the backend's lock."""
        value = (self._requests * self._multiplier + self._offset) % _PREFIX_SPACE
        self._requests += 1
        return _PAIRS[value // 1296] + _PAIRS[value % 1296]


class LinkWrapper:
    """Rewrites each http(s) URL to a tracked https://trk.ly/<6 chars> link."""

    def __init__(self, seed: int | None) -> None:
        self._rng = random.Random(None if seed is None else seed + 1)

    def wrap(self, body: str) -> str:
        def short(_match: re.Match[str]) -> str:
            return "https://trk.ly/" + "".join(self._rng.choices(_ID_ALPHABET, k=6))

        return URL.sub(short, body)
