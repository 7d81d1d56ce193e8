"""Data that lives until the next file is held out of the collector's sight; GIL hand-over."""

from __future__ import annotations

import gc
import sys

import pytest

from trackly_desktop.core import collector
from trackly_desktop.core.progress import CancelToken, no_progress
from trackly_desktop.core.recipients.loading import load_spreadsheet


@pytest.fixture(autouse=True)
def _hand_back_held_objects():
    yield
    gc.unfreeze()  # the next tests start with every object collectable again


def _collectable_ids() -> set[int]:
    return {id(o) for o in gc.get_objects()}


def test_checked_contacts_are_held_so_no_collection_walks_them(tmp_path):
    sheet = tmp_path / "people.csv"
    lines = ["First Name,Mobile"] + [f"P{i},+1415555{i % 10000:04d}" for i in range(5000)]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gc.unfreeze()
    loaded = load_spreadsheet(sheet, None, "", "US", progress=no_progress, cancel=CancelToken())
    assert gc.isenabled()  # the collector is back on after the check
    assert gc.get_freeze_count() > 0
    collectable = _collectable_ids()
    rows = loaded.rows
    big_lists = [v for v in vars(rows).values() if isinstance(v, list) and len(v) == 5000]
    assert big_lists, "expected the display columns to be lists of one value per row"
    assert all(id(column) not in collectable for column in big_lists)
    assert id(loaded.recipients) not in collectable


def test_a_failed_build_holds_nothing_and_turns_the_collector_back_on():
    gc.unfreeze()
    with pytest.raises(ValueError), collector.building_held_data():
        assert not gc.isenabled()
        raise ValueError("bad sheet")
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_the_app_lets_the_gui_thread_take_the_gil_back_within_a_millisecond(qapp):
    from trackly_desktop.ui.application import create_application

    before = sys.getswitchinterval()
    try:
        assert create_application([]) is qapp
        assert sys.getswitchinterval() == pytest.approx(0.001)
    finally:
        sys.setswitchinterval(before)
