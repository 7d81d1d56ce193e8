"""Files holding personal data are readable by the user alone on Linux and macOS (issue 11,
§5): the journal, the do-not-text list, settings and exports 0600, the app's folders 0700,
whatever the umask."""

from __future__ import annotations

import os
import stat

import pytest

from trackly_desktop import paths
from trackly_desktop.core.audience.do_not_text import DoNotTextList
from trackly_desktop.core.journal.schema import FailureRow
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.results.export import export_failures
from trackly_desktop.settings import Settings, save_settings

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


@pytest.fixture(autouse=True)
def open_umask():
    previous = os.umask(0o022)  # the usual default: files 0644, folders 0755
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_journal_and_its_folder_are_private():
    with Journal() as journal:
        journal.counts  # noqa: B018 - opened and used: its WAL files exist now
    assert mode(paths.journal_path()) == 0o600
    assert mode(paths.data_dir()) == 0o700
    for companion in ("-wal", "-shm"):
        file = paths.journal_path().with_name(paths.journal_path().name + companion)
        if file.exists():
            assert mode(file) == 0o600


def test_an_existing_journal_is_made_private_when_opened():
    paths.data_dir()
    with Journal():
        pass
    os.chmod(paths.journal_path(), 0o644)
    os.chmod(paths.data_dir(), 0o755)
    with Journal():
        pass
    assert mode(paths.journal_path()) == 0o600 and mode(paths.data_dir()) == 0o700


def test_settings_the_do_not_text_list_and_exports_are_private(tmp_path):
    save_settings(Settings(default_country="US"))
    assert mode(paths.settings_path()) == 0o600 and mode(paths.config_dir()) == 0o700
    listing = paths.data_dir() / "do-not-text.sqlite3"
    with DoNotTextList(listing) as dnt:
        dnt.add_many(["+14155550123"], reason="test", source="app")
    assert mode(listing) == 0o600
    row = FailureRow(2, "Ada", "+14155550123", "opted_out", "said stop", False)
    for name in ("failures.csv", "failures.xlsx"):
        assert mode(export_failures([row], tmp_path / name)) == 0o600
