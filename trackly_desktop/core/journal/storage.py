"""Storage faults of the journal, in plain words: a full disk, a read-only folder, damage.

SQLite and the file system report these as error codes and English fragments ("database
or disk is full", "attempt to write a readonly database", "file is not a database");
`storage_error` turns each into one sentence that says what happened and what to do.
A damaged journal is not left to block every later send: `set_aside` moves it (with its
-wal and -shm files) beside itself under a dated name, so a fresh one can start, and the
operator is told where the old one is.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from trackly_desktop.core.errors import TracklyDesktopError

_DAMAGE_WORDS = ("not a database", "malformed", "database disk image")
_FULL_WORDS = ("disk is full", "database or disk is full")
_READ_ONLY_WORDS = ("readonly database", "read-only", "unable to open database")


class JournalStorageError(TracklyDesktopError):
    """The journal's storage failed (full, read-only, damaged); the text says what to do."""


def is_damage(exc: BaseException) -> bool:
    """True when SQLite says the file itself is damaged (not full, not locked)."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and any(w in text for w in _DAMAGE_WORDS)


def is_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(exc, sqlite3.Error) and any(w in str(exc).lower() for w in _FULL_WORDS)


def is_read_only(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return True
    text = str(exc).lower()
    return isinstance(exc, sqlite3.Error) and any(w in text for w in _READ_ONLY_WORDS)


def storage_error(exc: BaseException, path: Path) -> TracklyDesktopError | None:
    """The plain sentence for a storage fault at `path` (the journal or a file being
    written), or None when `exc` is not one."""
    where = path.parent
    io_error = isinstance(exc, (sqlite3.OperationalError, OSError)) and (
        "disk i/o" in str(exc).lower()
    )
    if is_full(exc) or (io_error and _nearly_full(where)):
        return JournalStorageError(
            f"The disk holding {where} is full, so sending stopped; nothing that was sent "
            "is forgotten. Free some space on it, then resume the campaign."
        )
    if is_read_only(exc):
        return JournalStorageError(
            f"{path} cannot be written: the folder or the file is read-only (or the disk "
            "is). Make it writable, or point TRACKLY_DESKTOP_HOME at a folder you can "
            "write to, and try again."
        )
    if is_damage(exc):
        return JournalStorageError(
            f"The send journal {path} is damaged. It will be moved aside and a fresh one "
            "started the next time the app or “trackly send” starts."
        )
    if io_error:
        return JournalStorageError(
            f"The disk holding {where} reported an error while writing; check the disk, "
            "then resume the campaign."
        )
    return None


def translated(exc: BaseException, journal_path: Path) -> TracklyDesktopError | None:
    """`storage_error` for a failure while sending with the journal at `journal_path`;
    a damaged journal is also marked, so that the next start sets it aside."""
    filename = getattr(exc, "filename", None)
    where = Path(filename) if filename else journal_path
    if is_damage(exc):
        mark_damaged(journal_path)
    return storage_error(exc, where)


def _nearly_full(folder: Path) -> bool:
    # SQLite reports a full disk as an I/O error when its WAL index cannot grow.
    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False


def damage_mark(path: Path) -> Path:
    """The file whose presence says the journal at `path` was found damaged while open."""
    return path.with_name(path.name + ".damaged")


def mark_damaged(path: Path) -> None:
    """Remember that the open journal is damaged, so the next start sets it aside."""
    # If even this fails, the next start still finds the damage when it opens the file.
    with contextlib.suppress(OSError):
        damage_mark(path).touch()


def set_aside(path: Path, now: datetime | None = None) -> Path:
    """Move a damaged journal (and its -wal/-shm) to a dated name beside it; the new path."""
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H.%M.%S")
    target = path.with_name(f"{path.stem} (damaged {stamp}){path.suffix}")
    for suffix in ("", "-wal", "-shm"):
        old = path.with_name(path.name + suffix)
        if old.exists():
            os.replace(old, target.with_name(target.name + suffix))
    damage_mark(path).unlink(missing_ok=True)
    return target


def set_aside_notice(target: Path) -> str:
    return (
        f"The send journal was damaged, so it was moved aside to {target} and a fresh one "
        "was started. Campaigns recorded in the old one can no longer be resumed from "
        "here; keep that file if Trackly support asks for it."
    )
