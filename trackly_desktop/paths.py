"""Where the app keeps its files: settings, the journal, logs, remembered mappings.

`TRACKLY_DESKTOP_HOME` puts all of them under one folder (the tests point it at a
temporary directory so nothing touches the real user folders).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

APP_DIR_NAME = "TracklyDesktop"
APP_AUTHOR = "Trackly"


def _home_override() -> Path | None:
    value = os.environ.get("TRACKLY_DESKTOP_HOME")
    return Path(value) if value else None


def _dir(kind: str) -> Path:
    override = _home_override()
    if override is not None:
        path = override / kind
    else:
        getter = {
            "config": platformdirs.user_config_path,
            "data": platformdirs.user_data_path,
            "log": platformdirs.user_log_path,
        }[kind]
        path = getter(APP_DIR_NAME, APP_AUTHOR)
    return private_dir(path)


# The journal, settings, logs and exports hold customers' names and numbers: on Linux and
# macOS they are readable by the user alone, whatever the umask.
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create the app's own folder `path` (and parents) readable by the user alone."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if os.name == "posix":
        with contextlib.suppress(OSError):  # not ours to change (a shared TRACKLY_DESKTOP_HOME)
            os.chmod(path, PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty unless it exists, and make it readable by the user alone."""
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE))
    if os.name == "posix":
        with contextlib.suppress(OSError):  # a read-only disk: reported when writing
            os.chmod(path, PRIVATE_FILE_MODE)
    return path


def config_dir() -> Path:
    return _dir("config")


def data_dir() -> Path:
    return _dir("data")


def log_dir() -> Path:
    return _dir("log")


def settings_path() -> Path:
    return config_dir() / "settings.json"


def journal_path() -> Path:
    return data_dir() / "journal.sqlite3"


def mappings_path() -> Path:
    return config_dir() / "mappings.json"
