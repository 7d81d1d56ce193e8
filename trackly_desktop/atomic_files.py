"""Write a file whole or not at all: the one way the app saves settings, mappings and exports.

The new content goes to a temporary file beside the target (same folder, so the same disk),
is flushed to the disk, then moved over the target in one step: a crash or a full disk
mid-write leaves the old file, never half a file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(path: Path, write: Callable[[Path], None], *, prefix: str = ".tmp-") -> Path:
    """Call `write(temporary_path)` and move the finished file to `path`.

    `write` may open the temporary path however it likes (text, a workbook library); the
    temporary file is removed if it raises, and the exception goes on unchanged.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


def write_text_atomically(path: Path, text: str, *, prefix: str = ".tmp-") -> Path:
    """`write_atomically` for a UTF-8 text file."""
    return write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), prefix=prefix)
