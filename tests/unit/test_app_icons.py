"""The committed icon files: what make_icons.py wrote, readable by Windows and macOS.

Parsed byte by byte (no Qt): an .ico directory of bitmaps plus a PNG at 256 px, an .icns
of PNG entries whose type codes match their pixel sizes.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"
sys.path.insert(0, str(ROOT / "packaging"))

import make_icons  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_svg_is_the_source_and_names_match_the_app():
    svg = (ICONS / "trackly.svg").read_text(encoding="utf-8")
    assert 'viewBox="0 0 512 512"' in svg
    assert "<filter" not in svg  # Qt's SVG renderer (SVG Tiny) would drop it silently
    # app.app_icon() looks for icons/trackly.svg, then icons/trackly.png.
    assert _png_size((ICONS / "trackly.png").read_bytes()) == (256, 256)


@pytest.mark.parametrize("size", make_icons.PNG_SIZES)
def test_png_sizes(size):
    assert _png_size((ICONS / f"trackly-{size}.png").read_bytes()) == (size, size)


def test_ico_holds_every_size_windows_asks_for():
    data = (ICONS / "trackly.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind, count) == (0, 1, len(make_icons.ICO_SIZES))
    sizes = []
    for index in range(count):
        width, height, _colors, _zero, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        size = width or 256
        assert (width, planes, bits) == (height, 1, 32)
        blob = data[offset : offset + length]
        assert len(blob) == length
        if size >= make_icons.ICO_PNG_FROM:
            assert _png_size(blob) == (size, size)
        else:
            header_size, bmp_width, bmp_height = struct.unpack_from("<Iii", blob, 0)
            # A bitmap entry's height counts the colour rows and the mask rows.
            assert (header_size, bmp_width, bmp_height) == (40, size, 2 * size)
            mask_row = ((size + 31) // 32) * 4
            assert length == 40 + size * size * 4 + mask_row * size
        sizes.append(size)
    assert tuple(sizes) == make_icons.ICO_SIZES


def test_icns_entries_match_their_type_codes():
    data = (ICONS / "trackly.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack_from(">I", data, 4)[0] == len(data)
    seen = {}
    offset = 8
    while offset < len(data):
        code, length = data[offset : offset + 4], struct.unpack_from(">I", data, offset + 4)[0]
        seen[code] = _png_size(data[offset + 8 : offset + length])
        offset += length
    assert offset == len(data)
    assert seen == {code: (size, size) for code, size in make_icons.ICNS_TYPES}
