"""Which journal the window records sends in: the real one, or the demo's own.

Demo sends (to the practice server, from the practice number) are kept in a separate
journal, so History never mixes them with real campaigns and the start-up offer to resume
never proposes sending a demo campaign to real customers through the real service.
"""

from __future__ import annotations

from pathlib import Path

from trackly_desktop import paths

DEMO_JOURNAL_NAME = "demo-journal.sqlite3"


def journal_path_for(demo: bool) -> Path:
    return paths.data_dir() / DEMO_JOURNAL_NAME if demo else paths.journal_path()
