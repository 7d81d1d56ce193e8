"""Where the app keeps its files: settings, the journal, logs, remembered mappings.

`TRACKLY_DESKTOP_HOME` puts all of them under one folder (the tests point it at a
temporary directory so nothing touches the real user folders).
"""

from __future__ import annotations

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
    path.mkdir(parents=True, exist_ok=True)
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
