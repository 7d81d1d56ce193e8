"""The state of an installed app's folder, to show that running the app wrote nothing there.

The app keeps its settings, journal, logs and caches in the user's folders; its own folder
may be read-only (a system install) or shared by every user of the machine.
"""

from __future__ import annotations

from pathlib import Path


def tree_state(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry under `folder` (itself included) with its mode, size and modification
    time: a file or folder added, removed or rewritten changes it."""
    state = {}
    for path in [folder, *folder.rglob("*")]:
        info = path.lstat()
        state[path.relative_to(folder).as_posix()] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return state
