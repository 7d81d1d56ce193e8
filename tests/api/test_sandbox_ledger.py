"""The sandbox ledger leaves nothing for the garbage collector to walk, and reads back exactly."""

from __future__ import annotations

import gc

import pytest

from trackly_desktop.sandbox.ledger import Ledger, LedgerEntry

LIST = "+18005551000"
BULK = "/api/v2/send/bulk"


def _rows(count: int, start: int = 0) -> list[tuple]:
    return [
        (f"id{i:06d}", f"+1415{i:07d}", LIST, f"Hi {i}", {"campaign_id": 1, "row": i}, 5.0, BULK)
        for i in range(start, start + count)
    ]


def test_a_hundred_thousand_entries_add_no_tracked_objects():
    ledger = Ledger()
    gc.collect()
    before = len(gc.get_objects())
    for start in range(0, 100_000, 1000):
        ledger.extend(_rows(1000, start))
    gc.collect()
    # What the app sends (flat metadata) leaves only the ledger's few column lists.
    assert len(gc.get_objects()) - before < 100
    assert len(ledger) == 100_000


def test_entries_read_back_as_sent_including_nested_metadata():
    ledger = Ledger()
    nested = {"row": 3, "tags": ["vip", "spring"], "extra": {"store": 7}}
    ledger.extend(_rows(2))
    ledger.extend([("id9", "+14155550100", LIST, "Nested", nested, 6.5, "/api/v2/send")])
    ledger.extend([("id10", "+14155550101", LIST, "No metadata", None, 7.0, "/api/v2/send")])
    ledger.extend([])  # an all-failed batch adds nothing
    first, second, third, fourth = ledger.entries()
    assert first == LedgerEntry(
        "id000000", "+14150000000", LIST, "Hi 0", {"campaign_id": 1, "row": 0}, 5.0, BULK
    )
    assert second.metadata == {"campaign_id": 1, "row": 1}
    assert third.metadata == nested and third.endpoint == "/api/v2/send"
    assert third.as_dict()["metadata"] == nested
    assert fourth.metadata is None and fourth.queued_at == 7.0
    assert [e.message_id for e in ledger.entries(1, 2)] == ["id000001", "id9"]
    assert ledger.entries(3, 100) == [fourth]
    assert ledger.entries(10) == []


def test_counting_helpers_read_columns_and_metadata_fields():
    ledger = Ledger()
    ledger.extend(_rows(5))
    ledger.extend([("dup", "+14150000002", LIST, "Hi 2", {"row": 2, "x": [1]}, 9.0, BULK)])
    assert ledger.count_where("to", "+14150000002") == 2
    assert ledger.count_where("metadata.row", 2) == 2
    assert ledger.repeated(("to", "body")) == {("+14150000002", "Hi 2"): 2}
    assert ledger.repeated("metadata.campaign_id") == {1: 5}
    assert ledger.count_by(lambda e: e.queued_at) == {5.0: 5, 9.0: 1}
    stats = ledger.stats("metadata.row")
    assert (stats["count"], stats["distinct"], stats["repeated"]) == (6, 5, [[2, 2]])
    with pytest.raises(ValueError, match="unknown ledger field"):
        ledger.count_by("colour")
    ledger.clear()
    assert len(ledger) == 0 and ledger.entries() == [] and ledger.stats("to")["count"] == 0


def test_a_row_of_the_wrong_shape_is_refused():
    ledger = Ledger()
    with pytest.raises(ValueError):
        ledger.extend([("id", "+14150000000", LIST)])
    assert len(ledger) == 0


def test_duplicate_memory_is_invisible_to_the_garbage_collector():
    # The demo runs the sandbox inside the window's process: what it remembers of a
    # million sends must not be walked by every full collection (GUI stalls).
    import gc
    import json

    from trackly_desktop.sandbox.backend import SandboxBackend
    from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER

    backend = SandboxBackend(seed=1)
    messages = [{"to": f"+1415555{i:04d}", "body": f"Hello {i}"} for i in range(1_000)]
    body = json.dumps({"list_number": DEMO_LIST_NUMBER, "messages": messages}).encode()
    answer = backend.handle("/api/v2/send/bulk", DEMO_API_KEY, body)
    assert answer.status == 200
    assert len(backend._recent) == 1_000
    assert not gc.is_tracked(backend._recent)
    # And the memory still does its job: the same body again is a duplicate.
    again = backend.handle("/api/v2/send/bulk", DEMO_API_KEY, body)
    assert again.status == 200
    assert again.payload["queued_count"] == 0
    assert {e["code"] for e in again.payload["errors"]} == {"duplicate_message"}
