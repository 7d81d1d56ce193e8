"""Which encoding a text file is in, and its bytes as UTF-8 for the parser.

Excel saves "CSV UTF-8" (UTF-8 with a BOM), plain "CSV" (Windows-1252 on Windows) and
"Unicode text" (UTF-16 with a BOM); other programs write UTF-8 without a BOM. Bytes that
are valid UTF-8 are taken as UTF-8, otherwise as Windows-1252 (a Windows-1252 file of
names with accents is practically never valid UTF-8). A file mixing both ends up read as
Windows-1252, so its UTF-8 accents show as "Ã©": the phone digits are unaffected.
Binary garbage is refused from the decoded head, before anything big is allocated.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from trackly_desktop.core.errors import InputFileError

_VALIDATE_BLOCK = 8 * 1024 * 1024
_HEAD_CHECK = 1024 * 1024
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def detect_encoding(path: Path, data: bytes) -> tuple[str, int]:
    """(Python codec, bytes to skip for a UTF-8 BOM) for the file's bytes."""
    if data.startswith(codecs.BOM_UTF8):
        utf8 = _is_utf8(memoryview(data)[3 : 3 + _HEAD_CHECK], final=False)
        return ("utf-8" if utf8 else "cp1252"), 3
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0  # the codec reads and drops the BOM itself
    head = data[:4096]
    if b"\x00" in head:
        # Without a BOM, UTF-16 text of Latin letters has a zero in every other byte.
        if head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
            return "utf-16-le", 0
        if head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0:
            return "utf-16-be", 0
        raise not_text(path)
    # Only the head is checked here: the parser decodes every cell as strict UTF-8 anyway,
    # and `read_text_grid` falls back to Windows-1252 if a later byte is not UTF-8.
    return ("utf-8" if _is_utf8(memoryview(data)[:_HEAD_CHECK], final=False) else "cp1252"), 0


def utf8_from_cp1252(data: bytes) -> bytes:
    """Windows-1252 bytes as UTF-8: the fallback when UTF-8 fails after the head."""
    return data.decode("cp1252", errors="replace").encode("utf-8")


def to_utf8(path: Path, data: bytes) -> tuple[bytes, str]:
    """The file's bytes as UTF-8 without BOM, and the name of the encoding it was in.

    Binary garbage is refused from the head alone, before the whole file is re-encoded,
    so a large garbage file never costs memory.
    """
    codec, skip = detect_encoding(path, data)
    check_looks_like_text(path, data[skip : skip + 65536].decode(codec, errors="replace"))
    label = {"utf-8": "UTF-8", "cp1252": "Windows-1252"}.get(codec, "UTF-16")
    if codec == "utf-8":
        return (data[skip:] if skip else data), label
    return _recode(path, data[skip:] if skip else data, codec), label


def not_text(path: Path) -> InputFileError:
    return InputFileError(
        f"{path.name} is not a spreadsheet or text file that can be read: save your "
        "contacts as .xlsx or .csv and try again."
    )


def _is_utf8(data: bytes | memoryview, *, final: bool = True) -> bool:
    # Block by block, so a big file is never held twice over as a decoded string.
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _VALIDATE_BLOCK):
            decoder.decode(view[start : start + _VALIDATE_BLOCK])
        decoder.decode(b"", final=final)
    except UnicodeDecodeError:
        return False
    return True


def _recode(path: Path, data: bytes, encoding: str) -> bytes:
    # cp1252 leaves five byte values undefined; "replace" shows them as "�" rather than
    # refusing a whole file for one stray byte in a notes column.
    errors = "replace" if encoding == "cp1252" else "strict"
    try:
        return data.decode(encoding, errors=errors).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise not_text(path) from exc


def check_looks_like_text(path: Path, head: str) -> None:
    """Refuse binary garbage: a decoded head with NULs or many control characters."""
    odd = sum(1 for ch in head if (ch < " " and ch not in _ALLOWED_CONTROLS) or ch == "\ufffd")
    if "\x00" in head or odd > max(2, len(head) // 100):
        raise not_text(path)
