"""Confirmed column mappings, remembered for the next file with the same headers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trackly_desktop import paths
from trackly_desktop.atomic_files import write_text_atomically
from trackly_desktop.core.contacts.mapping import ROLES, ColumnMapping
from trackly_desktop.core.errors import MappingError
from trackly_desktop.core.reading.header_words import header_key


class MappingMemory:
    """Confirmed mappings, keyed by the file's header names, in a small JSON file.

    Keys ignore case, accents, punctuation and column order, so a re-export of the same
    list with "phone" instead of "Phone" is still recognised. A damaged file is ignored.
    """

    MAX_ENTRIES = 200

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            path = paths.mappings_path()
        self.path = Path(path)

    @staticmethod
    def _key(columns: list[str]) -> str:
        return "\x1f".join(sorted(header_key(c) or c for c in columns))

    def _load(self) -> list[dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        entries = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            return []
        return [
            e
            for e in entries
            if isinstance(e, dict)
            and isinstance(e.get("key"), str)
            and isinstance(e.get("mapping"), dict)
        ]

    def recall(self, columns: list[str]) -> ColumnMapping | None:
        """The mapping remembered for these headers, in this file's spelling, or None."""
        key = self._key(columns)
        by_key = {header_key(c) or c: c for c in columns}
        for entry in self._load():
            if entry["key"] != key:
                continue
            try:
                mapping: dict[str, Any] = {
                    role: by_key[header_key(h) or h]
                    for role, h in entry["mapping"].items()
                    if role in ROLES and isinstance(h, str)
                }
                others = entry.get("other_phones", [])
                if mapping.get("phone") and isinstance(others, list):
                    mapping["phone"] = [mapping["phone"]] + [
                        by_key[header_key(h) or h] for h in others if isinstance(h, str)
                    ]
                result = ColumnMapping.from_dict(mapping)
                result.validate(columns)
            except (KeyError, MappingError):
                return None
            return result
        return None

    def remember(self, columns: list[str], mapping: ColumnMapping) -> None:
        """Store `mapping` for files with these headers (most recent first), atomically."""
        mapping.validate(columns)
        key = self._key(columns)
        entries = [e for e in self._load() if e["key"] != key]
        entries.insert(
            0,
            {
                "key": key,
                "columns": list(columns),
                "mapping": mapping.as_dict(),
                "other_phones": list(mapping.other_phones),
            },
        )
        payload = json.dumps({"version": 1, "entries": entries[: self.MAX_ENTRIES]}, indent=1)
        write_text_atomically(self.path, payload, prefix=".mappings-")
