"""Saved messages in the core: names, replace, rename clashes, the export file."""

from __future__ import annotations

from pathlib import Path

import pytest

from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.core.messages import saved
from trackly_desktop.core.messages.saved import SavedMessage
from trackly_desktop.settings import Settings, load_settings, save_settings


def test_save_replaces_a_message_of_the_same_name_whatever_its_case():
    messages = saved.save([], "Order ready", "A")
    messages = saved.save(messages, "order READY", "B")
    assert messages == [SavedMessage("order READY", "B")]


def test_rename_refuses_a_name_in_use():
    messages = saved.save(saved.save([], "One", "1"), "Two", "2")
    with pytest.raises(TracklyDesktopError, match="already a saved message called “Two”"):
        saved.rename(messages, "One", "two")
    assert saved.rename(messages, "One", "one")[0].name == "one"  # its own name, new case


def test_an_empty_message_is_not_saved():
    with pytest.raises(TracklyDesktopError, match="There is no message to save yet"):
        saved.save([], "Empty", "   ")


def test_export_import_round_trip(tmp_path: Path):
    messages = [SavedMessage("Hi ☕", "Hi {{first_name|there}} ☕\nsecond line")]
    path = saved.export_file(messages, tmp_path / "m.json")
    assert saved.import_file(path) == messages


@pytest.mark.parametrize(
    "content",
    ['{"trackly_saved_messages": 2, "messages": []}', "[1, 2]", "not json", "\xff\xfe"],
    ids=["newer-version", "a-list", "not-json", "binary"],
)
def test_a_file_that_is_not_ours_is_one_sentence(tmp_path: Path, content: str):
    path = tmp_path / "x.json"
    path.write_bytes(content.encode("latin-1"))
    with pytest.raises(TracklyDesktopError) as caught:
        saved.import_file(path)
    assert str(caught.value) == "“x.json” is not a saved-messages file exported by Trackly Desktop."


def test_settings_keep_only_well_formed_saved_messages(app_home):
    save_settings(Settings(saved_messages=[{"name": "A", "text": "a"}]))
    path = app_home / "config" / "settings.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            '"saved_messages": [',
            '"saved_messages": [42, {"name": ""}, {"name": "a", "text": "dup"}, ',
        ),
        encoding="utf-8",
    )
    assert load_settings().saved_messages == [{"name": "a", "text": "dup"}]
