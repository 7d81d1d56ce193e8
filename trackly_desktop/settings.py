"""Typed settings with declared defaults, stored as JSON under the user config folder.

Picard-style: every field has a default, the file carries a `schema_version`, and
`_UPGRADES` turns an older file into the current shape one step at a time. A missing file
gives the defaults; a corrupt one is kept aside as `settings.json.corrupt` and the defaults
are used, so a bad file never stops the app from starting. The API key is never stored
here (it lives in the keyring, see `secrets.py`). Import-light: no pandas, no Qt.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trackly_desktop import paths
from trackly_desktop.atomic_files import write_text_atomically
from trackly_desktop.contract import MAX_IN_FLIGHT, MIN_IN_FLIGHT
from trackly_desktop.core.messages.cost import CURRENCIES, currency_for_region

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
# Cautious: a minute, far below the ten minutes of the sandbox; see Settings.
DEFAULT_DUPLICATE_WINDOW_S = 60
DEFAULT_BASE_URL = "https://app.tracklysms.com/api"
MAX_RECENT_FILES = 10
MAX_SAVED_MESSAGES = 200
# Keys that must never be written to the settings file, whatever a caller puts in `extra`.
_FORBIDDEN_KEYS = frozenset({"api_key", "apikey", "key", "x_api_key"})


def _country_from_locale() -> str:
    # Imported on first use: phonenumbers is not needed to start the window.
    from trackly_desktop.core.phones.check import default_country_from_locale  # noqa: PLC0415

    return default_country_from_locale()


@dataclass
class Settings:
    default_country: str = field(default_factory=_country_from_locale)
    list_number: str = ""  # the sending number, E.164
    base_url: str = DEFAULT_BASE_URL
    concurrency: int = 4
    # How long the app assumes Trackly's duplicate check remembers a message (Trackly
    # calls it "short"): a message that may have gone out longer ago than this is never
    # resent by the app, only listed as "not sure" for the operator. Advanced setting.
    duplicate_window_s: int = DEFAULT_DUPLICATE_WINDOW_S
    wrap_links: bool = False
    recent_files: list[str] = field(default_factory=list)
    # Price of one message part as typed ("0.008"); "" means the cost is never shown.
    price_per_part: str = ""
    currency: str = field(default_factory=lambda: currency_for_region(_country_from_locale()))
    last_message: str = ""  # the message being written when the app last closed
    last_folder: str = ""  # where the operator last opened a spreadsheet from
    # Saved messages: [{"name": ..., "text": ...}], in the operator's order.
    saved_messages: list[dict[str, str]] = field(default_factory=list)
    # Quiet hours: the default texting window in each person's local time, and the state
    # rules as rows (region, days, start, end, law); an empty list means the shipped rules.
    quiet_hours_start: str = "08:00"
    quiet_hours_end: str = "21:00"
    state_quiet_hours: list[dict[str, str]] = field(default_factory=list)
    window_geometry: str = ""  # opaque base64 from QWidget.saveGeometry()
    window_state: str = ""  # opaque base64 from QMainWindow.saveState()
    schema_version: int = SCHEMA_VERSION

    def quiet_hours(self) -> Any:
        """The quiet-hours rules these settings describe (core.audience.quiet_hours)."""
        from trackly_desktop.core.audience.quiet_hours import (  # noqa: PLC0415 - light start
            quiet_hours_from_settings,
        )

        return quiet_hours_from_settings(
            self.quiet_hours_start, self.quiet_hours_end, self.state_quiet_hours
        )

    def add_recent_file(self, path: str | Path) -> None:
        """Put `path` first in the recent files, without duplicates, keeping the list short."""
        text = str(path)
        self.recent_files = [text, *[p for p in self.recent_files if p != text]]
        del self.recent_files[MAX_RECENT_FILES:]


def _upgrade_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    # Version 1 called the sending number "from_number" and kept "threads" for concurrency.
    if "from_number" in data and "list_number" not in data:
        data["list_number"] = data.pop("from_number")
    if "threads" in data and "concurrency" not in data:
        data["concurrency"] = data.pop("threads")
    return data


# from-version -> step that returns the data in the next version's shape.
_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _upgrade_1_to_2}


def _upgrade(data: dict[str, Any]) -> dict[str, Any]:
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool):
        version = 1
    while version < SCHEMA_VERSION:
        step = _UPGRADES.get(version)
        if step is not None:
            data = step(data)
        version += 1
    data["schema_version"] = SCHEMA_VERSION
    return data


def _clean(data: dict[str, Any]) -> Settings:
    """Build Settings from raw JSON: unknown keys ignored, wrong types dropped, ranges clamped."""
    defaults = Settings()
    values: dict[str, Any] = {}
    for f in dataclasses.fields(Settings):
        if f.name not in data:
            continue
        value = data[f.name]
        default = getattr(defaults, f.name)
        if isinstance(default, bool):
            if isinstance(value, bool):
                values[f.name] = value
        elif isinstance(default, int):
            if isinstance(value, int | float) and not isinstance(value, bool):
                values[f.name] = int(value)
        elif isinstance(default, str):
            if isinstance(value, str):
                values[f.name] = value
        elif f.name == "saved_messages" and isinstance(value, list):
            values[f.name] = clean_saved_messages(value)
        elif f.name == "state_quiet_hours" and isinstance(value, list):
            values[f.name] = [
                {k: str(v) for k, v in row.items() if isinstance(k, str)}
                for row in value
                if isinstance(row, dict)
            ]
        elif isinstance(default, list) and isinstance(value, list):
            values[f.name] = [v for v in value if isinstance(v, str)][:MAX_RECENT_FILES]
    settings = dataclasses.replace(defaults, **values)
    settings.concurrency = min(max(settings.concurrency, MIN_IN_FLIGHT), MAX_IN_FLIGHT)
    settings.duplicate_window_s = min(max(int(settings.duplicate_window_s), 0), 3600)
    country = settings.default_country.strip().upper()
    settings.default_country = (
        country if len(country) == 2 and country.isalpha() else defaults.default_country
    )
    settings.base_url = settings.base_url.strip().rstrip("/") or DEFAULT_BASE_URL
    if settings.currency not in CURRENCIES:
        settings.currency = defaults.currency
    settings.schema_version = SCHEMA_VERSION
    return settings


def clean_saved_messages(value: list[Any]) -> list[dict[str, str]]:
    """Saved messages from JSON: entries with a name and a text, names unique, the rest dropped."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, dict):
            continue
        name, text = item.get("name"), item.get("text")
        if not isinstance(name, str) or not isinstance(text, str) or not name.strip():
            continue
        if name.strip().casefold() in seen:
            continue
        seen.add(name.strip().casefold())
        out.append({"name": name.strip(), "text": text})
    return out[:MAX_SAVED_MESSAGES]


def _keep_aside(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.replace(path, path.with_name(path.name + ".corrupt"))


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file; never raises for a missing or damaged file."""
    path = paths.settings_path() if path is None else path
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        log.warning("Settings file %s cannot be read (%s); using defaults", path, exc)
        return Settings()
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except ValueError as exc:
        log.warning("Settings file %s is damaged (%s); kept aside, using defaults", path, exc)
        _keep_aside(path)
        return Settings()
    return _clean(_upgrade(data))


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the settings atomically: a crash mid-write leaves the old file, never half a file."""
    path = paths.settings_path() if path is None else path
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {k: v for k, v in dataclasses.asdict(settings).items() if k not in _FORBIDDEN_KEYS}
    data["schema_version"] = SCHEMA_VERSION
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)
    write_text_atomically(path, text, prefix=".settings-")
