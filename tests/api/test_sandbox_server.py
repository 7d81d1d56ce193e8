"""The sandbox server itself: life cycle and threads, ledger, macros, control endpoints."""

from __future__ import annotations

import gc
import re
import socket
import sys
import threading
import time

import httpx
import phonenumbers
import pytest

from trackly_desktop.api.client import TracklyClient
from trackly_desktop.api.errors import TransientError
from trackly_desktop.sandbox import demo_data as demo
from trackly_desktop.sandbox.faults import FaultConfig
from trackly_desktop.sandbox.ledger import Ledger
from trackly_desktop.sandbox.remote import SandboxControl
from trackly_desktop.sandbox.server import SandboxServer

LIST = demo.DEMO_LIST_NUMBER


def sandbox_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("trackly-sandbox")]


def test_starts_on_an_ephemeral_port_and_joins_its_threads():
    # How fast it starts: tests/benchmarks/bench_sandbox_timings.py.
    server = SandboxServer()
    base_url = server.start()
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api", base_url)
        assert server.port != 0 and server.base_url == base_url and server.running
        with TracklyClient(demo.DEMO_API_KEY, base_url) as client:
            client.verify_key()
            assert "trackly-sandbox-server" in sandbox_threads()
            assert any(name.startswith("trackly-sandbox-conn-") for name in sandbox_threads())
    finally:
        server.stop()
    assert sandbox_threads() == [] and not server.running
    server.stop()  # idempotent


def test_stop_closes_open_keep_alive_connections_and_slow_answers():
    server = SandboxServer(faults=FaultConfig(slow_next=1, slow_seconds=3600))
    server.start()
    client = TracklyClient(demo.DEMO_API_KEY, server.base_url, timeout=30.0)
    outcome: list[BaseException] = []

    def send_slow() -> None:
        try:
            client.send_bulk(LIST, [{"to": "+14155550100", "body": "Hi"}])
        except BaseException as exc:  # reported below
            outcome.append(exc)

    sender = threading.Thread(target=send_slow, name="slow-sender")
    sender.start()
    deadline = time.monotonic() + 5
    while len(server.ledger) == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    # The handler waits out an hour; stop must not. (A minute is a deadlock guard only.)
    stopper = threading.Thread(target=server.stop, name="stopper")
    stopper.start()
    stopper.join(60)
    assert not stopper.is_alive()
    sender.join(60)
    client.close()
    assert sandbox_threads() == []
    assert len(outcome) == 1 and isinstance(outcome[0], TransientError)
    assert outcome[0].outcome_unknown is True  # it was queued, and the answer never came


def test_keep_alive_answers_come_whole_one_after_another(sandbox):
    """50 requests on one connection, each answer complete before the next request.

    That each answer leaves in one write (no 40 ms Nagle stall) is timed, side by side with
    the stall it avoids, in tests/benchmarks/bench_sandbox_timings.py.
    """
    host, port = sandbox.host, sandbox.port
    request = (
        f"POST /api/v2/send/bulk HTTP/1.1\r\nHost: {host}\r\nX-Api-Key: {demo.DEMO_API_KEY}\r\n"
        "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
    ).encode()
    with socket.create_connection((host, port)) as conn:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for _ in range(50):
            conn.sendall(request)
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.endswith(b"}"):
                answer += conn.recv(65536)
            assert answer.startswith(b"HTTP/1.1 400 ")
            assert b"missing_messages" in answer


def test_ledger_records_final_bodies_and_metadata(client, sandbox):
    single = client.send(
        "+14155550100",
        LIST,
        "Hi {{first_name}} {{last_name}}, your {{ item }} is in! {{loyalty}} "
        "See https://shop.example/orders?id=7 and http://x.example. Ref {{messageId}}",
        wrap_links=True,
        contact_data={
            "first_name": "Ann",
            "last_name": "Lee",
            "custom_fields": {"item": "bike", "points": 3},
            "timezone": "America/Chicago",
        },
        metadata={"row": 2, "campaign": "spring"},
    )
    bulk = client.send_bulk(
        LIST,
        [
            {"to": "+14155550101", "body": "Plain {{first_name}} {{messageId}}"},
            {
                "to": "+14155550102",
                "body": "Other list",
                "list_number": demo.DOCS_EXAMPLE_LIST_NUMBER,
            },
            {"to": "+14155550103", "body": "No wrap https://a.example", "metadata": {"row": 4}},
        ],
    )
    raw = client.send_raw("+14155550104", LIST, "Raw {{first_name}}", metadata={"row": 9})
    assert bulk.queued_count == 3
    first, plain, other, nowrap, raw_entry = sandbox.ledger.entries()
    assert first.message_id == single.message_id
    assert re.fullmatch(
        rf"Hi Ann Lee, your bike is in! \{{\{{loyalty\}}\}} See https://trk\.ly/[a-z0-9]{{6}} "
        rf"and https://trk\.ly/[a-z0-9]{{6}}\. Ref {single.message_id}",
        first.body,
    ), first.body
    assert first.metadata == {"row": 2, "campaign": "spring"}
    assert (first.to, first.list_number, first.endpoint) == ("+14155550100", LIST, "/api/v2/send")
    assert plain.body == f"Plain {{{{first_name}}}} {plain.message_id}"
    assert other.list_number == demo.DOCS_EXAMPLE_LIST_NUMBER
    assert nowrap.body == "No wrap https://a.example" and nowrap.metadata == {"row": 4}
    assert raw_entry.message_id == raw.message_id and raw_entry.body == "Raw {{first_name}}"
    assert raw_entry.endpoint == "/api/v2/send-raw"
    assert all(abs(e.queued_at - time.time()) < 60 for e in sandbox.ledger.entries())


def test_message_ids_are_unique_eight_characters(client, sandbox):
    for part in range(6):
        messages = [{"to": f"+1415800{part}{i:03d}", "body": "x"} for i in range(1000)]
        assert client.send_bulk(LIST, messages).queued_count == 1000
    ids = [e.message_id for e in sandbox.ledger.entries()]
    assert len(set(ids)) == 6000
    assert all(re.fullmatch(r"[a-z0-9]{8}", i) for i in ids)


def test_same_seed_same_ids():
    def ids() -> list[str]:
        with (
            SandboxServer(seed=99) as server,
            TracklyClient(demo.DEMO_API_KEY, server.base_url) as c,
        ):
            c.send_bulk(LIST, [{"to": f"+141555501{i:02d}", "body": "x"} for i in range(5)])
            return [e.message_id for e in server.ledger.entries()]

    assert ids() == ids()


@pytest.mark.slow
def test_ledger_helpers_on_a_million_entries():
    ledger = Ledger()
    ledger.extend(
        (f"id{i:06d}", f"+1415{i % 999_983:07d}", LIST, "b", {"row": i}, 0.0, "/api/v2/send/bulk")
        for i in range(1_000_000)
    )
    ledger.extend([("dup", "+14150000005", LIST, "b", {"row": 5}, 0.0, "/api/v2/send/bulk")])
    repeated = ledger.repeated(("to", "metadata.row"))  # timed in bench_sandbox_timings.py
    assert repeated == {("+14150000005", 5): 2}
    assert len(ledger) == 1_000_001
    assert ledger.count_where("to", "+14150000005") == 3  # row 5, the copy, row 999,988
    stats = ledger.stats("metadata.row")
    assert (stats["count"], stats["distinct"], stats["repeated_count"]) == (1_000_001, 1_000_000, 1)


def test_control_endpoints(sandbox, client):
    with SandboxControl(sandbox.base_url) as control:
        assert control.health() == {"ok": True, "ledger_count": 0}
        control.add_opt_outs(["+14155550111"])
        control.add_voip_numbers(["+14155550112"])
        result = client.send_bulk(
            LIST,
            [
                {"to": "+14155550111", "body": "a"},
                {"to": "+14155550112", "body": "b"},
                {"to": "+14155550113", "body": "c", "metadata": {"row": 7}},
                {"to": "+14155550114", "body": "d", "metadata": {"row": 8}},
            ],
        )
        assert [e.code for e in result.errors] == ["opted_out", "not_sendable"]
        assert control.ledger_count() == 2
        entries = control.ledger_entries(offset=1, limit=5)
        assert [e["to"] for e in entries] == ["+14155550114"]
        assert entries[0]["metadata"] == {"row": 8}
        stats = control.ledger_stats("to,metadata.row")
        assert (stats["count"], stats["distinct"], stats["repeated_count"]) == (2, 2, 0)
        assert control.set_faults(fail_next=1, latency_ms=5)["fail_next"] == 1
        assert sandbox.faults.fail_next == 1 and sandbox.faults.latency_ms == 5
        with pytest.raises(httpx.HTTPStatusError):
            control.set_faults(fail_rate=3)
        with pytest.raises(httpx.HTTPStatusError):
            control.set_faults(no_such_fault=1)
        control.set_faults(fail_next=0, latency_ms=0)
        control.reset()
        assert control.ledger_count() == 0
        # After a reset the same message is no longer a duplicate.
        assert client.send_bulk(LIST, [{"to": "+14155550113", "body": "c"}]).queued_count == 1


def test_demo_numbers_pass_the_apps_own_validation():
    for number in (*demo.DEMO_VOIP_NUMBERS, *demo.DEMO_OPTED_OUT_NUMBERS):
        assert phonenumbers.is_valid_number(phonenumbers.parse(number))
    assert demo.DEMO_API_KEY.startswith("trk_demo_")
    keys = {demo.DEMO_API_KEY, demo.SECOND_API_KEY, demo.INACTIVE_API_KEY, demo.REVOKED_API_KEY}
    assert len(keys) == 4


def test_an_answer_is_one_complete_http_message():
    from trackly_desktop.sandbox.backend import Answer
    from trackly_desktop.sandbox.http_handler import encode_answer

    data = encode_answer(Answer(201, {"queued_count": 1, "note": "é"}, (("Deprecation", "true"),)),
                         keep_alive=True)  # fmt: skip
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0] == "HTTP/1.1 201 Created"
    assert f"Content-Length: {len(body)}" in lines
    assert "Deprecation: true" in lines and "Connection: keep-alive" in lines
    assert body.decode() == '{"queued_count":1,"note":"é"}'


def test_a_sandbox_owning_its_process_tunes_gil_and_collector_until_stopped():
    before, thresholds = sys.getswitchinterval(), gc.get_threshold()
    with SandboxServer(freeze_gc=True) as own, SandboxServer() as shared:
        assert sys.getswitchinterval() == pytest.approx(0.001)
        assert gc.get_threshold() == (50_000, *thresholds[1:])
        assert own.running and shared.running
    assert (sys.getswitchinterval(), gc.get_threshold()) == (before, thresholds)
    with SandboxServer():  # one sharing the app's process leaves the app's settings alone
        assert (sys.getswitchinterval(), gc.get_threshold()) == (before, thresholds)


def test_the_demos_lost_answer_and_carrier_trouble_happen_once_per_message(sandbox, raw):
    lost, troubled, plain = "+14155550121", "+14155550122", "+14155550123"
    sandbox.answer_lost_once.add(lost)
    sandbox.carrier_trouble_once.add(troubled)
    bulk = {"list_number": LIST, "messages": [{"to": lost, "body": "hi"}]}
    # Queued, then the connection closes with no answer at all.
    with pytest.raises(httpx.RemoteProtocolError):
        raw.post("/v2/send/bulk", json=bulk)
    assert [e.to for e in sandbox.ledger.entries()] == [lost]
    # Sent again: it was queued, so the duplicate check answers (and the answer arrives).
    again = raw.post("/v2/send/bulk", json=bulk).json()
    assert (again["queued_count"], again["errors"][0]["code"]) == (0, "duplicate_message")
    # Another message to the same person is a new message: its answer is lost once too.
    with pytest.raises(httpx.RemoteProtocolError):
        raw.post("/v2/send/bulk", json={**bulk, "messages": [{"to": lost, "body": "bye"}]})

    both = {"list_number": LIST, "messages": [{"to": troubled, "body": "hi"},
                                              {"to": plain, "body": "hi"}]}  # fmt: skip
    first = raw.post("/v2/send/bulk", json=both).json()
    assert (first["queued_count"], first["error_count"]) == (1, 1)
    assert first["errors"] == [{
        "index": 0, "to": troubled, "code": "carrier_unavailable",
        "error": "The recipient's carrier is temporarily unavailable; try again later",
    }]  # fmt: skip
    retried = raw.post("/v2/send/bulk", json={**both, "messages": both["messages"][:1]}).json()
    assert (retried["queued_count"], retried["error_count"]) == (1, 0)
    assert len(sandbox.ledger) == 4  # lost "hi", lost "bye", plain, troubled on its retry

    # The demo's test send (a single send) never meets either; a reset starts them over.
    single = raw.post("/v2/send", json={"to": troubled, "list_number": LIST, "body": "test"})
    assert single.json()["status"] == "queued"
    sandbox.reset()
    again = raw.post("/v2/send/bulk", json=both).json()
    assert [e["code"] for e in again["errors"]] == ["carrier_unavailable"]
