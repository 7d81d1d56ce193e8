"""The preview is what is sent, always: one property over random templates, mappings and rows.

For each example a real CSV is written and read, and the same row's message is taken from
every place the operator or the provider sees it:
  the Message step's preview (`render_around_problems`, what the bubble shows),
  the Review table (its message column's full text),
  `trackly check --json` (the command's own writer),
  the journal (the body recorded for the send),
  the sandbox ledger (what Trackly queued, `{{messageId}}` filled with the message id).
All must be the same text. A template with a problem (an unknown field, a brace that never
closes) must be refused by check and by the send, never half-rendered.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from trackly_desktop.api.client import TracklyClient
from trackly_desktop.commands.check_json import write_json
from trackly_desktop.core.campaign.spec import CampaignSpec
from trackly_desktop.core.contacts.mapping import ColumnMapping
from trackly_desktop.core.errors import TemplateError
from trackly_desktop.core.journal.record import create_campaign
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.messages.templates import find_template_problems
from trackly_desktop.core.reading.spreadsheet import read_table
from trackly_desktop.core.recipients.build import build_recipients
from trackly_desktop.core.sending.engine import SendEngine
from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER
from trackly_desktop.sandbox.server import SandboxServer
from trackly_desktop.ui.message_step import render_around_problems
from trackly_desktop.ui.review_model import ReviewRows, WillSendModel

HEADERS = ["Phone", "First Name", "first", "Order No", "Straße", "Note"]
TEXT = st.lists(st.sampled_from([*"ab Z,.!?{}|_-é€", "😀", "👍🏽", "\n", "  "]), max_size=12).map(
    "".join
)
FIELD_NAMES = st.sampled_from(
    ["first_name", "FIRST_NAME", "last_name", "First Name", "first", "order no", "Order_No",
     "straße", "Note", "messageId", "unknown", "Phone"]
)  # fmt: skip
CELL = st.lists(st.sampled_from([*"abc XY 0-9é", "😀", " ", "{", "}"]), max_size=8).map("".join)
_numbers = itertools.count()


@st.composite
def templates(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 5))):
        parts.append(draw(TEXT))
        name = draw(FIELD_NAMES)
        fallback = draw(
            st.one_of(
                st.none(), TEXT.filter(lambda t: "{{" not in t and "}}" not in t and "|" not in t)
            )
        )
        closing = draw(st.sampled_from(["}}", "}}", "}}", "", "}"]))  # sometimes never closed
        parts.append("{{" + name + (f"|{fallback}" if fallback is not None else "") + closing)
    parts.append(draw(TEXT))
    return "".join(parts)


ROLE_CHOICES = st.sampled_from([None, "First Name", "first", "Note", "Order No"])


@pytest.fixture(scope="module")
def server():
    with SandboxServer(seed=11) as srv:
        yield srv


def _phone() -> str:
    n = next(_numbers)
    return f"+1415{200 + n // 10000:03d}{n % 10000:04d}"


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    template=templates(),
    roles=st.tuples(ROLE_CHOICES, ROLE_CHOICES),
    cells=st.lists(st.lists(CELL, min_size=5, max_size=5), min_size=1, max_size=4),
)
def test_preview_review_check_journal_and_ledger_agree(server, qapp, template, roles, cells):
    first, last = roles
    if first is not None and first == last:
        last = None  # one column, one role
    mapping = ColumnMapping(phone="Phone", first_name=first, last_name=last)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "contacts.csv"
        with source.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADERS)
            for row in cells:
                writer.writerow([_phone(), *row])
        table = read_table(source)
        problems = find_template_problems(template, table.columns)
        roles = mapping.as_dict()
        previews = [
            render_around_problems(template, problems, table.columns, table.row(i), roles)
            for i in range(len(table))
        ]
        if problems:
            with pytest.raises(TemplateError):
                build_recipients(table, mapping, template, "US")
            # The preview shows the faulty part as typed, never a guess at it.
            start = problems[0].position
            assert template[start : start + problems[0].length] in previews[0]
            return
        recipients = build_recipients(table, mapping, template, "US")
        assert previews == recipients.body

        out = io.StringIO()
        write_json(recipients, out)
        checked = [r["body"] for r in json.loads(out.getvalue())["rows"]]
        if template.strip():
            assert checked == previews

        review = WillSendModel()
        review.set_rows(recipients, ReviewRows.build(recipients))
        ready = [review.recipient_index(r) for r in range(review.rowCount())]
        shown = [
            review.data(review.index(r, 3), Qt.ItemDataRole.ToolTipRole) for r in range(len(ready))
        ]
        assert shown == [previews[i] for i in ready]
        if not ready or not template.strip():
            return  # nothing to send (an empty message is never sent: the window and the
            # command line both ask for one first)

        with Journal(Path(tmp) / "journal.sqlite3") as journal:
            spec = CampaignSpec(source, None, roles, template, DEMO_LIST_NUMBER, "US")
            cid = create_campaign(journal, spec, recipients)
            recorded = dict(
                journal._conn.execute(
                    "SELECT phone, body FROM recipients WHERE campaign_id=?", (cid,)
                ).fetchall()
            )
            assert recorded == {recipients.phone[i]: previews[i] for i in ready}
            before = len(server.ledger)
            with TracklyClient(DEMO_API_KEY, server.base_url) as client:
                report = SendEngine(journal, cid, client, concurrency=1).run()
            assert report.sent == len(ready), report.message
        entries = server.ledger.entries(before)
        queued = {e.to: e.body.replace(e.message_id, "{{messageId}}") for e in entries}
        expected = {recipients.phone[i]: previews[i] for i in ready}
        assert queued == expected
