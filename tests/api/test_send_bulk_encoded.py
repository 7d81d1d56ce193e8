"""The pre-encoded bulk path (`send_bulk_encoded`, `send_raw_bulk_encoded`): the same bytes
on the wire as the dict path, the same limits, the same retry and outcome rules.

Requests are captured by a transport that records each body and passes it on to a real
httpx transport, so every request still travels over loopback to the sandbox.
"""

from __future__ import annotations

import json

import httpx
import pytest

from trackly_desktop.api.client import TracklyClient
from trackly_desktop.api.errors import RequestRejected, TransientError
from trackly_desktop.api.records import encode_record
from trackly_desktop.core.campaign.spec import RecipientRecord, SendOptions, message_payload
from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER
from trackly_desktop.sandbox.server import SandboxServer

LIST = DEMO_LIST_NUMBER


class RecordingTransport(httpx.HTTPTransport):
    """A real HTTP transport that also keeps the body of every request it sends."""

    def __init__(self) -> None:
        super().__init__(retries=0)
        self.bodies: list[bytes] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(request.read())
        return super().handle_request(request)


def tricky_records() -> list[RecipientRecord]:
    names = ['Zoë "Z" O\'Brien', "Łukasz\\Wąs", "李雷", "Ana\nMaria", "Émile\t😀", "x\u2028y"]
    return [
        RecipientRecord(
            row=row,
            phone=f"+1415555{row:04d}",
            body=f'Hi {name}, 20% off at https://shop.example/{row}?a=1&b="2" 🎉',
            name=name,
            contact_data={"first_name": name, "custom_fields": {"Order": f"#{row}", "Ü": "ß"}}
            if row % 2
            else {},
        )
        for row, name in enumerate(names, start=2)
    ]


def send_both(dicts_call, texts_call) -> tuple[list[bytes], list[bytes], tuple, tuple]:
    """Run each call against its own fresh sandbox; return both request bodies, results,
    and ledgers (without the random message ids and the times)."""
    out = []
    for call in (dicts_call, texts_call):
        transport = RecordingTransport()
        with SandboxServer(seed=5) as server:
            with TracklyClient(DEMO_API_KEY, server.base_url, transport=transport) as client:
                result = call(client)
            ledger = [
                (e.to, e.list_number, e.body, e.metadata, e.endpoint)
                for e in server.ledger.entries()
            ]
        out.append((transport.bodies, result, ledger))
    (bodies_a, result_a, ledger_a), (bodies_b, result_b, ledger_b) = out
    return bodies_a, bodies_b, (result_a, ledger_a), (result_b, ledger_b)


@pytest.mark.parametrize("wrap_links", [False, True])
def test_send_bulk_encoded_sends_the_bytes_the_dict_path_sends(wrap_links):
    options = SendOptions(wrap_links=wrap_links)
    texts = [message_payload(9, r, LIST, options) for r in tricky_records()]
    dicts = [json.loads(t) for t in texts]
    a, b, answer_a, answer_b = send_both(
        lambda c: c.send_bulk(LIST, dicts), lambda c: c.send_bulk_encoded(LIST, texts)
    )
    assert len(a) == 1 and a == b
    assert answer_a == answer_b
    result, ledger = answer_b
    assert result.queued_count == len(texts) and not result.errors
    assert [entry[3] for entry in ledger] == [{"campaign_id": 9, "row": r} for r in range(2, 8)]


def test_send_raw_bulk_encoded_sends_the_bytes_the_dict_path_sends():
    options = SendOptions(skip_rate_limit=True, skip_journey_check=True)
    flags = ',"skip_duplicate_check":false,"skip_rate_limit":true,"skip_journey_check":true}'
    texts = [message_payload(4, r, LIST, options)[:-1] + flags for r in tricky_records()]
    dicts = [
        {
            "to": r.phone,
            "list_number": LIST,
            "body": r.body,
            "metadata": {"campaign_id": 4, "row": r.row},
            "skip_duplicate_check": False,
            "skip_rate_limit": True,
            "skip_journey_check": True,
        }
        for r in tricky_records()
    ]
    assert texts == [encode_record(d).decode() for d in dicts]
    a, b, answer_a, answer_b = send_both(
        lambda c: c.send_raw_bulk(dicts), lambda c: c.send_raw_bulk_encoded(texts)
    )
    assert len(a) == 1 and a == b and b[0].startswith(b'{"messages":[{"to":"+1415555')
    assert answer_a == answer_b and answer_b[0].queued_count == 6
    assert {entry[4] for entry in answer_b[1]} == {"/api/v2/send-raw/bulk"}


def test_a_record_over_4000_utf8_bytes_is_kept_out_at_its_own_index():
    # 1,400 characters but 4,200 bytes: only a byte count catches it.
    big = {"to": "+14155550003", "body": "€" * 1400}
    dicts = [
        {"to": "+14155550001", "body": "a"},
        {"to": "+14155550002", "body": "é" * 1300},  # 2,600 bytes: allowed
        big,
        {"to": "+14155550004", "body": "d"},
    ]
    texts = [encode_record(d).decode() for d in dicts]
    a, b, answer_a, answer_b = send_both(
        lambda c: c.send_bulk(LIST, dicts), lambda c: c.send_bulk_encoded(LIST, texts)
    )
    assert a == b and answer_a == answer_b
    result, ledger = answer_b
    assert (result.queued_count, result.error_count) == (3, 1)
    (error,) = result.errors
    assert (error.index, error.to, error.code) == (2, "+14155550003", "payload_too_large")
    assert [entry[0] for entry in ledger] == ["+14155550001", "+14155550002", "+14155550004"]


def test_only_oversized_records_means_no_request(sandbox):
    texts = [encode_record({"to": "+14155550001", "body": "€" * 1400}).decode()]
    transport = RecordingTransport()
    with TracklyClient(DEMO_API_KEY, sandbox.base_url, transport=transport) as client:
        result = client.send_bulk_encoded(LIST, texts)
    assert (result.queued_count, result.error_count) == (0, 1)
    assert result.errors[0].code == "payload_too_large" and transport.bodies == []


def test_more_than_1000_records_are_refused_before_sending(sandbox):
    texts = [encode_record({"to": f"+1415555{i:04d}", "body": "x"}).decode() for i in range(1001)]
    with (
        TracklyClient(DEMO_API_KEY, sandbox.base_url) as client,
        pytest.raises(RequestRejected) as caught,
    ):
        client.send_bulk_encoded(LIST, texts)
    assert caught.value.code == "too_many_messages" and len(sandbox.ledger) == 0


def test_encoded_requests_follow_the_same_retry_rules(sandbox, sleeps):
    texts = [encode_record({"to": f"+1415666{i:04d}", "body": f"n{i}"}).decode() for i in range(5)]
    with TracklyClient(
        DEMO_API_KEY, sandbox.base_url, sleep=sleeps, backoff_base=0.001, timeout=10.0
    ) as client:
        sandbox.faults.fail_next = 2  # 5xx: retried, nothing queued by the failed tries
        assert client.send_bulk_encoded(LIST, texts).queued_count == 5
        assert len(sleeps.waits) == 2
        sandbox.faults.drop_after_next = 1  # queued, answer lost: not resent by default
        more = [t.replace("n", "m") for t in texts]
        with pytest.raises(TransientError) as caught:
            client.send_bulk_encoded(LIST, more)
        assert caught.value.outcome_unknown
        # Resent under the duplicate check: "already sent", never a second copy.
        again = client.send_bulk_encoded(LIST, more, retry_unknown=True)
    assert {e.code for e in again.errors} == {"duplicate_message"}
    assert len(sandbox.ledger) == 10 and not sandbox.ledger.repeated()
