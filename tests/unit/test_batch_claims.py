"""Claiming batches: split by request size in UTF-8 bytes (measured exactly only when a
batch might be too big), every pending row claimed once, in order. Real SQLite."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest

from trackly_desktop.core.campaign.spec import CampaignSpec, RecipientRecord
from trackly_desktop.core.journal.store import Journal

LIST = "+18005551000"
ENVELOPE = 1024  # what claim_batch reserves for the request around the messages
PER_MESSAGE = 61  # a comma plus room for the raw skip flags


@pytest.fixture
def journal():
    with Journal() as j:
        yield j


def campaign(journal: Journal, bodies: list[str]) -> int:
    records = [
        RecipientRecord(row, f"+1415555{row:04d}", body, f"N{row}", {})
        for row, body in enumerate(bodies, start=2)
    ]
    return journal.create_campaign(CampaignSpec("x.csv", None, {}, "t", LIST, "US"), records)


def claim_all(journal: Journal, cid: int, max_bytes: int) -> list:
    journal.begin_run(cid)
    batches = []
    while (batch := journal.claim_batch(cid, 1000, max_bytes)) is not None:
        batches.append(batch)
    return batches


def request_bytes(batch) -> int:
    return ENVELOPE + sum(len(p.encode()) + PER_MESSAGE for p in batch.payloads)


@pytest.mark.parametrize(
    ("body", "per_batch"),
    [
        ("é" * 1000, 4),  # 2,000 bytes of UTF-8 in 1,000 characters: counted in bytes
        ("a" * 1000, 7),  # over the quick 4-bytes-a-character bound, yet 7 fit exactly
    ],
)
def test_batches_split_by_exact_request_size(journal, body, per_batch):
    cid = campaign(journal, [body] * 30)
    batches = claim_all(journal, cid, max_bytes=10_000)
    sizes = [len(b.rows) for b in batches]
    assert sizes == [per_batch] * (30 // per_batch) + ([30 % per_batch] if 30 % per_batch else [])
    for batch in batches:
        assert request_bytes(batch) <= 10_000
        assert len(batch.recipient_ids) == len(batch.payloads) == len(batch.recheck)
        assert [json.loads(p)["metadata"]["row"] for p in batch.payloads] == batch.rows
    assert [r for b in batches for r in b.rows] == list(range(2, 32))
    stored = journal._conn.execute("SELECT size FROM batches ORDER BY id").fetchall()
    assert [s for (s,) in stored] == sizes
    assert journal.counts(cid).in_flight == 30 and journal.counts(cid).pending == 0


def test_small_messages_fill_a_batch_and_one_huge_message_still_goes_alone(journal):
    cid = campaign(journal, ["Hi"] * 1500 + ["€" * 1500] + ["Hi"] * 3)
    batches = claim_all(journal, cid, max_bytes=5_000)
    for batch, after in pairwise(batches):
        # Each batch is as full as the limit allows: the next message would not fit.
        assert request_bytes(batch) <= 5_000 or len(batch.rows) == 1
        next_size = len(after.payloads[0].encode()) + PER_MESSAGE
        assert request_bytes(batch) + next_size > 5_000 or len(batch.rows) == 1
    huge = [b for b in batches if any("€" in p for p in b.payloads)]
    assert len(huge) == 1 and len(huge[0].rows) == 1  # never an empty batch, never stuck
    assert sorted(r for b in batches for r in b.rows) == list(range(2, 1506))
