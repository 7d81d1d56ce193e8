"""The sandbox's 4,000-byte record check: its cheap bound for messages with contact_data
never lets an oversized record through, and agrees with the exact size everywhere."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from trackly_desktop.sandbox import message_checks as mc
from trackly_desktop.sandbox.demo_data import DEMO_LIST_NUMBER

LIST = DEMO_LIST_NUMBER
# Escapes (quotes, backslashes, control characters), 2-, 3- and 4-byte UTF-8; long runs
# of one character so that records land on both sides of the limit.
CHARS = st.sampled_from('a"\\\n\x01é€😀 {}')
TEXT = st.builds(
    lambda char, count, tail: char * count + tail,
    CHARS,
    st.integers(0, 1400),
    st.text(alphabet=CHARS, max_size=20),
)


def exact_too_large(message: dict) -> bool:
    text = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
    return len(text.encode("utf-8", "surrogatepass")) > mc.MAX_RECORD_BYTES


@settings(max_examples=300, deadline=None)
@given(
    body=TEXT,
    first=TEXT,
    custom=st.dictionaries(st.text(max_size=20), TEXT, max_size=3),
    wrap=st.booleans(),
    row=st.integers(0, 10**12),
)
def test_bound_with_contact_data_matches_the_exact_size(body, first, custom, wrap, row):
    message = {"to": "+141555501234567", "list_number": LIST, "body": body}
    message["contact_data"] = {"first_name": first, "custom_fields": custom}
    if wrap:
        message["wrap_links"] = True
    message["metadata"] = {"campaign_id": 12, "row": row}
    assert mc.record_too_large(message, body) == exact_too_large(message)


def test_a_message_pushed_over_the_limit_by_its_contact_data_is_refused(raw):
    contact = {"first_name": "Zoë", "custom_fields": {"Note": "€" * 1300}}  # 3,900 bytes
    messages = [
        {"to": "+14155550101", "body": "Hi {{first_name}}", "contact_data": contact},
        {"to": "+14155550102", "body": "Hi", "contact_data": {"first_name": "Al"}},
    ]
    answer = raw.post("/v2/send/bulk", json={"list_number": LIST, "messages": messages})
    data = answer.json()
    assert (data["queued_count"], data["error_count"]) == (1, 1)
    assert data["errors"][0]["index"] == 0 and data["errors"][0]["code"] == "payload_too_large"
