"""The sandbox's fast paths with orjson: parsing a request gives exactly what json.loads
gives (or falls back to it), and the orjson size proof never passes an oversized record."""

from __future__ import annotations

import json
import math

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from trackly_desktop.sandbox import message_checks as mc
from trackly_desktop.sandbox.demo_data import DEMO_LIST_NUMBER

LIST = DEMO_LIST_NUMBER
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)  # past 64 bits, where orjson refuses
    | st.floats()  # NaN and infinities included
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=30)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=30,
)


def same(a: object, b: object) -> bool:
    """Equal, counting NaN as equal to NaN and telling float from int."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_parsing_gives_what_json_loads_gives(value):
    text = json.dumps({"messages": [value]}, ensure_ascii=False)
    for raw in (text.encode("utf-8"), text.encode("utf-16")):
        assert same(mc.parse_request(raw), json.loads(raw))


def test_what_json_loads_refuses_is_not_json():
    for raw in (b"", b"{", b'{"a":1}x', b'{"a":"\x01"}', b"\xff\xfe\x00", b"{'a':1}"):
        assert mc.parse_request(raw) is None


def test_edge_cases_read_as_json_loads_reads_them():
    for raw in (b"\xef\xbb\xbf{}", b"[18446744073709551616]", b"[-9223372036854775809]",
                b'{"a":1,"a":2}', b"[1e400]", b"[-0]", b'["\\ud83d\\ude00"]'):  # fmt: skip
        assert same(mc.parse_request(raw), json.loads(raw)), raw


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_orjson_size_proof_bounds_the_exact_size(value):
    exact = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
    try:
        fast = len(orjson.dumps(value))
    except orjson.JSONEncodeError:
        return  # the backend then measures exactly
    assert exact <= 8 * fast
    if fast <= mc.PROVEN_SMALL_BYTES:
        assert exact <= mc.MAX_RECORD_BYTES


def test_requests_orjson_refuses_are_still_answered_as_before(raw):
    # NaN metadata and a 70-bit row number: valid for json.loads, refused by orjson.
    body = (
        '{"list_number":"LIST","messages":[{"to":"+14155550111","body":"Hi",'
        '"metadata":{"score":NaN,"row":1180591620717411303424}}]}'
    )
    answer = raw.post("/v2/send/bulk", content=body.replace("LIST", LIST).encode())
    assert answer.status_code == 200 and answer.json()["queued_count"] == 1
    utf16 = json.dumps({"list_number": LIST, "messages": [{"to": "+14155550112", "body": "é"}]})
    answer = raw.post("/v2/send/bulk", content=utf16.encode("utf-16"))
    assert answer.status_code == 200 and answer.json()["queued_count"] == 1
    answer = raw.post("/v2/send/bulk", content=b"{'messages': []}")
    assert answer.status_code == 400 and answer.json()["code"] == "invalid_json"


def test_a_record_orjson_cannot_encode_is_measured_as_before(raw):
    # A lone surrogate: orjson can neither read nor encode it; the stdlib reads it and the
    # older bound proves the record small, so it is queued as it always was.
    body = '{"list_number":"LIST","messages":[{"to":"+14155550113","body":"\\ud800"}]}'
    answer = raw.post("/v2/send/bulk", content=body.replace("LIST", LIST).encode())
    data = answer.json()
    assert (data["queued_count"], data["error_count"]) == (1, 0)
