"""Which encoding a text file is in, and its bytes as UTF-8 for the parser.

Excel saves "CSV UTF-8" (UTF-8 with a BOM), plain "CSV" (the PC's code page: Windows-1252
in the Americas and Western Europe, 1250/1251/1253/1254, Shift-JIS, GB18030, Big5...
elsewhere) and "Unicode text" (UTF-16 with a BOM); other programs write UTF-8 without a
BOM. BOMs and UTF-16 are exact; bytes that are valid UTF-8 are taken as UTF-8 (a legacy
file of names with accents is practically never valid UTF-8) without any guessing, so
the common case stays fast. Anything else is a legacy code page, guessed from what the
names look like (`legacy_encodings`); a file mixing UTF-8 and legacy lines is read line
by line. The operator can name the encoding instead (`encoding`).
Binary garbage is refused from the decoded head, before anything big is allocated.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from trackly_desktop.core.errors import InputFileError
from trackly_desktop.core.reading.legacy_encodings import (
    codec_for,
    decode_line_by_line,
    guess_legacy,
    label_of,
    legacy_lines,
    mixed_utf8_lines,
)

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
    # and `read_text_grid` falls back to the legacy reading if a later byte is not UTF-8.
    return ("utf-8" if _is_utf8(memoryview(data)[:_HEAD_CHECK], final=False) else "cp1252"), 0


@dataclass(frozen=True)
class TextEncoding:
    """How a text file was decoded: a person's name for it, and how sure the guess is."""

    label: str  # "UTF-8", "Windows-1251", "UTF-8 and Windows-1252 (mixed)"
    unsure: bool = False
    alternatives: tuple[str, ...] = ()  # labels of other readings worth offering
    chosen: bool = False  # named by the operator


def legacy_to_utf8(path: Path, data: bytes) -> tuple[bytes, TextEncoding]:
    """Bytes that are not valid UTF-8 (BOM already gone) as UTF-8, with what they were in."""
    if mixed_utf8_lines(data):
        guess = guess_legacy(legacy_lines(data))
        text = decode_line_by_line(data, guess.codec)
        label = f"UTF-8 and {guess.label} (mixed)"
        return text.encode("utf-8"), TextEncoding(label, guess.unsure)
    guess = guess_legacy(data)
    alternatives = tuple(label_of(c) for c in guess.alternatives)
    utf8 = _recode(path, data, guess.codec)
    return utf8, TextEncoding(guess.label, guess.unsure, alternatives)


def to_utf8(path: Path, data: bytes, encoding: str | None = None) -> tuple[bytes, TextEncoding]:
    """The file's bytes as UTF-8 without BOM, and the encoding it was in.

    `encoding` (a name such as "windows-1251") skips the guessing. Binary garbage is
    refused from the head alone, before the whole file is re-encoded, so a large garbage
    file never costs memory.
    """
    if encoding is not None:
        return _chosen(path, data, encoding)
    codec, skip = detect_encoding(path, data)
    body = data[skip:] if skip else data
    if codec == "cp1252":  # not UTF-8: which legacy code page?
        check_looks_like_text(path, body[:65536].decode("latin-1"))
        return legacy_to_utf8(path, body)
    check_looks_like_text(path, body[:65536].decode(codec, errors="replace"))
    if codec == "utf-8":
        return body, TextEncoding("UTF-8")
    return _recode(path, body, codec), TextEncoding("UTF-16")


def _chosen(path: Path, data: bytes, name: str) -> tuple[bytes, TextEncoding]:
    try:
        codec = codec_for(name)
    except LookupError:
        raise InputFileError(
            f"“{name}” is not an encoding this app knows: try UTF-8, windows-1252, "
            "windows-1251, shift_jis or gb18030."
        ) from None
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom) and codecs.lookup(codec).name.startswith("utf"):
            codec = "utf-8-sig" if bom == codecs.BOM_UTF8 else "utf-16"
    text = data.decode(codec, errors="replace")
    check_looks_like_text(path, text[:65536])
    return text.encode("utf-8"), TextEncoding(label_of(codec), chosen=True)


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
    # Code pages leave a few byte values undefined; "replace" shows them as "�" rather
    # than refusing a whole file for one stray byte in a notes column.
    errors = "strict" if encoding.startswith("utf") else "replace"
    try:
        return data.decode(encoding, errors=errors).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise not_text(path) from exc


def check_looks_like_text(path: Path, head: str) -> None:
    """Refuse binary garbage: a decoded head with NULs or many control characters."""
    odd = sum(1 for ch in head if (ch < " " and ch not in _ALLOWED_CONTROLS) or ch == "\ufffd")
    if "\x00" in head or odd > max(2, len(head) // 100):
        raise not_text(path)
